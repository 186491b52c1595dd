// One learner, for a manager of their cohort or an admin: where they stand, their progress week by
// week, every exam attempt with its score by topic, certifications, everything they did and everything
// done about them; and the acts that help them along (each audited with who, when and why).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireRole, type SessionUser } from '~/auth.server';
import { FormAlert } from '~/components/forms';
import { actsFor, type ActionData } from '~/components/manage/act-form';
import { ActivityTimeline, AuditTrail } from '~/components/manage/activity';
import { CertificationHistory } from '~/components/manage/certification-history';
import { ExamAttempts } from '~/components/manage/exam-attempts';
import { LearnerHeader } from '~/components/manage/learner-header';
import { LearnerProgress } from '~/components/manage/learner-progress';
import { db } from '~/db.server';
import { env } from '~/env.server';
import { isManageIntent, manageLearnerSchema, type ManageIntent } from '~/forms/manage';
import { keptValues, parseForm } from '~/forms/parse';
import { reinstateCertification, revokeCertification } from '~/models/certification.server';
import { extendExamDeadline, grantExtraAttempt, resetExamAttempts, waiveCooldown } from '~/models/exam.server';
import {
  excuseWeek,
  extendSchedule,
  learnerAuditTrail,
  learnerCertification,
  learnerExam,
  learnerExamAttempt,
  learnerExamSituation,
  learnerProgress,
  learnerTimeline,
  managedLearner,
  TIMELINE_MAX,
  TIMELINE_STEP,
  unexcuseWeek,
} from '~/models/manage.server';
import { readForm } from '~/read-form.server';

const notFound = () => new Response('There is no such learner.', { status: 404 });

/** The learner, within the viewer's scope; anyone else's id is "not found", never "forbidden". */
async function loadLearner(viewer: SessionUser, params: LoaderFunctionArgs['params']) {
  const learner = await managedLearner(db(), { viewer, userId: Number(params.userId) });
  if (!learner) throw notFound();
  return learner;
}

/** ?limit= for the activity timeline: how many events to show ("show more" asks for more). */
function timelineLimit(url: URL): number {
  const limit = Number(url.searchParams.get('limit'));
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, TIMELINE_MAX) : TIMELINE_STEP;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const learner = await loadLearner(viewer, params);
  const url = new URL(request.url);
  const now = new Date();
  const limit = timelineLimit(url);
  const progress = await learnerProgress(db(), { learner, defaultTimeZone: env().DEFAULT_TIME_ZONE, now });
  const [situation, timeline, trail] = await Promise.all([
    // A learner who is not enrolled has no schedule: the exam is not open to them.
    learnerExamSituation(db(), { learner, readiness: progress?.readiness ?? { modulesComplete: false, trackDay: 0 }, now }),
    learnerTimeline(db(), { userId: learner.id, limit }),
    learnerAuditTrail(db(), { userId: learner.id, limit: 50 }),
  ]);
  const done = url.searchParams.get('done');
  return {
    learner,
    progress,
    ...situation,
    timeline: { ...timeline, nextLimit: Math.min(limit + TIMELINE_STEP, TIMELINE_MAX) },
    trail,
    done: isManageIntent(done) ? done : null,
    timeZone: progress?.timeZone ?? env().DEFAULT_TIME_ZONE,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const learner = await loadLearner(viewer, params);
  const formData = await readForm(request);
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
    case 'waive-cooldown': {
      // Only while a wait runs: a stale form (the wait has ended, or attempts ran out) changes nothing.
      const { exam, eligibility } = await learnerExamSituation(db(), { learner });
      if (!exam || !eligibility?.cooldownEndsAt) return rejected({ form: ['There is no wait after a failed attempt to waive now.'] });
      await waiveCooldown(db(), { userId: learner.id, examId: exam.id, ...actor });
      break;
    }
    case 'extend-schedule': {
      const result = await extendSchedule(db(), { userId: learner.id, days: input.days, ...actor });
      if (!result.ok) return rejected({ form: [result.reason] });
      break;
    }
    case 'excuse-week':
    case 'unexcuse-week': {
      const change = input.intent === 'excuse-week' ? excuseWeek : unexcuseWeek;
      const result = await change(db(), { userId: learner.id, moduleId: input.moduleId, ...actor });
      if (!result.ok) return rejected(result.field ? { [result.field]: [result.reason] } : { form: [result.reason] });
      break;
    }
  }
  return redirect(`/manage/learners/${learner.id}?done=${input.intent}`);
}

const doneMessages: Record<ManageIntent, string> = {
  revoke: 'Certification revoked: queue access has ended and the helpdesk is told.',
  reinstate: 'Certification reinstated: it counts again until it expires.',
  'reset-attempts': 'Attempts reset: the learner has the full number of attempts again.',
  'extra-attempt': 'One more attempt granted.',
  'extend-deadline': 'The exam’s deadline is extended.',
  'waive-cooldown': 'The wait is waived: the learner can start the next attempt now.',
  'extend-schedule': 'The schedule is extended: lessons open later and the day of the track has gone back.',
  'excuse-week': 'The week is excused: it counts as complete for the exam.',
  'unexcuse-week': 'The excusal is withdrawn: the week counts again once it is done.',
};

const contents = [
  ['progress-heading', 'Progress'],
  ['exam-heading', 'Exam attempts'],
  ['certifications-heading', 'Certifications'],
  ['activity-heading', 'Activity'],
  ['trail-heading', 'Audit trail'],
] as const;

export default function ManageLearner() {
  const data = useLoaderData<typeof loader>();
  const { learner, progress, timeline, trail, done, timeZone } = data;
  const actionData = useActionData<ActionData>();
  // Forms start empty again after each act (the newest audit event changes), and keep what was typed after an error.
  const acts = actsFor(actionData, String(trail[0]?.id ?? 0));
  const formErrors = actionData?.errors.form;
  return (
    <div className="space-y-6">
      <LearnerHeader learner={learner} progress={progress} situation={data} timeZone={timeZone} />
      <nav aria-label="On this page" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {contents.map(([id, label]) => (
          <a key={id} href={`#${id}`}>{label}</a>
        ))}
      </nav>
      {done && !actionData ? <FormAlert tone="success">{doneMessages[done]}</FormAlert> : null}
      {actionData ? (
        <FormAlert>{formErrors ? `Nothing was changed: ${formErrors.join(' ')}` : actionData.intent ? 'Nothing was changed: see the messages beside the fields below.' : 'Choose what to do.'}</FormAlert>
      ) : null}
      <LearnerProgress progress={progress} learnerName={learner.name} acts={acts} timeZone={timeZone} />
      <ExamAttempts situation={data} learnerName={learner.name} acts={acts} timeZone={timeZone} />
      <CertificationHistory certifications={data.certifications} learnerName={learner.name} acts={acts} timeZone={timeZone} />
      <ActivityTimeline events={timeline.events} more={timeline.more} nextLimit={timeline.nextLimit} timeZone={timeZone} />
      <AuditTrail trail={trail} timeZone={timeZone} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.learner.name ?? 'Learner'} · Manage · Frontline` }];
