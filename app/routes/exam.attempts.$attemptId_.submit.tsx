import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { SubmitButton } from '~/components/forms';
import { formatDateTime } from '~/domain/calendar';
import { db } from '~/db.server';
import { env } from '~/env.server';
import { examNavigation, requireOwnExamAttempt } from '~/exam.server';
import { submitExamAttempt } from '~/models/exam.server';
import { getEnrolment } from '~/models/learning.server';
import type { RouteHandle } from '~/root';
import { readForm } from '~/read-form.server';

export const handle: RouteHandle = { hydrate: false };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, attempt, exam } = await requireOwnExamAttempt(request, params.attemptId);
  if (attempt.status !== 'in_progress') throw redirect(`/exam/attempts/${attempt.id}`);
  const enrolment = await getEnrolment(db(), { userId: user.id, defaultTimeZone: env().DEFAULT_TIME_ZONE });
  const timeZone = enrolment?.timeZone ?? env().DEFAULT_TIME_ZONE;
  const navigation = examNavigation(attempt);
  return {
    attemptId: attempt.id,
    title: exam.title,
    count: navigation.length,
    endsAt: `${formatDateTime(attempt.deadline_at ?? new Date(), timeZone)} (${timeZone})`,
    unanswered: navigation.filter((n) => !n.answered).map((n) => n.position + 1),
    flagged: navigation.filter((n) => n.flagged).map((n) => n.position + 1),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, attempt } = await requireOwnExamAttempt(request, params.attemptId);
  const formData = await readForm(request);
  if (formData.get('intent') !== 'submit') return Response.json({ error: 'Unknown action.' }, { status: 400 });
  // However many times this arrives (double click, two tabs), the attempt is graded once.
  await submitExamAttempt(db(), { attemptId: attempt.id, userId: user.id });
  return redirect(`/exam/attempts/${attempt.id}`);
}

function Numbers({ attemptId, numbers }: { attemptId: number; numbers: number[] }) {
  return (
    <ul className="flex flex-wrap gap-2">
      {numbers.map((n) => (
        <li key={n}>
          <Link to={`/exam/attempts/${attemptId}?item=${n}`} className="inline-block rounded border border-slate-400 px-3 py-1">
            Question {n}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export default function SubmitExamPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/exam">Exam</Link> / <Link to={`/exam/attempts/${data.attemptId}`}>{data.title}</Link>
      </nav>
      <h1 className="text-2xl font-bold">Review and submit</h1>
      <p>The exam ends {data.endsAt}. Once submitted, answers can no longer change.</p>
      <section className="rounded bg-white p-4 shadow" aria-labelledby="unanswered-heading">
        <h2 id="unanswered-heading" className="text-xl font-semibold">
          {data.unanswered.length === 0 ? 'Every question has an answer' : `${data.unanswered.length} of ${data.count} questions not answered`}
        </h2>
        {data.unanswered.length > 0 ? <Numbers attemptId={data.attemptId} numbers={data.unanswered} /> : null}
      </section>
      {data.flagged.length > 0 ? (
        <section className="rounded bg-white p-4 shadow" aria-labelledby="flagged-heading">
          <h2 id="flagged-heading" className="text-xl font-semibold">Flagged for review</h2>
          <Numbers attemptId={data.attemptId} numbers={data.flagged} />
        </section>
      ) : null}
      <Form method="post" className="flex flex-wrap items-center gap-3">
        <SubmitButton name="intent" value="submit" pendingText="Submitting…">
          Submit exam
        </SubmitButton>
        <Link to={`/exam/attempts/${data.attemptId}`}>Back to the questions</Link>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Submit the exam · Frontline' }];
