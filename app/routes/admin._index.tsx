import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { listCohorts } from '~/models/cohort.server';
import { listPendingInvitations } from '~/models/invitation.server';
import { countUsers } from '~/models/user.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const [users, invitations, cohorts] = await Promise.all([countUsers(db()), listPendingInvitations(db()), listCohorts(db())]);
  return { users, pendingInvitations: invitations.length, cohorts: cohorts.length };
}

export default function AdminOverview() {
  const { users, pendingInvitations, cohorts } = useLoaderData<typeof loader>();
  const cards = [
    { label: 'Accounts', value: users, to: '/admin/users', action: 'Manage users' },
    { label: 'Pending invitations', value: pendingInvitations, to: '/admin/invitations', action: 'Invite someone' },
    { label: 'Cohorts', value: cohorts, to: '/admin/cohorts', action: 'Create a cohort' },
  ];
  return (
    <div>
      <h1 className="mb-4 text-3xl font-bold">Administration</h1>
      {cohorts === 0 ? (
        <p className="mb-4 rounded border-l-4 border-amber-500 bg-amber-50 p-3">
          Start here: <Link to="/admin/cohorts">create a cohort</Link> with a start date, then{' '}
          <Link to="/admin/invitations">invite volunteers</Link> into it.
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        {cards.map((c) => (
          <section key={c.label} className="rounded bg-white p-5 shadow">
            <h2 className="text-sm font-medium text-slate-700">{c.label}</h2>
            <p className="my-1 text-3xl font-bold">{c.value}</p>
            <Link to={c.to}>{c.action}</Link>
          </section>
        ))}
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Administration · Frontline' }];
