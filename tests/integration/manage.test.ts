// Managers and admins acting on one learner's exam and certification, through the real loaders and
// actions: a manager reaches only the learners of the cohorts they manage (anyone else is "not
// found"), an admin reaches everyone, every act needs a reason, and every act is in the audit trail.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '~db/connect';
import { db } from '~/db.server';
import { addDays } from '~/domain/calendar';
import { examEligibility } from '~/domain/certification';
import { trackDay } from '~/domain/schedule';
import { env } from '~/env.server';
import { examResultView } from '~/exam.server';
import { loadAttempt } from '~/models/attempt.server';
import { issueCertification, queueAccessByEmail } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { countedAttempts, getAllowance, getExam, listExamAttempts, startExamAttempt, submitExamAttempt, type Exam } from '~/models/exam.server';
import { completeLesson, defaultTrackId, enrol, getEnrolment } from '~/models/learning.server';
import { loader as examLoader } from '~/routes/exam._index';
import { loader as indexLoader } from '~/routes/manage._index';
import { action as learnerAction, loader as learnerLoader } from '~/routes/manage.learners.$userId';
import { makeEligible } from '../support/eligibility';
import { sitExam } from '../support/exam-fixtures';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest, signedInUser, uniqueName } from '../support/fixtures';

const EXAM_ID = 'returns-refunds-certification';
const HOUR = 3_600_000;

let exam: Exam;
let cohortA: number;
let cohortB: number;
let managerA: { id: number; cookie: string };
let admin: { id: number; cookie: string };



beforeAll(async () => {
  const found = await getExam(db(), { examId: EXAM_ID });
  if (!found) throw new Error(`exam ${EXAM_ID} is not loaded`);
  exam = found;
  managerA = await signedInUser(['manager']);
  const managerB = await signedInUser(['manager']);
  admin = await signedInUser(['admin']);
  const cohort = (name: string, managerIds: number[]) =>
    createCohort(db(), { name: uniqueName(name), startDate: dateFromToday(-30), timeZone: 'UTC', managerIds, actorId: admin.id });
  cohortA = await cohort('Cohort A', [managerA.id]);
  cohortB = await cohort('Cohort B', [managerB.id]);
});

async function learnerIn(cohortId: number, name = uniqueName('Learner')) {
  const user = await createUser({ roles: ['learner'], email: `${uniqueName('learner')}@example.com`, name });
  await enrolLearner(user.id, { startDate: dateFromToday(-30), cohortId });
  return { id: user.id, email: user.email, name };
}

async function certify(userId: number) {
  return writeTransaction(db(), (trx) =>
    issueCertification(trx, {
      userId,
      exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
      attemptId: null,
      now: new Date(Date.now() - 2 * HOUR),
    }),
  );
}

async function access(email: string) {
  const view = await queueAccessByEmail(db(), { email, queues: [exam.queue] });
  return view.queues.find((q) => q.queue === exam.queue)?.status;
}

function page(viewer: { cookie: string }, userId: number) {
  return call(learnerLoader, makeRequest(`/manage/learners/${userId}`, { cookie: viewer.cookie }), { userId: String(userId) });
}

function act(viewer: { cookie: string }, userId: number, form: Record<string, string>) {
  return call(learnerAction, makeRequest(`/manage/learners/${userId}`, { cookie: viewer.cookie, form }), { userId: String(userId) });
}

function expectDone(response: Response, userId: number, intent: string) {
  expect(response.status).toBe(302);
  expect(response.headers.get('Location')).toBe(`/manage/learners/${userId}?done=${intent}`);
}

/** The newest audit event about the learner with this action. */
async function lastAudit(userId: number, action: string) {
  return db()
    .selectFrom('audit_events')
    .select(['actor_id', 'reason', 'details'])
    .where('subject_user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Attempts left, as the learner's own exam page would work them out. */
async function attemptsLeft(userId: number) {
  const [attempts, allowance] = await Promise.all([listExamAttempts(db(), { userId, examId: exam.id }), getAllowance(db(), { userId, examId: exam.id })]);
  return examEligibility({
    modulesComplete: true,
    trackDay: 100,
    blueprint: exam.blueprint,
    attempts: countedAttempts(attempts, allowance),
    extraAttempts: allowance.extraAttempts,
    now: new Date(),
  }).attemptsLeft;
}

/** A failed attempt (nothing answered), taken `daysAgo` days ago. */
async function failedAttempt(userId: number, daysAgo: number) {
  const started = await startExamAttempt(db(), { userId, exam, now: new Date(Date.now() - daysAgo * 24 * HOUR) });
  if (!started.ok) throw new Error(started.reason);
  await submitExamAttempt(db(), { attemptId: started.attemptId, userId, now: new Date(Date.now() - daysAgo * 24 * HOUR + HOUR) });
  return started.attemptId;
}

type TopicScore = { topic: string; label: string; score: number; max: number; pending: number };

type LearnerPage = {
  learner: { name: string; cohortName: string | null };
  progress: {
    day: number;
    startDate: string;
    personalStart: boolean;
    weeks: { moduleId: string; week: number; complete: boolean; lessonsDone: number; lessonsTotal: number; excusal: { reason: string; byName: string | null } | null }[];
  } | null;
  attempts: { id: number; score: number | null; maxScore: number | null; topics: TopicScore[] }[];
  certifications: { id: number; status: string; revoke_reason: string | null }[];
  eligibility: { attemptsLeft: number; attemptsUsed: number; cooldownEndsAt: string | null } | null;
  openAttempt: { id: number; deadlineAt: string } | null;
  timeline: { events: { kind: string; label: string; score: number | null; passed: boolean | null; actorName: string | null; reason: string | null }[]; more: boolean; nextLimit: number };
  trail: { action: string; actorName: string | null; reason: string | null }[];
  done: string | null;
};

async function pageData(viewer: { cookie: string }, userId: number, query = ''): Promise<LearnerPage> {
  const response = await call(learnerLoader, makeRequest(`/manage/learners/${userId}${query}`, { cookie: viewer.cookie }), { userId: String(userId) });
  expect(response.status).toBe(200);
  return (await response.json()) as LearnerPage;
}

/** The first week (module) of the track. */
async function firstWeek() {
  const trackId = await defaultTrackId(db());
  return db().selectFrom('modules').select(['id', 'week', 'title']).where('track_id', '=', trackId ?? '').orderBy('week').executeTakeFirstOrThrow();
}

function enrolmentOf(userId: number) {
  return getEnrolment(db(), { userId, defaultTimeZone: env().DEFAULT_TIME_ZONE });
}

type ExamPage = { eligible: boolean; cooldownEndsAt: string | null; missing: string[]; modules: { id: string; complete: boolean; excused: boolean }[] };

/** The learner's own /exam page, as they would see it now. */
async function examPage(learner: { cookie: string }): Promise<ExamPage> {
  const response = await call(examLoader, makeRequest('/exam', { cookie: learner.cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as ExamPage;
}

/** A learner of `cohortId` who has done every lesson and passed every weekly quiz, 30 days in. */
async function eligibleLearnerIn(cohortId: number) {
  const user = await createUser({ roles: ['learner'], email: `${uniqueName('eligible')}@example.com` });
  await makeEligible(user.id);
  await enrolLearner(user.id, { startDate: dateFromToday(-30), cohortId });
  return { id: user.id, cookie: await cookieFor(user.id) };
}

function auditDetails(row: { details: string } | undefined): unknown {
  return row ? JSON.parse(row.details) : undefined;
}

describe('a manager of the learner’s cohort', () => {
  it('revokes a certification (queue access ends) and reinstates it, each with the reason in the trail', async () => {
    const learner = await learnerIn(cohortA);
    const certification = await certify(learner.id);
    expect(await access(learner.email)).toBe('granted');

    const before = await page(managerA, learner.id);
    expect(before.status).toBe(200);
    const shown = (await before.json()) as LearnerPage;
    expect(shown.learner.name).toBe(learner.name);
    expect(shown.certifications.map((c) => [c.id, c.status])).toEqual([[certification.id, 'valid']]);

    const revoked = await act(managerA, learner.id, { intent: 'revoke', certificationId: String(certification.id), reason: 'Shared a customer’s address in chat', confirm: 'on' });
    expectDone(revoked, learner.id, 'revoke');
    expect(await access(learner.email)).toBe('revoked');
    expect(await lastAudit(learner.id, 'certification.revoked')).toMatchObject({ actor_id: managerA.id, reason: 'Shared a customer’s address in chat' });

    const reinstated = await act(managerA, learner.id, { intent: 'reinstate', certificationId: String(certification.id), reason: 'Investigated: it was a test ticket' });
    expectDone(reinstated, learner.id, 'reinstate');
    expect(await access(learner.email)).toBe('granted');
    expect(await lastAudit(learner.id, 'certification.reinstated')).toMatchObject({ actor_id: managerA.id, reason: 'Investigated: it was a test ticket' });

    const after = (await (await call(learnerLoader, makeRequest(`/manage/learners/${learner.id}?done=reinstate`, { cookie: managerA.cookie }), { userId: String(learner.id) })).json()) as LearnerPage;
    expect(after.done).toBe('reinstate');
    expect(after.certifications[0]?.status).toBe('valid');
    const managerName = (await db().selectFrom('users').select('name').where('id', '=', managerA.id).executeTakeFirstOrThrow()).name;
    expect(after.trail.slice(0, 2)).toEqual([
      {
        id: expect.any(Number),
        action: 'certification.reinstated',
        actorName: managerName,
        reason: 'Investigated: it was a test ticket',
        createdAt: expect.any(String),
        details: expect.objectContaining({ credentialId: certification.credential_id }),
      },
      {
        id: expect.any(Number),
        action: 'certification.revoked',
        actorName: managerName,
        reason: 'Shared a customer’s address in chat',
        createdAt: expect.any(String),
        details: expect.objectContaining({ credentialId: certification.credential_id }),
      },
    ]);
  });

  it('lists the learners of their cohorts only, with their certification status', async () => {
    const mine = await learnerIn(cohortA, uniqueName('Listed'));
    const theirs = await learnerIn(cohortB, uniqueName('Hidden'));
    await certify(mine.id);
    const list = async (viewer: { cookie: string }, q: string) => {
      const response = await call(indexLoader, makeRequest(`/manage?q=${encodeURIComponent(q)}`, { cookie: viewer.cookie }));
      expect(response.status).toBe(200);
      return ((await response.json()) as { learners: { id: number; certification: string | null }[] }).learners;
    };
    expect(await list(managerA, mine.name)).toEqual([expect.objectContaining({ id: mine.id, certification: 'valid' })]);
    expect(await list(managerA, theirs.name)).toEqual([]);
    expect(await list(admin, theirs.name)).toEqual([expect.objectContaining({ id: theirs.id, certification: null })]);
  });

  it('cannot see or act on a learner of another cohort: every answer is 404', async () => {
    const other = await learnerIn(cohortB);
    const certification = await certify(other.id);
    const started = await startExamAttempt(db(), { userId: other.id, exam });
    if (!started.ok) throw new Error(started.reason);

    expect((await page(managerA, other.id)).status).toBe(404);
    const forms: Record<string, string>[] = [
      { intent: 'revoke', certificationId: String(certification.id), reason: 'Not mine to revoke', confirm: 'on' },
      { intent: 'reinstate', certificationId: String(certification.id), reason: 'Not mine to reinstate' },
      { intent: 'reset-attempts', reason: 'Not mine to reset', confirm: 'on' },
      { intent: 'extra-attempt', reason: 'Not mine to grant' },
      { intent: 'extend-deadline', attemptId: String(started.attemptId), minutes: '30', reason: 'Not mine to extend' },
      { intent: 'waive-cooldown', reason: 'Not mine to waive' },
      { intent: 'extend-schedule', days: '7', reason: 'Not mine to extend' },
      { intent: 'excuse-week', moduleId: (await firstWeek()).id, reason: 'Not mine to excuse' },
      { intent: 'unexcuse-week', moduleId: (await firstWeek()).id, reason: 'Not mine to withdraw', confirm: 'on' },
    ];
    const enrolmentBefore = await enrolmentOf(other.id);
    for (const form of forms) expect((await act(managerA, other.id, form)).status, form.intent).toBe(404);
    expect(await enrolmentOf(other.id)).toEqual(enrolmentBefore);
    expect(await db().selectFrom('module_excusals').select('module_id').where('user_id', '=', other.id).execute()).toEqual([]);

    // From the page of a learner they do manage, pointing at the other learner's certification or attempt.
    const mine = await learnerIn(cohortA);
    expect((await act(managerA, mine.id, forms[0] ?? {})).status).toBe(404);
    expect((await act(managerA, mine.id, { ...forms[0], reason: '' })).status).toBe(404);
    expect((await act(managerA, mine.id, forms[4] ?? {})).status).toBe(404);

    expect(await access(other.email)).toBe('granted');
    const attempt = await db().selectFrom('attempts').select('deadline_at').where('id', '=', started.attemptId).executeTakeFirstOrThrow();
    expect(Date.parse(attempt.deadline_at ?? '')).toBeLessThan(Date.now() + (exam.blueprint.durationMinutes + 1) * 60_000);
    const audited = await db().selectFrom('audit_events').select('action').where('actor_id', '=', managerA.id).where('subject_user_id', 'in', [other.id, mine.id]).execute();
    expect(audited).toEqual([]);
  });

  it('must give a reason (and tick the confirmation to revoke): 400 with the message beside the field, nothing changes', async () => {
    const learner = await learnerIn(cohortA);
    const certification = await certify(learner.id);
    const noReason = await act(managerA, learner.id, { intent: 'revoke', certificationId: String(certification.id), reason: '  ', confirm: 'on' });
    expect(noReason.status).toBe(400);
    const body = (await noReason.json()) as { intent: string; errors: Record<string, string[]>; values: Record<string, string> };
    expect(body.intent).toBe('revoke');
    expect(body.errors.reason?.[0]).toMatch(/reason/i);
    expect(body.values).toMatchObject({ certificationId: String(certification.id), confirm: 'on' });

    const unconfirmed = await act(managerA, learner.id, { intent: 'revoke', certificationId: String(certification.id), reason: 'Repeated privacy breaches' });
    expect(unconfirmed.status).toBe(400);
    const unconfirmedBody = (await unconfirmed.json()) as { errors: Record<string, string[]>; values: Record<string, string> };
    expect(unconfirmedBody.errors.confirm?.[0]).toMatch(/confirm/i);
    expect(unconfirmedBody.values.reason).toBe('Repeated privacy breaches');

    const noExtraReason = await act(managerA, learner.id, { intent: 'extra-attempt' });
    expect(noExtraReason.status).toBe(400);
    expect(((await noExtraReason.json()) as { errors: Record<string, string[]> }).errors.reason?.[0]).toMatch(/reason/i);

    expect(await access(learner.email)).toBe('granted');
    expect(await attemptsLeft(learner.id)).toBe(exam.blueprint.attemptLimit);
    expect(await lastAudit(learner.id, 'certification.revoked')).toBeUndefined();
  });

  it('resets attempts: the learner has the full attempt limit again', async () => {
    const learner = await learnerIn(cohortA);
    for (let i = exam.blueprint.attemptLimit; i > 0; i--) await failedAttempt(learner.id, i + 2);
    expect(await attemptsLeft(learner.id)).toBe(0);

    const unconfirmed = await act(managerA, learner.id, { intent: 'reset-attempts', reason: 'Outage during every attempt' });
    expect(unconfirmed.status).toBe(400);
    expect(await attemptsLeft(learner.id)).toBe(0);

    expectDone(await act(managerA, learner.id, { intent: 'reset-attempts', reason: 'Outage during every attempt', confirm: 'on' }), learner.id, 'reset-attempts');
    expect(await attemptsLeft(learner.id)).toBe(exam.blueprint.attemptLimit);
    const shown = (await (await page(managerA, learner.id)).json()) as LearnerPage;
    expect(shown.eligibility).toMatchObject({ attemptsUsed: 0, attemptsLeft: exam.blueprint.attemptLimit });
    expect(await lastAudit(learner.id, 'exam.attempts-reset')).toMatchObject({ actor_id: managerA.id, reason: 'Outage during every attempt' });
  });

  it('grants one more attempt', async () => {
    const learner = await learnerIn(cohortA);
    for (let i = exam.blueprint.attemptLimit; i > 0; i--) await failedAttempt(learner.id, i + 2);
    expect(await attemptsLeft(learner.id)).toBe(0);
    expectDone(await act(managerA, learner.id, { intent: 'extra-attempt', reason: 'Sick during the last attempt' }), learner.id, 'extra-attempt');
    expect(await attemptsLeft(learner.id)).toBe(1);
    expect(await lastAudit(learner.id, 'exam.extra-attempt')).toMatchObject({ actor_id: managerA.id, reason: 'Sick during the last attempt' });
  });

  it('extends the deadline of the exam in progress, within 5 to 120 minutes', async () => {
    const learner = await learnerIn(cohortA);
    const started = await startExamAttempt(db(), { userId: learner.id, exam });
    if (!started.ok) throw new Error(started.reason);
    const shown = (await (await page(managerA, learner.id)).json()) as LearnerPage;
    expect(shown.openAttempt?.id).toBe(started.attemptId);
    const before = Date.parse(shown.openAttempt?.deadlineAt ?? '');

    const tooLong = await act(managerA, learner.id, { intent: 'extend-deadline', attemptId: String(started.attemptId), minutes: '500', reason: 'Power cut' });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { errors: Record<string, string[]> }).errors.minutes?.[0]).toMatch(/120/);

    expectDone(
      await act(managerA, learner.id, { intent: 'extend-deadline', attemptId: String(started.attemptId), minutes: '30', reason: 'Power cut at the library' }),
      learner.id,
      'extend-deadline',
    );
    const attempt = await db().selectFrom('attempts').select('deadline_at').where('id', '=', started.attemptId).executeTakeFirstOrThrow();
    expect(Date.parse(attempt.deadline_at ?? '')).toBe(before + 30 * 60_000);
    expect(await lastAudit(learner.id, 'exam.deadline-extended')).toMatchObject({ actor_id: managerA.id, reason: 'Power cut at the library' });
  });
});

describe('a manager acting on a learner’s schedule and exam', () => {
  it('extends the schedule: day 1 moves N days later (from the cohort’s start at first), so the day of the track goes back by N', async () => {
    const user = await createUser({ roles: ['learner'], email: `${uniqueName('late')}@example.com` });
    await enrol(db(), { userId: user.id, trackId: (await defaultTrackId(db())) ?? '', cohortId: cohortA, startDate: null });
    const before = await enrolmentOf(user.id);
    if (!before) throw new Error('not enrolled');
    expect(before.personalStart).toBe(false);
    const dayBefore = trackDay(before, new Date());
    expect((await pageData(managerA, user.id)).progress?.day).toBe(dayBefore);

    for (const days of ['0', '29', 'soon']) {
      const refused = await act(managerA, user.id, { intent: 'extend-schedule', days, reason: 'Away for two weeks' });
      expect(refused.status, days).toBe(400);
      const body = (await refused.json()) as { errors: Record<string, string[]>; values: Record<string, string> };
      expect(body.errors.days?.[0], days).toMatch(/day/);
      expect(body.values).toMatchObject({ days, reason: 'Away for two weeks' });
    }
    expect(await enrolmentOf(user.id)).toEqual(before);

    expectDone(await act(managerA, user.id, { intent: 'extend-schedule', days: '7', reason: 'Away on holiday for a week' }), user.id, 'extend-schedule');
    const after = await enrolmentOf(user.id);
    expect(after).toMatchObject({ personalStart: true, startDate: addDays(before.startDate, 7) });
    if (!after) throw new Error('not enrolled');
    expect(trackDay(after, new Date())).toBe(dayBefore - 7);
    const audited = await lastAudit(user.id, 'enrolment.schedule-extended');
    expect(audited).toMatchObject({ actor_id: managerA.id, reason: 'Away on holiday for a week' });
    expect(auditDetails(audited)).toEqual({ days: 7, from: before.startDate, to: addDays(before.startDate, 7), fromCohortStart: true });

    // A second extension moves the learner's own start date on.
    expectDone(await act(managerA, user.id, { intent: 'extend-schedule', days: '3', reason: 'Still unwell' }), user.id, 'extend-schedule');
    const shown = await pageData(managerA, user.id);
    expect(shown.progress).toMatchObject({ day: dayBefore - 10, startDate: addDays(before.startDate, 10), personalStart: true });
    expect(shown.timeline.events[0]).toMatchObject({ kind: 'audit', label: 'enrolment.schedule-extended', reason: 'Still unwell' });
  });

  it('waives the wait after a failed attempt: the learner may sit again at once', async () => {
    const learner = await eligibleLearnerIn(cohortA);
    await sitExam({ userId: learner.id, answer: 'wrong', writtenText: null });
    const waiting = await examPage(learner);
    expect(waiting.eligible).toBe(false);
    expect(waiting.cooldownEndsAt).not.toBeNull();
    expect((await pageData(managerA, learner.id)).eligibility?.cooldownEndsAt).not.toBeNull();

    const noReason = await act(managerA, learner.id, { intent: 'waive-cooldown', reason: '' });
    expect(noReason.status).toBe(400);
    expect((await examPage(learner)).eligible).toBe(false);

    expectDone(await act(managerA, learner.id, { intent: 'waive-cooldown', reason: 'The failure was a browser crash' }), learner.id, 'waive-cooldown');
    const now = await examPage(learner);
    expect(now).toMatchObject({ eligible: true, cooldownEndsAt: null, missing: [] });
    expect(await lastAudit(learner.id, 'exam.cooldown-waived')).toMatchObject({ actor_id: managerA.id, reason: 'The failure was a browser crash' });
    expect((await pageData(managerA, learner.id)).eligibility?.cooldownEndsAt).toBeNull();

    // Nothing left to waive: a stale form changes nothing and says why.
    const stale = await act(managerA, learner.id, { intent: 'waive-cooldown', reason: 'Clicked twice by mistake' });
    expect(stale.status).toBe(400);
    expect(((await stale.json()) as { errors: Record<string, string[]> }).errors.form?.[0]).toMatch(/no wait/i);
  });

  it('excuses an unfinished week: it counts as complete for the exam; withdrawing the excusal (confirmed) undoes it', async () => {
    const learner = await eligibleLearnerIn(cohortA);
    const week = await firstWeek();
    const lessons = await db().selectFrom('lessons').select('id').where('module_id', '=', week.id).execute();
    await db().deleteFrom('lesson_completions').where('user_id', '=', learner.id).where('lesson_id', 'in', lessons.map((l) => l.id)).execute();
    const unfinished = await examPage(learner);
    expect(unfinished.eligible).toBe(false);
    expect(unfinished.modules.find((m) => m.id === week.id)).toMatchObject({ complete: false, excused: false });

    const wrongWeek = await act(managerA, learner.id, { intent: 'excuse-week', moduleId: 'not-a-week', reason: 'Covered in a workshop' });
    expect(wrongWeek.status).toBe(400);
    expect(((await wrongWeek.json()) as { errors: Record<string, string[]> }).errors.moduleId?.[0]).toMatch(/week/);

    expectDone(await act(managerA, learner.id, { intent: 'excuse-week', moduleId: week.id, reason: 'Covered in the in-person workshop' }), learner.id, 'excuse-week');
    const excused = await examPage(learner);
    expect(excused.modules.find((m) => m.id === week.id)).toMatchObject({ complete: true, excused: true });
    expect(excused.eligible).toBe(true);
    const audited = await lastAudit(learner.id, 'enrolment.week-excused');
    expect(audited).toMatchObject({ actor_id: managerA.id, reason: 'Covered in the in-person workshop' });
    expect(auditDetails(audited)).toMatchObject({ moduleId: week.id, week: week.week });
    const shown = await pageData(managerA, learner.id);
    expect(shown.progress?.weeks.find((w) => w.moduleId === week.id)).toMatchObject({ complete: true, lessonsDone: 0, excusal: { reason: 'Covered in the in-person workshop' } });

    const again = await act(managerA, learner.id, { intent: 'excuse-week', moduleId: week.id, reason: 'Twice for good measure' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { errors: Record<string, string[]> }).errors.moduleId?.[0]).toMatch(/already excused/);

    const unconfirmed = await act(managerA, learner.id, { intent: 'unexcuse-week', moduleId: week.id, reason: 'Excused the wrong person' });
    expect(unconfirmed.status).toBe(400);
    expect((await examPage(learner)).eligible).toBe(true);
    expectDone(await act(managerA, learner.id, { intent: 'unexcuse-week', moduleId: week.id, reason: 'Excused the wrong person', confirm: 'on' }), learner.id, 'unexcuse-week');
    const withdrawn = await examPage(learner);
    expect(withdrawn.eligible).toBe(false);
    expect(withdrawn.modules.find((m) => m.id === week.id)).toMatchObject({ complete: false, excused: false });
    expect(await lastAudit(learner.id, 'enrolment.week-unexcused')).toMatchObject({ actor_id: managerA.id, reason: 'Excused the wrong person' });
  });

  it('shows every exam attempt with its score by topic, as the learner’s own result shows it', async () => {
    const learner = await eligibleLearnerIn(cohortA);
    // Half right, half wrong: the topics come out different.
    const sat = await sitExam({ userId: learner.id, answer: 'wrong', writtenText: null, answerFor: (item, position) => (item.type !== 'written' && position % 2 === 0 ? 'correct' : undefined) });
    const shown = await pageData(managerA, learner.id);
    const attempt = shown.attempts.find((a) => a.id === sat.attemptId);
    if (!attempt) throw new Error('attempt not shown');
    const loaded = await loadAttempt(db(), { attemptId: sat.attemptId, userId: learner.id, kind: 'exam' });
    if (!loaded) throw new Error('attempt not loaded');
    const own = await examResultView(loaded, exam);
    const byTopic = (topics: TopicScore[]) => [...topics].sort((a, b) => a.topic.localeCompare(b.topic));
    expect(byTopic(attempt.topics)).toEqual(byTopic(own.topics));
    expect(new Set(attempt.topics.map((t) => t.topic))).toEqual(new Set(exam.blueprint.sections.map((s) => s.topic)));
    expect(attempt.topics.reduce((n, t) => n + t.max, 0)).toBe(attempt.maxScore);
    expect(attempt.topics.reduce((n, t) => n + t.score, 0)).toBe(attempt.score);
    expect(attempt.topics.some((t) => t.score > 0) && attempt.topics.some((t) => t.score < t.max)).toBe(true);
    expect(attempt.topics.find((t) => t.topic === 'privacy-safety')?.label).toBe('Privacy and safety');
  });

  it('lists the learner’s activity newest first, with "show more"', async () => {
    const learner = await eligibleLearnerIn(cohortA);
    const lesson = await db().selectFrom('lessons').select(['id', 'title']).where('retired_at', 'is', null).orderBy('position').executeTakeFirstOrThrow();
    await db().deleteFrom('lesson_completions').where('user_id', '=', learner.id).execute();
    await db().deleteFrom('attempts').where('user_id', '=', learner.id).execute();
    await completeLesson(db(), { userId: learner.id, lessonId: lesson.id, now: new Date(Date.now() - 3 * HOUR) });
    const quiz = await db().selectFrom('quizzes').select(['id', 'title']).where('retired_at', 'is', null).orderBy('day').executeTakeFirstOrThrow();
    const practiceAt = new Date(Date.now() - 2 * HOUR).toISOString();
    await db()
      .insertInto('attempts')
      .values({ user_id: learner.id, kind: 'practice', quiz_id: quiz.id, seed: 1, status: 'submitted', started_at: practiceAt, submitted_at: practiceAt, score: 7, max_score: 10, passed: 0 })
      .execute();
    await sitExam({ userId: learner.id, answer: 'wrong', writtenText: null, now: new Date(Date.now() - HOUR) });
    expectDone(await act(managerA, learner.id, { intent: 'extra-attempt', reason: 'Fire alarm during the exam' }), learner.id, 'extra-attempt');

    const { timeline } = await pageData(managerA, learner.id);
    const managerName = (await db().selectFrom('users').select('name').where('id', '=', managerA.id).executeTakeFirstOrThrow()).name;
    expect(timeline.events.map((e) => [e.kind, e.label])).toEqual([
      ['audit', 'exam.extra-attempt'],
      ['exam-submitted', exam.title],
      ['exam-started', exam.title],
      ['practice', quiz.title],
      ['lesson', lesson.title],
    ]);
    expect(timeline.events[0]).toMatchObject({ actorName: managerName, reason: 'Fire alarm during the exam' });
    expect(timeline.events[1]).toMatchObject({ passed: false });
    expect(timeline.events[3]).toMatchObject({ score: 7, passed: false });
    expect(timeline.more).toBe(false);

    const first = await pageData(managerA, learner.id, '?limit=2');
    expect(first.timeline.events.map((e) => e.kind)).toEqual(['audit', 'exam-submitted']);
    expect(first.timeline.more).toBe(true);
    expect(first.timeline.nextLimit).toBe(52);
  });
});

describe('an admin', () => {
  it('sees and acts on a learner of any cohort', async () => {
    const learner = await learnerIn(cohortB);
    const certification = await certify(learner.id);
    expect((await page(admin, learner.id)).status).toBe(200);
    expectDone(await act(admin, learner.id, { intent: 'revoke', certificationId: String(certification.id), reason: 'Left the volunteer programme', confirm: 'on' }), learner.id, 'revoke');
    expect(await access(learner.email)).toBe('revoked');
    expect(await lastAudit(learner.id, 'certification.revoked')).toMatchObject({ actor_id: admin.id, reason: 'Left the volunteer programme' });
  });

  it('gets 404 for someone who is not a learner', async () => {
    const other = await signedInUser(['manager']);
    expect((await page(admin, other.id)).status).toBe(404);
    expect((await call(learnerLoader, makeRequest('/manage/learners/nope', { cookie: admin.cookie }), { userId: 'nope' })).status).toBe(404);
  });
});
