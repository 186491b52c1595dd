// The certification exam on a learner's page: attempts used and left, the wait after a failed attempt,
// every attempt with its score by topic, and the acts on them (more time, another attempt, waive the
// wait, reset the attempts).
import { Field } from '~/components/forms';
import { formatDateTime } from '~/domain/calendar';
import type { LearnerExamSituation, ManagedExamAttempt } from '~/models/manage.server';
import { ActForm, percent, sectionClass, type Acts } from './act-form';

const cell = 'px-2 py-1';

function attemptResult(a: ManagedExamAttempt, when: (iso: string) => string): string {
  if (a.status === 'in_progress') return `In progress, due ${when(a.deadlineAt)}`;
  const result = a.passed === null ? 'Awaiting review' : a.passed ? 'Passed' : 'Failed';
  return a.autoSubmitted ? `${result} (submitted automatically at the deadline)` : result;
}

function TopicScores({ attempt }: { attempt: ManagedExamAttempt }) {
  if (attempt.topics.length === 0) return null;
  return (
    <div className="relative mt-2 overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="text-left text-slate-700">Score by topic, weakest first</caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className={cell}>Topic</th>
            <th scope="col" className={cell}>Points</th>
            <th scope="col" className={cell}>Score</th>
          </tr>
        </thead>
        <tbody>
          {attempt.topics.map((t) => (
            <tr key={t.topic} className="border-t border-slate-200">
              <th scope="row" className={`${cell} font-normal`}>{t.label}</th>
              <td className={cell}>
                {t.score} of {t.max}
                {t.pending > 0 ? ` (${t.pending} awaiting review)` : ''}
              </td>
              <td className={cell}>{t.pending > 0 ? 'Not final' : percent(t.score, t.max)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ExamAttempts({ situation, learnerName, acts, timeZone }: { situation: LearnerExamSituation; learnerName: string; acts: Acts; timeZone: string }) {
  const { exam, attempts, allowance, eligibility, openAttempt } = situation;
  const when = (iso: string) => formatDateTime(iso, timeZone);
  if (!exam || !eligibility) {
    return (
      <section aria-labelledby="exam-heading" className={sectionClass}>
        <h2 id="exam-heading" className="mb-2 text-xl font-semibold">Exam attempts</h2>
        <p className="text-slate-700">This learner’s track has no certification exam.</p>
      </section>
    );
  }
  const extendDeadline = acts.mine('extend-deadline');
  return (
    <section aria-labelledby="exam-heading" className={sectionClass}>
      <h2 id="exam-heading" className="mb-1 text-xl font-semibold">Exam attempts</h2>
      <p className="mb-2 text-slate-700">{exam.title}</p>
      <p className="mb-3">
        Attempts used: {eligibility.attemptsUsed} of {exam.attemptLimit + allowance.extraAttempts}
        {allowance.extraAttempts > 0 ? ` (${allowance.extraAttempts} extra granted)` : ''} · Attempts left: {eligibility.attemptsLeft}
        {eligibility.cooldownEndsAt ? ` · Next attempt from ${when(eligibility.cooldownEndsAt)} (${exam.cooldownHours}-hour wait after a failed attempt)` : ''}
        {allowance.attemptsResetAt ? ` · Attempts last reset ${when(allowance.attemptsResetAt)}` : ''}
        {allowance.cooldownWaivedAt ? ` · Wait last waived ${when(allowance.cooldownWaivedAt)}` : ''}
      </p>
      {attempts.length === 0 ? (
        <p className="text-slate-700">No attempts yet.</p>
      ) : (
        <ol className="space-y-3" aria-label="Attempts, newest first">
          {attempts.map((a, i) => (
            <li key={a.id} className="rounded border border-slate-300 p-3">
              <h3 className="font-semibold">
                Attempt {attempts.length - i}: {attemptResult(a, when)}
                {a.score !== null && a.maxScore ? ` · ${percent(a.score, a.maxScore)} (${a.score} of ${a.maxScore} points)` : ''}
              </h3>
              <p className="text-sm text-slate-700">
                Started {when(a.startedAt)}
                {a.submittedAt ? ` · submitted ${when(a.submittedAt)}` : ''}
                {a.gradedAt && a.gradedAt !== a.submittedAt ? ` · graded ${when(a.gradedAt)}` : ''}
                {a.counted ? '' : ' · before the reset: not counted'}
              </p>
              <TopicScores attempt={a} />
            </li>
          ))}
        </ol>
      )}
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        {openAttempt ? (
          <ActForm key={`extend-${acts.formKey}`} intent="extend-deadline" title="Give more time" actionData={extendDeadline} button="Extend the deadline" hidden={{ attemptId: openAttempt.id }}>
            <Field label="Extra minutes (5–120)" name="minutes" type="number" inputMode="numeric" min={5} max={120} required defaultValue={extendDeadline?.values.minutes ?? '15'} errors={extendDeadline?.errors.minutes} />
          </ActForm>
        ) : null}
        {eligibility.cooldownEndsAt ? (
          <ActForm key={`waive-${acts.formKey}`} intent="waive-cooldown" title="Waive the wait" actionData={acts.mine('waive-cooldown')} button="Let them sit now"
            description={`${learnerName} may start the next attempt at once instead of at ${when(eligibility.cooldownEndsAt)}.`} />
        ) : null}
        <ActForm key={`extra-${acts.formKey}`} intent="extra-attempt" title="Grant one more attempt" actionData={acts.mine('extra-attempt')} button="Grant an attempt" />
        <ActForm key={`reset-${acts.formKey}`} intent="reset-attempts" title="Reset attempts" actionData={acts.mine('reset-attempts')} button="Reset attempts" danger
          confirm={`Yes: earlier attempts of ${learnerName} no longer count, and the wait after a failed attempt ends.`} />
      </div>
    </section>
  );
}
