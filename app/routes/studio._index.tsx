import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { listPendingReplies } from '~/models/exam.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const { total } = await listPendingReplies(db(), { page: 1, perPage: 1 });
  return { waiting: total };
}

export default function StudioOverview() {
  const { waiting } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">Overview</h2>
      <p className="max-w-prose text-slate-700">
        The studio is where trainers work on the track: grading the written replies of certification exams now, and later
        writing scenarios and keeping the exams up to date.
      </p>
      <section aria-labelledby="grading-card" className="max-w-sm rounded bg-white p-5 shadow">
        <h3 id="grading-card" className="text-sm font-medium text-slate-700">Written replies waiting for a grade</h3>
        <p className="my-1 text-3xl font-bold">{waiting}</p>
        <Link to="/studio/grading">{waiting === 0 ? 'Open the grading queue' : 'Start grading'}</Link>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Studio · Frontline' }];
