// One learner's exam and certifications, for a manager of their cohort or an admin: attempts, what is
// left of them, certifications, and the acts that change them (each audited with who, when and why).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { requireRole, type SessionUser } from '~/auth.server';
import { ErrorList, Field, FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { env } from '~/env.server';
import { isManageIntent, manageLearnerSchema, type ManageIntent } from '~/forms/manage';
import { keptValues, parseForm } from '~/forms/parse';
import { reinstateCertification, revokeCertification } from '~/models/certification.server';
import { extendExamDeadline, grantExtraAttempt, resetExamAttempts } from '~/models/exam.server';
import {
  learnerAuditTrail,
  learnerCertification,
  learnerExam,
  learnerExamAttempt,
  learnerExamSituation,
  managedLearner,
} from '~/models/manage.server';

const notFound = () => new Response('There is no such learner.', { status: 404 });

/** The learner, within the viewer's scope; anyone else's id is "not found", never "forbidden". */
async function loadLearner(viewer: SessionUser, params: LoaderFunctionArgs['params']) {
  const learner = await managedLearner(db(), { viewer, userId: Number(params.userId) });
  if (!learner) throw notFound();
  return learner;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const learner = await loadLearner(viewer, params);
  const [situation, trail] = await Promise.all([learnerExamSituation(db(), { learner }), learnerAuditTrail(db(), { userId: learner.id, limit: 50 })]);
  const done = new URL(request.url).searchParams.get('done');
  return { learner, ...situation, trail, done: isManageIntent(done) ? done : null, timeZone: env().DEFAULT_TIME_ZONE };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const learner = await loadLearner(viewer, params);
  const formData = await request.formData();
  // A certification or attempt of someone else is "not found", whatever else is wrong with the form.
  for (const [field, owned] of [
    ['certificationId', (id: number) => learnerCertification(db(), { userId: learner.id, certificationId: id })],
    ['attemptId', (id: number) => learnerExamAttempt(db(), { userId: learner.id, attemptId: id })],
  ] as const) {
    const id = Number(formData.get(field) ?? '');
    if (Number.isSafeInteger(id) && id > 0 && !(await owned(id))) throw notFound();
  }
  const intent = formData.get('intent');
  const rejected = (errors: Partial<Record<string, string[]>>) =>
    Response.json({ intent: isManageIntent(intent) ? intent : null, errors, values: keptValues(formData) }, { status: 400 });
  const parsed = parseForm(manageLearnerSchema, formData);
  if (!parsed.success) return rejected({ ...parsed.errors, ...(parsed.formErrors.length ? { form: parsed.formErrors } : {}) });
  const input = parsed.data;
  const actor = { actorId: viewer.id, reason: input.reason };
  switch (input.intent) {
    case 'revoke':
    case 'reinstate': {
      const change = input.intent === 'revoke' ? revokeCertification : reinstateCertification;
      const result = await change(db(), { certificationId: input.certificationId, ...actor });
      if (!result.ok) return rejected({ form: [result.reason] });
      break;
    }
    case 'reset-attempts':
    case 'extra-attempt': {
      const exam = await learnerExam(db(), { learner });
      if (!exam) return rejected({ form: ['This learner’s track has no certification exam.'] });
      const change = input.intent === 'reset-attempts' ? resetExamAttempts : grantExtraAttempt;
      await change(db(), { userId: learner.id, examId: exam.id, ...actor });
      break;
    }
    case 'extend-deadline': {
      const result = await extendExamDeadline(db(), { attemptId: input.attemptId, minutes: input.minutes, ...actor });
      if (!result.ok) return rejected({ form: [result.reason] });
      break;
    }
  }
  return redirect(`/manage/learners/${learner.id}?done=${input.intent}`);
}

type ActionData = { intent: ManageIntent | null; errors: Partial<Record<string, string[]>>; values: Record<string, string> };
type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

const doneMessages: Record<ManageIntent, string> = {
  revoke: 'Certification revoked: queue access has ended and the helpdesk is told.',
  reinstate: 'Certification reinstated: it counts again until it expires.',
  'reset-attempts': 'Attempts reset: the learner has the full number of attempts again.',
  'extra-attempt': 'One more attempt granted.',
  'extend-deadline': 'The exam’s deadline is extended.',
};

const actionLabels: Record<string, string> = {
  'certification.granted': 'Certification granted',
  'certification.revoked': 'Certification revoked',
  'certification.reinstated': 'Certification reinstated',
  'exam.attempts-reset': 'Exam attempts reset',
  'exam.extra-attempt': 'Extra exam attempt granted',
  'exam.deadline-extended': 'Exam deadline extended',
  'exam.reply-graded': 'Written reply graded',
};

function when(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

function attemptResult(a: PageData['attempts'][number], timeZone: string): string {
  if (a.status === 'in_progress') return `In progress, due ${when(a.deadlineAt, timeZone)}`;
  const result = a.passed === null ? 'Awaiting review' : a.passed ? 'Passed' : 'Failed';
  return a.autoSubmitted ? `${result} (submitted automatically at the deadline)` : result;
}

const cell = 'px-3 py-2';
const section = 'rounded bg-white p-5 shadow';
const dangerButton = 'rounded bg-red-800 px-3 py-2 font-semibold text-white';
const plainButton = 'rounded bg-brand-700 px-3 py-2 font-semibold text-white';

export default function ManageLearner() {
  const data = useLoaderData<typeof loader>();
  const { learner, exam, attempts, allowance, eligibility, openAttempt, certifications, trail, done, timeZone } = data;
  const actionData = useActionData<ActionData>();
  // Forms start empty again after each act (the newest audit event changes), and keep what was typed after an error.
  const formKey = String(trail[0]?.id ?? 0);
  const mine = (intent: ManageIntent, target?: number) =>
    actionData?.intent === intent && (target === undefined || actionData.values.certificationId === String(target)) ? actionData : undefined;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/manage">Learners</Link></nav>
      <div>
        <h1 className="text-3xl font-bold">{learner.name}</h1>
        <p className="text-slate-700">
          {learner.email} · {learner.cohortName ? `Cohort ${learner.cohortName}` : 'No cohort'} · {learner.status === 'active' ? 'Active' : 'Disabled'}
        </p>
      </div>
      {done && !actionData ? <FormAlert tone="success">{doneMessages[done]}</FormAlert> : null}
      {actionData && !actionData.intent ? <FormAlert>{actionData.errors.form?.join(' ') ?? 'Choose what to do.'}</FormAlert> : null}

      <section aria-labelledby="exam-heading" className={section}>
        <h2 id="exam-heading" className="mb-2 text-xl font-semibold">{exam ? exam.title : 'Certification exam'}</h2>
        {!exam || !eligibility ? (
          <p className="text-slate-700">This learner’s track has no certification exam.</p>
        ) : (
          <>
            <p className="mb-3">
              Attempts used: {eligibility.attemptsUsed} of {exam.attemptLimit + allowance.extraAttempts}
              {allowance.extraAttempts > 0 ? ` (${allowance.extraAttempts} extra granted)` : ''} · Attempts left: {eligibility.attemptsLeft}
              {eligibility.cooldownEndsAt ? ` · Next attempt from ${when(eligibility.cooldownEndsAt, timeZone)} (${exam.cooldownHours}-hour wait after a failed attempt)` : ''}
              {allowance.attemptsResetAt ? ` · Attempts last reset ${when(allowance.attemptsResetAt, timeZone)}` : ''}
            </p>
            {attempts.length === 0 ? (
              <p className="text-slate-700">No attempts yet.</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">Exam attempts, newest first</caption>
                  <thead className="bg-slate-100">
                    <tr><th scope="col" className={cell}>Started</th><th scope="col" className={cell}>Score</th><th scope="col" className={cell}>Result</th></tr>
                  </thead>
                  <tbody>
                    {attempts.map((a) => (
                      <tr key={a.id} className="border-t border-slate-200">
                        <td className={cell}>
                          {when(a.startedAt, timeZone)}
                          {allowance.attemptsResetAt && a.startedAt <= allowance.attemptsResetAt ? <span className="block text-slate-700">before the reset: not counted</span> : null}
                        </td>
                        <td className={cell}>{a.score !== null && a.maxScore ? `${Math.round((100 * a.score) / a.maxScore)}%` : '—'}</td>
                        <td className={cell}>{attemptResult(a, timeZone)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <div className="mt-4 grid gap-4 md:grid-cols-2">
              {openAttempt ? (
                <ActForm key={`extend-${formKey}`} intent="extend-deadline" title="Give more time" actionData={mine('extend-deadline')} button="Extend the deadline" hidden={{ attemptId: openAttempt.id }}>
                  <Field label="Extra minutes (5–120)" name="minutes" type="number" min={5} max={120} required defaultValue={mine('extend-deadline')?.values.minutes ?? '15'} errors={mine('extend-deadline')?.errors.minutes} />
                </ActForm>
              ) : null}
              <ActForm key={`extra-${formKey}`} intent="extra-attempt" title="Grant one more attempt" actionData={mine('extra-attempt')} button="Grant an attempt" />
              <ActForm key={`reset-${formKey}`} intent="reset-attempts" title="Reset attempts" actionData={mine('reset-attempts')} button="Reset attempts" danger
                confirm={`Yes: earlier attempts of ${learner.name} no longer count, and the wait after a failed attempt ends.`} />
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="certifications-heading" className={section}>
        <h2 id="certifications-heading" className="mb-2 text-xl font-semibold">Certifications</h2>
        {certifications.length === 0 ? <p className="text-slate-700">Not certified yet.</p> : (
          <ul className="space-y-4">
            {certifications.map((c) => (
              <li key={c.id} className="rounded border border-slate-300 p-3">
                <p className="font-semibold">
                  {c.queue} queue: {c.status === 'valid' ? 'Valid' : c.status === 'expired' ? 'Expired' : 'Revoked'}
                </p>
                <p className="text-sm text-slate-700">
                  Issued {when(c.issued_at, timeZone)} · Expires {when(c.expires_at, timeZone)} · Credential{' '}
                  <Link to={`/verify/${c.credential_id}`} className="font-mono">{c.credential_id}</Link>
                </p>
                {c.revoked_at ? <p className="text-sm">Revoked {when(c.revoked_at, timeZone)}: {c.revoke_reason}</p> : null}
                {c.status === 'valid' ? (
                  <ActForm key={`revoke-${c.id}-${formKey}`} intent="revoke" title="Revoke…" collapsed actionData={mine('revoke', c.id)} button="Revoke the certification" danger hidden={{ certificationId: c.id }}
                    confirm={`Yes: ${learner.name} loses access to the ${c.queue} queue at once.`} />
                ) : c.status === 'revoked' ? (
                  <ActForm key={`reinstate-${c.id}-${formKey}`} intent="reinstate" title="Reinstate…" collapsed actionData={mine('reinstate', c.id)} button="Reinstate the certification" hidden={{ certificationId: c.id }} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="trail-heading" className={section}>
        <h2 id="trail-heading" className="mb-2 text-xl font-semibold">Audit trail</h2>
        {trail.length === 0 ? <p className="text-slate-700">Nothing recorded yet.</p> : (
          <ol className="divide-y divide-slate-200">
            {trail.map((t) => (
              <li key={t.id} className="py-2">
                <p><span className="font-semibold">{actionLabels[t.action] ?? t.action}</span> by {t.actorName ?? 'the system'} · <time dateTime={t.createdAt}>{when(t.createdAt, timeZone)}</time></p>
                {t.reason ? <p className="text-sm text-slate-700">Reason: {t.reason}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** One act on the learner: a reason (kept in the audit trail), optional fields, and a confirmation for destructive acts. */
function ActForm(props: {
  intent: ManageIntent;
  title: string;
  button: string;
  actionData: ActionData | undefined;
  hidden?: Record<string, number>;
  confirm?: string;
  danger?: boolean;
  collapsed?: boolean;
  children?: ReactNode;
}) {
  const { intent, actionData } = props;
  const errors = actionData?.errors;
  const confirmErrorId = `${intent}-${props.hidden?.certificationId ?? ''}-confirm-error`;
  const body = (
    <Form method="post" className={`rounded border p-3 ${props.danger ? 'border-red-300 bg-red-50' : 'border-slate-300'}`}>
      {props.collapsed ? null : <h3 className="mb-2 font-semibold">{props.title}</h3>}
      {errors?.form ? <FormAlert>{errors.form.join(' ')}</FormAlert> : null}
      {Object.entries(props.hidden ?? {}).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {props.children}
      <Field label="Reason (kept in the audit trail)" name="reason" required minLength={5} maxLength={500} defaultValue={actionData?.values.reason ?? ''} errors={errors?.reason} />
      {props.confirm ? (
        <div className="mb-4">
          <label className="inline-flex items-start gap-2">
            <input type="checkbox" name="confirm" required defaultChecked={actionData?.values.confirm === 'on'} aria-invalid={errors?.confirm ? true : undefined} aria-describedby={errors?.confirm ? confirmErrorId : undefined} className="mt-1" />
            <span>{props.confirm}</span>
          </label>
          <ErrorList id={confirmErrorId} errors={errors?.confirm} />
        </div>
      ) : null}
      <SubmitButton name="intent" value={intent} className={props.danger ? dangerButton : plainButton}>{props.button}</SubmitButton>
    </Form>
  );
  if (!props.collapsed) return body;
  return (
    <details className="mt-2" open={actionData !== undefined}>
      <summary className={`cursor-pointer font-semibold ${props.danger ? 'text-red-800' : 'text-brand-700'}`}>{props.title}</summary>
      <div className="mt-2">{body}</div>
    </details>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.learner.name ?? 'Learner'} · Manage · Frontline` }];
