import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { RouteHandle } from '~/root';
import { ProgressBar } from '~/components/progress';
import { formatDate } from '~/domain/calendar';
import { isModuleComplete, moduleProgress, opensOn, todaysLessons, trackDay } from '~/domain/schedule';
import { db } from '~/db.server';
import { certificationStatus, expiryReminder, recertificationWindow } from '~/domain/certification';
import { listQuizzes, quizResults } from '~/models/attempt.server';
import { examForTrack, latestCertification } from '~/models/exam.server';
import { describeState, requireLearnerContext, type LessonStateView } from '~/learner.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, enrolment, outline, states, completed, position } = await requireLearnerContext(request);
  if (!enrolment || !outline) return { name: user.name, track: null };
  const now = new Date();
  const [quizzes, results, exam] = await Promise.all([
    listQuizzes(db(), { trackId: enrolment.trackId }),
    quizResults(db(), { userId: user.id }),
    examForTrack(db(), { trackId: enrolment.trackId }),
  ]);
  const certification = exam ? await latestCertification(db(), { userId: user.id, queue: exam.queue }) : null;
  const dates = certification ? { issuedAt: certification.issued_at, expiresAt: certification.expires_at, revokedAt: certification.revoked_at } : null;
  const reminder = dates ? expiryReminder(dates, now) : null;

  const titles = new Map(outline.lessons.map((l) => [l.id, l.title]));
  const lessonView = (id: string) => {
    const lesson = outline.lessons.find((l) => l.id === id);
    if (!lesson) return null;
    return { id, title: lesson.title, day: lesson.day, minutes: lesson.minutes, state: describeState(states.get(id), titles) };
  };
  const today = trackDay(enrolment, new Date());
  const agenda = todaysLessons(outline.lessons, states, today);
  const progress = moduleProgress(outline.modules.map((m) => m.id), outline.lessons, completed);
  const nextLocked = outline.lessons.find((l) => l.day > today);
  return {
    name: user.name,
    track: {
      title: outline.title,
      queue: outline.queue,
      cohortName: enrolment.cohortName,
      position: position.kind === 'not-started' ? { ...position, startsOn: formatDate(position.startsOn) } : position,
      today: agenda.today.flatMap((id) => lessonView(id) ?? []),
      catchUp: agenda.catchUp.flatMap((id) => lessonView(id) ?? []),
      nextOpening: nextLocked ? formatDate(opensOn(enrolment, nextLocked.day)) : null,
      exam: exam
        ? {
            title: exam.title,
            opensOnDay: exam.blueprint.eligibility.notBeforeDay,
            certification: dates && certification ? { status: certificationStatus(dates, now), expiresOn: formatDate(certification.expires_at.slice(0, 10)) } : null,
            // 30 and 7 days before expiry: the recertification exam is open from its window.
            reminder: reminder
              ? {
                  daysLeft: reminder.daysLeft,
                  recertificationOpen: now >= recertificationWindow(reminder.expiresAt, exam.blueprint).opensAt,
                }
              : null,
          }
        : null,
      // Open practice quizzes not yet passed belong on today's list too.
      quizzesToDo: quizzes
        .filter((q) => q.day <= today && !results.get(q.id)?.passed)
        .map((q) => ({ id: q.id, title: q.title, bestPercent: results.get(q.id)?.bestPercent ?? null })),
      // Completions of retired lessons are kept but are not among the lessons shown.
      completedCount: outline.lessons.filter((l) => completed.has(l.id)).length,
      lessonCount: outline.lessons.length,
      modules: outline.modules.map((m) => {
        const p = progress.find((x) => x.moduleId === m.id) ?? { completed: 0, total: 0, percent: 0 };
        const quiz = quizzes.find((q) => q.moduleId === m.id);
        const result = quiz ? results.get(quiz.id) : undefined;
        return {
          ...m,
          completed: p.completed,
          total: p.total,
          percent: p.percent,
          complete: isModuleComplete(p, quiz ? { passed: result?.passed ?? false } : null),
          quiz: quiz
            ? {
                id: quiz.id,
                title: quiz.title,
                passMark: quiz.passMark,
                opensOn: quiz.day > today ? formatDate(opensOn(enrolment, quiz.day)) : null,
                bestPercent: result?.bestPercent ?? null,
                passed: result?.passed ?? false,
              }
            : null,
          lessons: outline.lessons.filter((l) => l.moduleId === m.id).flatMap((l) => lessonView(l.id) ?? []),
        };
      }),
    },
  };
}

type LessonItem = { id: string; title: string; day: number; minutes: number; state: LessonStateView };

function StateBadge({ state }: { state: LessonStateView }) {
  if (state.status === 'completed') return <span className="rounded bg-green-100 px-2 py-0.5 text-sm text-green-900">Completed</span>;
  if (state.status === 'available') return <span className="rounded bg-brand-100 px-2 py-0.5 text-sm text-brand-800">Open</span>;
  const why = state.opensOn ? `Opens ${state.opensOn}` : `After ${state.waitingFor.map((w) => w.title).join(', ')}`;
  return <span className="rounded bg-slate-200 px-2 py-0.5 text-sm text-slate-800">Locked · {why}</span>;
}

function LessonRow({ lesson }: { lesson: LessonItem }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 py-2 last:border-0">
      <span>
        {lesson.state.status === 'locked' ? (
          <span className="text-slate-700">{lesson.title}</span>
        ) : (
          <Link to={`/learn/lessons/${lesson.id}`}>{lesson.title}</Link>
        )}
        <span className="ml-2 text-sm text-slate-600">
          Day {lesson.day} · {lesson.minutes} min
        </span>
      </span>
      <StateBadge state={lesson.state} />
    </li>
  );
}

// Plain HTML: nothing on this page needs JavaScript (see RouteHandle in root.tsx).
export const handle: RouteHandle = { hydrate: false };

export default function LearnDashboard() {
  const { name, track } = useLoaderData<typeof loader>();
  if (!track) {
    return (
      <section className="rounded bg-white p-6 shadow">
        <h1 className="mb-2 text-2xl font-bold">Welcome, {name}</h1>
        <p>You are not enrolled in the onboarding track yet. Your manager or an administrator will add you to a cohort; your lessons appear here from its start date.</p>
      </section>
    );
  }
  const { position } = track;
  return (
    <div className="space-y-6">
      <section>
        <p className="text-sm text-slate-600">{track.title}{track.cohortName ? ` · ${track.cohortName}` : ''}</p>
        {position.kind === 'not-started' ? (
          <h1 className="text-3xl font-bold">Your track starts on {position.startsOn}</h1>
        ) : (
          <h1 className="text-3xl font-bold">
            Day {Math.min(position.day, position.of)} of {position.of}
          </h1>
        )}
        {position.kind === 'finished' ? <p className="mt-1">The track's schedule is over: finish any lessons still open below.</p> : null}
        <p className="mt-1 text-slate-700">
          {track.completedCount} of {track.lessonCount} lessons completed
        </p>
      </section>

      {track.exam?.reminder ? (
        <p role="status" className="rounded border-l-4 border-amber-600 bg-amber-50 p-3 text-amber-900">
          Your certification expires in {track.exam.reminder.daysLeft} {track.exam.reminder.daysLeft === 1 ? 'day' : 'days'} ({track.exam.certification?.expiresOn}).{' '}
          {track.exam.reminder.recertificationOpen ? (
            <Link to="/exam">Sit the recertification exam</Link>
          ) : (
            'The recertification exam opens soon.'
          )}{' '}
          to keep live-queue access.
        </p>
      ) : null}

      {track.exam ? (
        <section aria-labelledby="exam-heading" className="rounded bg-white p-5 shadow">
          <h2 id="exam-heading" className="mb-1 text-xl font-semibold">{track.exam.title}</h2>
          <p>
            {track.exam.certification?.status === 'valid'
              ? `You are certified for live chats until ${track.exam.certification.expiresOn}.`
              : track.exam.certification?.status === 'revoked'
                ? 'Your certification was revoked.'
                : track.exam.certification?.status === 'expired'
                  ? `Your certification expired on ${track.exam.certification.expiresOn}.`
                  : `The exam opens on day ${track.exam.opensOnDay} once every week is complete.`}{' '}
            <Link to="/exam">Go to the exam</Link>
          </p>
        </section>
      ) : null}

      {position.kind !== 'not-started' ? (
        <section aria-labelledby="today-heading" className="rounded bg-white p-5 shadow">
          <h2 id="today-heading" className="mb-2 text-xl font-semibold">Today's lessons</h2>
          {track.today.length > 0 ? (
            <ul>{track.today.map((l) => <LessonRow key={l.id} lesson={l} />)}</ul>
          ) : (
            <p className="text-slate-700">
              No new lessons today.{track.nextOpening ? ` The next lesson opens on ${track.nextOpening}.` : ''}
            </p>
          )}
          {track.quizzesToDo.length > 0 ? (
            <ul className="mt-2">
              {track.quizzesToDo.map((q) => (
                <li key={q.id} className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 py-2">
                  <Link to={`/learn/quizzes/${q.id}`}>{q.title}</Link>
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-900">
                    Practice quiz{q.bestPercent !== null ? ` · best ${q.bestPercent}%` : ''}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {track.catchUp.length > 0 ? (
            <>
              <h3 className="mt-4 mb-1 font-semibold">Still to do from earlier days</h3>
              <ul>{track.catchUp.map((l) => <LessonRow key={l.id} lesson={l} />)}</ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="weeks-heading">
        <h2 id="weeks-heading" className="mb-3 text-xl font-semibold">Your progress by week</h2>
        <div className="grid gap-4 md:grid-cols-2">
          {track.modules.map((m) => (
            <article key={m.id} className="rounded bg-white p-5 shadow">
              <h3 className="font-semibold">
                Week {m.week}: {m.title}
              </h3>
              <p className="mb-2 text-sm text-slate-700">{m.summary}</p>
              <p className="mb-1 text-sm" id={`${m.id}-progress`}>
                {m.completed} of {m.total} lessons · {m.percent}%
              </p>
              <ProgressBar percent={m.percent} label={`Week ${m.week} progress`} />
              {m.quiz ? (
                <p className="mt-2 text-sm">
                  {m.quiz.opensOn ? (
                    <span>{m.quiz.title}: opens {m.quiz.opensOn}</span>
                  ) : (
                    <Link to={`/learn/quizzes/${m.quiz.id}`}>{m.quiz.title}</Link>
                  )}
                  {' · '}
                  {m.quiz.passed ? `passed (best ${m.quiz.bestPercent}%)` : m.quiz.bestPercent !== null ? `best ${m.quiz.bestPercent}%, pass mark ${m.quiz.passMark}%` : `pass mark ${m.quiz.passMark}%`}
                </p>
              ) : null}
              {m.complete ? <p className="mt-1 text-sm font-semibold text-green-800">Week {m.week} complete</p> : null}
              <details className="mt-3">
                <summary className="cursor-pointer text-sm font-medium">Lessons in week {m.week}</summary>
                <ul className="mt-2">{m.lessons.map((l) => <LessonRow key={l.id} lesson={l} />)}</ul>
              </details>
            </article>
          ))}
        </div>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Learn · Frontline' }];
