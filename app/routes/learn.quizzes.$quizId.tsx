import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { SubmitButton } from '~/components/forms';
import { topicLabel } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';
import { opensOn, trackDay } from '~/domain/schedule';
import { requireLearnerContext } from '~/learner.server';
import {
  findOpenAttempt,
  findPractiseCase,
  listAttempts,
  listPractiseCases,
  listQuizzes,
  startCasePractice,
  startPracticeAttempt,
} from '~/models/attempt.server';
import { readForm } from '~/read-form.server';

const intentSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start') }),
  z.object({ intent: z.literal('practise-case'), scenarioId: z.string().min(1).max(200) }),
]);

async function loadQuiz(request: Request, quizId: string | undefined) {
  const context = await requireLearnerContext(request);
  if (!context.enrolment || !context.outline) throw new Response('You are not enrolled in a track yet.', { status: 403 });
  const quiz = (await listQuizzes(db(), { trackId: context.enrolment.trackId })).find((q) => q.id === quizId);
  if (!quiz) throw new Response('There is no such quiz.', { status: 404 });
  const today = trackDay(context.enrolment, new Date());
  const locked = quiz.day > today;
  const module = context.outline.modules.find((m) => m.id === quiz.moduleId);
  // The week's extra cases open with the week itself, before its quiz does.
  const casesOpen = module !== undefined && (!locked || module.firstDay <= today);
  return { ...context, quiz, week: module?.week ?? null, locked, casesOpen, opens: formatDate(opensOn(context.enrolment, quiz.day)) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, quiz, week, locked, casesOpen, opens } = await loadQuiz(request, params.quizId);
  const [attempts, open, cases] = await Promise.all([
    listAttempts(db(), { userId: user.id, quizId: quiz.id }),
    findOpenAttempt(db(), { userId: user.id, quizId: quiz.id }),
    casesOpen && week !== null ? listPractiseCases(db(), { week }) : [],
  ]);
  return {
    quiz: { id: quiz.id, title: quiz.title, passMark: quiz.passMark, cases: quiz.scenarioIds.length, week },
    locked,
    opens,
    openAttemptId: open?.id ?? null,
    casesOpen,
    moreCases: cases.map((c) => ({ id: c.id, title: c.title, topic: topicLabel(c.topic), difficulty: c.difficulty })),
    attempts: attempts
      .filter((a) => a.status === 'submitted')
      .map((a) => ({
        id: a.id,
        submittedAt: a.submitted_at,
        percent: a.max_score ? Math.round((100 * (a.score ?? 0)) / a.max_score) : 0,
        passed: a.passed === 1,
      })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, quiz, week, locked, casesOpen } = await loadQuiz(request, params.quizId);
  const parsed = intentSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response('Unknown action.', { status: 400 });
  if (parsed.data.intent === 'start') {
    if (locked) throw new Response('This quiz is not open yet.', { status: 403 });
    const attemptId = await startPracticeAttempt(db(), { userId: user.id, quiz });
    return redirect(`/learn/attempts/${attemptId}`);
  }
  if (!casesOpen || week === null) throw new Response('This week is not open yet.', { status: 403 });
  const { scenarioId } = parsed.data;
  const notACase = () => new Response('There is no such case to practise this week.', { status: 404 });
  if (!(await findPractiseCase(db(), { week, scenarioId }))) throw notACase();
  // Null when it was retired since the check.
  const attemptId = await startCasePractice(db(), { userId: user.id, scenarioId });
  if (attemptId === null) throw notACase();
  return redirect(`/learn/attempts/${attemptId}`);
}

export default function QuizPage() {
  const { quiz, locked, opens, openAttemptId, attempts, casesOpen, moreCases } = useLoaderData<typeof loader>();
  const best = attempts.reduce((b, a) => Math.max(b, a.percent), 0);
  const passed = attempts.some((a) => a.passed);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/learn">Learn</Link></nav>
      <div>
        <h1 className="text-3xl font-bold">{quiz.title}</h1>
        <p className="text-slate-700">
          {quiz.week ? `Week ${quiz.week} practice · ` : ''}
          {quiz.cases} cases · pass mark {quiz.passMark}% · unlimited attempts, your best score counts
        </p>
      </div>
      <section className="rounded bg-white p-5 shadow" aria-labelledby="status-heading">
        <h2 id="status-heading" className="mb-2 text-xl font-semibold">
          {passed ? `Passed — best score ${best}%` : attempts.length > 0 ? `Best score so far: ${best}%` : 'Not attempted yet'}
        </h2>
        {locked ? (
          <p>This quiz opens on {opens}.</p>
        ) : openAttemptId ? (
          <Link to={`/learn/attempts/${openAttemptId}`} className="inline-block rounded bg-brand-700 px-4 py-2 font-semibold text-white no-underline hover:bg-brand-800">
            Resume your attempt
          </Link>
        ) : (
          <Form method="post">
            <p className="mb-3 text-slate-700">Each case shows what you would see on taking the chat. Answer its questions, submit the case, and read the feedback before the next one. Your answers are saved as you go.</p>
            <SubmitButton name="intent" value="start" pendingText="Starting…">
              {attempts.length > 0 ? 'Start a new attempt' : 'Start the quiz'}
            </SubmitButton>
          </Form>
        )}
      </section>
      {attempts.length > 0 ? (
        <section className="rounded bg-white p-5 shadow" aria-labelledby="attempts-heading">
          <h2 id="attempts-heading" className="mb-2 text-xl font-semibold">Your attempts</h2>
          <ul>
            {attempts.map((a, i) => (
              <li key={a.id} className="flex justify-between border-b border-slate-200 py-2 last:border-0">
                <Link to={`/learn/attempts/${a.id}`}>Attempt {attempts.length - i}</Link>
                <span>{a.percent}% · {a.passed ? 'passed' : 'not passed'}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {casesOpen ? <MoreCases cases={moreCases} /> : null}
    </div>
  );
}

function MoreCases({ cases }: { cases: ReturnType<typeof useLoaderData<typeof loader>>['moreCases'] }) {
  return (
    <section className="rounded bg-white p-5 shadow" aria-labelledby="more-cases-heading">
      <h2 id="more-cases-heading" className="mb-2 text-xl font-semibold">More cases to practise</h2>
      <p className="mb-3 text-slate-700">
        Cases your trainers wrote for this week, one at a time, as often as you like. They are for practice only: they do not count towards completing the week.
      </p>
      {cases.length === 0 ? (
        <p className="text-slate-700">There are no extra cases for this week yet.</p>
      ) : (
        <ul>
          {cases.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 py-3 last:border-0">
              <div>
                <h3 className="font-semibold">{c.title}</h3>
                <p className="text-sm text-slate-700">{c.topic} · difficulty {c.difficulty} of 5</p>
              </div>
              <Form method="post">
                <input type="hidden" name="intent" value="practise-case" />
                <SubmitButton
                  name="scenarioId"
                  value={c.id}
                  pendingText="Starting…"
                  className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50 disabled:cursor-wait disabled:opacity-70"
                >
                  Practise this case<span className="sr-only">: {c.title}</span>
                </SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.quiz.title ?? 'Quiz'} · Frontline` }];
