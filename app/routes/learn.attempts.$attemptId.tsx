import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { FormAlert, SubmitButton } from '~/components/forms';
import { AutosaveStatus, useAutosave } from '~/components/quiz/autosave';
import { CaseFile } from '~/components/quiz/case-file';
import { ItemFields } from '~/components/quiz/item-fields';
import { ItemReview } from '~/components/quiz/item-review';
import { requireOwnAttempt, saveCaseFromForm } from '~/attempt-actions.server';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { getQuiz } from '~/models/attempt.server';
import { answerView, reviewView } from '~/quiz.server';
import { readForm } from '~/read-form.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { attempt } = await requireOwnAttempt(request, params.attemptId);
  const quiz = attempt.quiz_id ? await getQuiz(db(), { quizId: attempt.quiz_id }) : null;
  // Without a quiz, it is one extra case practised on its own: no pass mark, it counts towards no week.
  const casePractice = attempt.quiz_id === null;
  const quizTitle = quiz?.title ?? (casePractice ? `Case practice: ${attempt.scenarios[0]?.scenario.title ?? 'a case'}` : 'Practice');
  const header = { attemptId: attempt.id, quizId: quiz?.id ?? null, quizTitle, casePractice, passMark: quiz?.passMark ?? 70 };
  const url = new URL(request.url);
  const reviewPosition = url.searchParams.get('case');
  const reviewed = reviewPosition === null ? undefined : attempt.scenarios.find((s) => s.position === Number(reviewPosition) && s.submittedAt !== null);
  if (reviewed) return { ...header, view: await reviewView(attempt, reviewed) };
  const open = attempt.scenarios.find((s) => s.submittedAt === null);
  if (open && attempt.status === 'in_progress') {
    // After "Save and continue" (the no-JavaScript save), say so.
    return { ...header, view: { ...(await answerView(attempt, open)), justSaved: url.searchParams.has('saved') } };
  }
  const percent = attempt.max_score ? Math.round((100 * (attempt.score ?? 0)) / attempt.max_score) : 0;
  return {
    ...header,
    view: {
      mode: 'summary' as const,
      percent,
      passed: attempt.passed === 1,
      cases: attempt.scenarios.map((s) => ({ position: s.position, title: s.scenario.title, score: s.score ?? 0, max: s.maxScore ?? 0 })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, 'learner'); // ownership: saveCaseFromForm loads only the learner's own attempt
  const formData = await readForm(request);
  const intent = formData.get('intent');
  if (intent !== 'save' && intent !== 'submit') return Response.json({ error: 'Unknown action.' }, { status: 400 });
  const { position, result } = await saveCaseFromForm(request, params.attemptId, formData, { submit: intent === 'submit' });
  if (!result.ok) return Response.json({ error: result.reason }, { status: result.status });
  if (intent === 'submit') return redirect(`/learn/attempts/${params.attemptId}?case=${position}`);
  return redirect(`/learn/attempts/${params.attemptId}?saved=${encodeURIComponent(result.savedAt)}#case-form`);
}

function AnswerCase({ view, attemptId }: { view: Extract<ReturnType<typeof useLoaderData<typeof loader>>['view'], { mode: 'answer' }>; attemptId: number }) {
  const actionData = useActionData<{ error?: string }>();
  const autosave = useAutosave(`/learn/attempts/${attemptId}/answers`);
  return (
    <>
      <h2 className="text-2xl font-bold">
        Case {view.position + 1} of {view.caseCount}: {view.caseFile.title}
      </h2>
      <p className="text-slate-700">{view.caseFile.summary}</p>
      <CaseFile caseFile={view.caseFile} policyLinks={view.policyLinks} />
      <FormAlert>{actionData?.error}</FormAlert>
      {view.justSaved && !actionData ? <FormAlert tone="success">Your answers are saved. You can leave and come back to them.</FormAlert> : null}
      <Form method="post" id="case-form" className="space-y-4" onChange={autosave.onChange}>
        <input type="hidden" name="case" value={view.position} />
        {view.items.map((item, index) => (
          <ItemFields key={item.id} item={item} index={index} response={view.responses[item.id]} />
        ))}
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton name="intent" value="save" className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700">
            Save and continue
          </SubmitButton>
          <SubmitButton name="intent" value="submit" pendingText="Submitting…">
            Submit this case
          </SubmitButton>
          <AutosaveStatus state={autosave.state} />
        </div>
        <p className="text-sm text-slate-700">Submitting shows the feedback for this case; its answers cannot change afterwards.</p>
      </Form>
    </>
  );
}

export default function AttemptPage() {
  const { view, attemptId, quizId, quizTitle, casePractice, passMark } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/learn">Learn</Link>
        {quizId ? <> / <Link to={`/learn/quizzes/${quizId}`}>{quizTitle}</Link></> : null}
        {casePractice ? <> / <span>Case practice</span></> : null}
      </nav>
      <h1 className="sr-only">{quizTitle}</h1>
      {view.mode === 'answer' ? <AnswerCase view={view} attemptId={attemptId} /> : null}
      {view.mode === 'review' ? (
        <>
          <h2 className="text-2xl font-bold">
            Feedback on case {view.position + 1} of {view.caseCount}: {view.title}
          </h2>
          <p className="text-lg" role="status">
            You scored {Number((view.score ?? 0).toFixed(2))} of {view.maxScore ?? 0} points on this case.
          </p>
          {view.reviews.map((review, index) => (
            <ItemReview key={review.id} review={review} index={index} policyHref={(ref) => view.policyLinks.find((p) => p.ref === ref)?.href ?? null} />
          ))}
          <Link to={`/learn/attempts/${attemptId}`} className="inline-block rounded bg-brand-700 px-4 py-2 font-semibold text-white no-underline hover:bg-brand-800">
            {view.nextPosition !== null ? 'Next case' : 'See your result'}
          </Link>
        </>
      ) : null}
      {view.mode === 'summary' ? (
        <section className="rounded bg-white p-6 shadow" aria-labelledby="result-heading">
          <h2 id="result-heading" className="text-2xl font-bold">
            {casePractice ? `You scored ${view.percent}%` : view.passed ? `Passed with ${view.percent}%` : `${view.percent}% — the pass mark is ${passMark}%`}
          </h2>
          {casePractice ? <p className="text-slate-700">Case practice is for practice only: it does not count towards completing a week.</p> : null}
          <ul className="my-4">
            {view.cases.map((c) => (
              <li key={c.position} className="flex justify-between border-b border-slate-200 py-2 last:border-0">
                <Link to={`/learn/attempts/${attemptId}?case=${c.position}`}>{c.title}</Link>
                <span>{Number(c.score.toFixed(2))} / {c.max}</span>
              </li>
            ))}
          </ul>
          {quizId ? <Link to={`/learn/quizzes/${quizId}`}>Back to the quiz</Link> : <Link to="/learn">Back to Learn</Link>}
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.quizTitle ?? 'Practice'} · Frontline` }];
