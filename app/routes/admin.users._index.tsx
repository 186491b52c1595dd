import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ROLES } from '~db/schema';
import { requireRole } from '~/auth.server';
import { Pagination, pageFromUrl } from '~/components/pagination';
import { db } from '~/db.server';
import { isRole, listUsers } from '~/models/user.server';

const PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
  const roleParam = url.searchParams.get('role') ?? '';
  const role = isRole(roleParam) ? roleParam : undefined;
  const page = pageFromUrl(request.url);
  const { users, total } = await listUsers(db(), { q, role, page, pageSize: PAGE_SIZE });
  return { users, total, page, q, role: role ?? '' };
}

export default function AdminUsers() {
  const { users, total, page, q, role } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-bold">Users</h1>
        <Link to="/admin/invitations" className="rounded bg-brand-700 px-3 py-2 font-semibold text-white no-underline hover:bg-brand-800">
          Invite someone
        </Link>
      </div>
      <Form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow">
        <div>
          <label htmlFor="q" className="block font-medium">Search by name or email</label>
          <input id="q" name="q" type="search" defaultValue={q} className="rounded border border-slate-400 px-3 py-2" />
        </div>
        <div>
          <label htmlFor="role" className="block font-medium">Role</label>
          <select id="role" name="role" defaultValue={role} className="rounded border border-slate-400 px-3 py-2">
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded border border-brand-700 px-3 py-2 font-semibold text-brand-700">Search</button>
      </Form>
      <p className="mb-2 text-sm text-slate-700" aria-live="polite">{total} {total === 1 ? 'user' : 'users'}</p>
      {users.length === 0 ? (
        <p className="rounded bg-white p-4 shadow">No users match. Try a shorter search, or invite someone.</p>
      ) : (
        <div className="relative overflow-x-auto rounded bg-white shadow">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Users</caption>
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Email</th>
                <th scope="col" className="px-3 py-2">Roles</th>
                <th scope="col" className="px-3 py-2">Status</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className="border-t border-slate-200">
                  <td className="px-3 py-2"><Link to={`/admin/users/${u.id}`}>{u.name}</Link></td>
                  <td className="px-3 py-2">{u.email}</td>
                  <td className="px-3 py-2">{u.roles.join(', ') || '—'}</td>
                  <td className="px-3 py-2">{u.status === 'active' ? 'Active' : 'Disabled'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={total} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Users · Frontline' }];
