import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { FormAlert } from '~/components/forms';
import { Pagination, pageFromUrl } from '~/components/pagination';
import { db } from '~/db.server';
import { formatDateTime } from '~/domain/calendar';
import { env } from '~/env.server';
import { gradedMessage } from '~/forms/grading';
import { listPendingReplies } from '~/models/exam.server';

const PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const page = pageFromUrl(request.url);
  const { total, replies } = await listPendingReplies(db(), { page, perPage: PAGE_SIZE });
  const when = (iso: string) => `${formatDateTime(iso, env().DEFAULT_TIME_ZONE)} (${env().DEFAULT_TIME_ZONE})`;
  return {
    total,
    page,
    graded: gradedMessage(new URL(request.url).searchParams.get('graded')),
    replies: replies.map((r) => ({ ...r, submittedLabel: r.submittedAt ? when(r.submittedAt) : '—' })),
  };
}

export default function GradingQueue() {
  const { total, page, graded, replies } = useLoaderData<typeof loader>();
  return (
    <div>
      <h2 className="mb-2 text-2xl font-bold">Grading queue</h2>
      <FormAlert tone="success">{graded}</FormAlert>
      <p className="mb-3 text-slate-700">
        Written replies from submitted certification exams, oldest first. An exam's result is final once all of its replies are graded.
      </p>
      {replies.length === 0 ? (
        <p className="rounded bg-white p-4 shadow">
          {total === 0 ? 'Nothing waiting. New replies appear here as learners submit their exams.' : <>No replies on this page. <Link to="/studio/grading">Go to the first page</Link>.</>}
        </p>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-700">{total} {total === 1 ? 'reply' : 'replies'} waiting</p>
          <div className="relative overflow-x-auto rounded bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Written replies waiting for a grade</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Learner</th>
                  <th scope="col" className="px-3 py-2">Exam</th>
                  <th scope="col" className="px-3 py-2">Scenario</th>
                  <th scope="col" className="px-3 py-2">Submitted</th>
                  <th scope="col" className="px-3 py-2"><span className="sr-only">Action</span></th>
                </tr>
              </thead>
              <tbody>
                {replies.map((r) => (
                  <tr key={`${r.attemptId}-${r.position}`} className="border-t border-slate-200">
                    <td className="px-3 py-2">{r.learnerName}</td>
                    <td className="px-3 py-2">{r.examTitle}</td>
                    <td className="px-3 py-2">{r.scenarioTitle}</td>
                    <td className="px-3 py-2"><time dateTime={r.submittedAt}>{r.submittedLabel}</time></td>
                    <td className="px-3 py-2">
                      <Link to={`/studio/grading/${r.attemptId}/${r.position}`} aria-label={`Grade the reply of ${r.learnerName} on “${r.scenarioTitle}”`}>
                        Grade
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={total} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Grading queue · Studio · Frontline' }];
