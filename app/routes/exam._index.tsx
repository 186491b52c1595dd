import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { FormAlert, SubmitButton } from '~/components/forms';
import { examLength } from '~/content/exam-schema';
import { formatDateTime } from '~/domain/calendar';
import { certificationStatus, expiryReminder } from '~/domain/certification';
import { trackDay } from '~/domain/schedule';
import { db } from '~/db.server';
import { requireExamContext } from '~/exam.server';
import { startExamAttempt } from '~/models/exam.server';
import type { RouteHandle } from '~/root';
import { readForm } from '~/read-form.server';

export const handle: RouteHandle = { hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date();
  const context = await requireExamContext(request, now);
  if (!context.enrolment) return { state: 'not-enrolled' as const };
  if (!context.exam) return { state: 'no-exam' as const };
  const { exam, eligibility, attempts, certification, enrolment, modules } = context;
  const when = (iso: string | Date) => formatDateTime(iso, enrolment.timeZone);
  const open = attempts.find((a) => a.status === 'in_progress');
  const status = certification ? certificationStatus({ issuedAt: certification.issued_at, expiresAt: certification.expires_at, revokedAt: certification.revoked_at }, now) : null;
  const reminder = certification
    ? expiryReminder({ issuedAt: certification.issued_at, expiresAt: certification.expires_at, revokedAt: certification.revoked_at }, now)
    : null;
  const { blueprint } = exam;
  return {
    state: 'ready' as const,
    timeZone: enrolment.timeZone,
    exam: {
      title: exam.title,
      queue: exam.queue,
      items: examLength(blueprint),
      minutes: blueprint.durationMinutes,
      passMark: blueprint.passMark,
      attemptLimit: blueprint.attemptLimit,
      cooldownHours: blueprint.cooldownHours,
      validityDays: blueprint.validityDays,
      notBeforeDay: blueprint.eligibility.notBeforeDay,
    },
    today: trackDay(enrolment, now),
    modules,
    eligible: eligibility.eligible,
    failed: eligibility.failed,
    missing: eligibility.missing,
    attemptsLeft: eligibility.attemptsLeft,
    attemptsUsed: eligibility.attemptsUsed,
    cooldownEndsAt: eligibility.cooldownEndsAt ? when(eligibility.cooldownEndsAt) : null,
    recertificationOpensAt: eligibility.recertificationOpensAt ? when(eligibility.recertificationOpensAt) : null,
    open: open ? { id: open.id, endsAt: when(open.deadlineAt) } : null,
    certification: certification && status ? { status, issuedAt: when(certification.issued_at), expiresAt: when(certification.expires_at) } : null,
    reminder: reminder ? { daysLeft: reminder.daysLeft } : null,
    attempts: attempts
      .filter((a) => a.status === 'submitted')
      .map((a) => ({
        id: a.id,
        submittedAt: when(a.submittedAt ?? a.startedAt),
        result:
          a.gradedAt === null ? 'Awaiting review' : a.passed ? `Passed · ${percentOf(a.score, a.maxScore)}%` : `Not passed · ${percentOf(a.score, a.maxScore)}%`,
      })),
  };
}

function percentOf(score: number | null, max: number | null): number {
  return max ? Math.round((1000 * (score ?? 0)) / max) / 10 : 0;
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await requireExamContext(request);
  const formData = await readForm(request);
  if (formData.get('intent') !== 'start') return Response.json({ error: 'Unknown action.' }, { status: 400 });
  if (!context.exam) return Response.json({ error: 'There is no exam for your track.' }, { status: 404 });
  const open = context.attempts.find((a) => a.status === 'in_progress');
  if (open) return redirect(`/exam/attempts/${open.id}`);
  if (!context.eligibility.eligible) return Response.json({ error: context.eligibility.missing.join(' ') }, { status: 409 });
  const started = await startExamAttempt(db(), { userId: context.user.id, exam: context.exam });
  if (!started.ok) return Response.json({ error: started.reason }, { status: 409 });
  return redirect(`/exam/attempts/${started.attemptId}`);
}

function Check({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <li className="flex items-start gap-2">
      <span aria-hidden="true" className={ok ? 'text-green-800' : 'text-slate-600'}>{ok ? '✓' : '○'}</span>
      <span>
        <span className="sr-only">{ok ? 'Done: ' : 'Not yet: '}</span>
        {children}
      </span>
    </li>
  );
}

export default function ExamPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<{ error?: string }>();
  if (data.state !== 'ready') {
    return (
      <div className="mx-auto max-w-3xl space-y-4">
        <h1 className="text-3xl font-bold">Certification exam</h1>
        <p>{data.state === 'not-enrolled' ? 'You are not enrolled in a track yet: your manager will enrol you.' : 'No certification exam is set up for your track yet.'}</p>
      </div>
    );
  }
  const { exam } = data;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-3xl font-bold">{exam.title}</h1>
      {data.reminder ? (
        <p role="status" className="rounded border-l-4 border-amber-600 bg-amber-50 p-3 text-amber-900">
          Your certification expires in {data.reminder.daysLeft} {data.reminder.daysLeft === 1 ? 'day' : 'days'}. Sit the recertification exam to keep live-queue access.
        </p>
      ) : null}
      {data.certification ? (
        <section className="rounded bg-white p-4 shadow" aria-labelledby="cert-heading">
          <h2 id="cert-heading" className="text-xl font-semibold">Your certification</h2>
          <p>
            {data.certification.status === 'valid'
              ? `Valid until ${data.certification.expiresAt}: you may take live chats on the ${exam.queue} queue.`
              : data.certification.status === 'expired'
                ? `Expired on ${data.certification.expiresAt}: sit the exam again to regain live-queue access.`
                : 'Revoked: a manager has withdrawn it. Live-queue access has ended.'}
          </p>
          <Link to="/certificate">See your certificate</Link>
        </section>
      ) : null}
      <section className="rounded bg-white p-4 shadow" aria-labelledby="about-heading">
        <h2 id="about-heading" className="text-xl font-semibold">About the exam</h2>
        <ul className="mt-2 list-disc space-y-1 pl-6">
          <li>{exam.items} questions drawn from the scenario bank, each from a different case; {exam.minutes} minutes, timed by the server.</li>
          <li>Pass mark {exam.passMark}%. A critical question answered unsafely fails the exam whatever the score.</li>
          <li>{exam.attemptLimit} attempts; after a failed attempt the next opens {exam.cooldownHours} hours later.</li>
          <li>No feedback during the exam. Written replies are graded by a trainer before the result is final.</li>
          <li>A pass certifies you for the {exam.queue} live queue for {exam.validityDays} days.</li>
        </ul>
      </section>
      <section className="rounded bg-white p-4 shadow" aria-labelledby="ready-heading">
        <h2 id="ready-heading" className="text-xl font-semibold">Are you ready?</h2>
        <ul className="mt-2 space-y-1">
          {data.modules.map((m) => (
            <Check key={m.id} ok={m.complete}>
              Week {m.week}: {m.title} — {m.excused ? 'excused by your manager' : 'lessons done and practice quiz passed'}
            </Check>
          ))}
          <Check ok={data.today >= exam.notBeforeDay}>
            The exam opens on day {exam.notBeforeDay} of the track (today is day {Math.max(data.today, 0)})
          </Check>
          <Check ok={data.attemptsLeft > 0}>
            Attempts left: {data.attemptsLeft} ({data.attemptsUsed} used)
          </Check>
          {data.cooldownEndsAt ? <Check ok={false}>Your next attempt opens {data.cooldownEndsAt}</Check> : null}
          {data.recertificationOpensAt && data.failed.includes('certified') ? (
            <Check ok={false}>Recertification opens {data.recertificationOpensAt}</Check>
          ) : null}
        </ul>
        {data.missing.length > 0 && !data.open ? (
          <div className="mt-3">
            <h3 className="font-semibold">Still missing</h3>
            <ul className="list-disc pl-6">
              {data.missing.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <FormAlert>{actionData?.error}</FormAlert>
        {data.open ? (
          <p className="mt-4">
            <Link to={`/exam/attempts/${data.open.id}`} className="inline-block rounded bg-brand-700 px-4 py-2 font-semibold text-white no-underline hover:bg-brand-800">
              Resume the exam
            </Link>{' '}
            <span className="text-slate-700">It ends {data.open.endsAt} ({data.timeZone}).</span>
          </p>
        ) : data.eligible ? (
          <Form method="post" className="mt-4 space-y-2">
            <p>The clock starts when you press Start and does not stop if you leave the page.</p>
            <SubmitButton name="intent" value="start" pendingText="Starting…">
              Start the exam
            </SubmitButton>
          </Form>
        ) : null}
      </section>
      {data.attempts.length > 0 ? (
        <section className="rounded bg-white p-4 shadow" aria-labelledby="attempts-heading">
          <h2 id="attempts-heading" className="text-xl font-semibold">Your attempts</h2>
          <ul className="mt-2">
            {data.attempts.map((a) => (
              <li key={a.id} className="flex justify-between border-b border-slate-200 py-2 last:border-0">
                <Link to={`/exam/attempts/${a.id}`}>{a.submittedAt}</Link>
                <span>{a.result}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Certification exam · Frontline' }];
