// The learners a manager looks after (an admin: every learner), with their exam and certification.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { Pagination, pageFromUrl } from '~/components/pagination';
import { db } from '~/db.server';
import { listManagedLearners, type ManagedLearnerRow } from '~/models/manage.server';

const PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 100);
  const page = pageFromUrl(request.url);
  const { learners, total } = await listManagedLearners(db(), { viewer, q, page, pageSize: PAGE_SIZE });
  return { learners, total, page, q, isAdmin: viewer.roles.includes('admin') };
}

const certificationLabel: Record<NonNullable<ManagedLearnerRow['certification']>, string> = {
  valid: 'Certified',
  expired: 'Certification expired',
  revoked: 'Certification revoked',
};

function examLabel(learner: Pick<ManagedLearnerRow, 'certification' | 'exam'>): string {
  const parts = [learner.certification ? certificationLabel[learner.certification] : 'Not certified'];
  if (learner.exam === 'in-progress') parts.push('exam in progress');
  if (learner.exam === 'awaiting-review') parts.push('exam awaiting review');
  return parts.join(', ');
}

export default function ManageLearners() {
  const { learners, total, page, q, isAdmin } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="mb-2 text-3xl font-bold">Learners</h1>
      <p className="mb-4 text-slate-700">
        {isAdmin ? 'Every learner, in every cohort.' : 'The learners of the cohorts you manage.'} Open one to see their exam attempts and
        certifications.
      </p>
      <Form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow">
        <div>
          <label htmlFor="q" className="block font-medium">Search by name, email or cohort</label>
          <input id="q" name="q" type="search" defaultValue={q} className="rounded border border-slate-400 px-3 py-2" />
        </div>
        <button type="submit" className="rounded border border-brand-700 px-3 py-2 font-semibold text-brand-700">Search</button>
      </Form>
      <p className="mb-2 text-sm text-slate-700" aria-live="polite">{total} {total === 1 ? 'learner' : 'learners'}</p>
      {learners.length === 0 ? (
        <p className="rounded bg-white p-4 shadow">
          {q ? 'No learners match. Try a shorter search.' : isAdmin ? 'There are no learners yet.' : 'No learners are enrolled in a cohort you manage yet.'}
        </p>
      ) : (
        <div className="overflow-x-auto rounded bg-white shadow">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Learners</caption>
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Email</th>
                <th scope="col" className="px-3 py-2">Cohort</th>
                <th scope="col" className="px-3 py-2">Exam and certification</th>
              </tr>
            </thead>
            <tbody>
              {learners.map((l) => (
                <tr key={l.id} className="border-t border-slate-200">
                  <td className="px-3 py-2">
                    <Link to={`/manage/learners/${l.id}`}>{l.name}</Link>
                    {l.status === 'disabled' ? <span className="ml-1 text-slate-700">(disabled)</span> : null}
                  </td>
                  <td className="px-3 py-2">{l.email}</td>
                  <td className="px-3 py-2">{l.cohortName ?? '—'}</td>
                  <td className="px-3 py-2">{examLabel(l)}</td>
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

export const meta: MetaFunction = () => [{ title: 'Learners · Frontline' }];
