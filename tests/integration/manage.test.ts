// Managers and admins acting on one learner's exam and certification, through the real loaders and
// actions: a manager reaches only the learners of the cohorts they manage (anyone else is "not
// found"), an admin reaches everyone, every act needs a reason, and every act is in the audit trail.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '~db/connect';
import { db } from '~/db.server';
import { examEligibility } from '~/domain/certification';
import { issueCertification, queueAccessByEmail } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { countedAttempts, getAllowance, getExam, listExamAttempts, startExamAttempt, submitExamAttempt, type Exam } from '~/models/exam.server';
import { loader as indexLoader } from '~/routes/manage._index';
import { action as learnerAction, loader as learnerLoader } from '~/routes/manage.learners.$userId';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';

const EXAM_ID = 'returns-refunds-certification';
const HOUR = 3_600_000;

let exam: Exam;
let cohortA: number;
let cohortB: number;
let managerA: { id: number; cookie: string };
let admin: { id: number; cookie: string };

function unique(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

async function person(roles: ('manager' | 'admin')[]) {
  const user = await createUser({ roles, email: `${unique(roles.join('-'))}@example.com` });
  return { id: user.id, cookie: await cookieFor(user.id) };
}

beforeAll(async () => {
  const found = await getExam(db(), { examId: EXAM_ID });
  if (!found) throw new Error(`exam ${EXAM_ID} is not loaded`);
  exam = found;
  managerA = await person(['manager']);
  const managerB = await person(['manager']);
  admin = await person(['admin']);
  const cohort = (name: string, managerIds: number[]) =>
    createCohort(db(), { name: unique(name), startDate: dateFromToday(-30), timeZone: 'UTC', managerIds, actorId: admin.id });
  cohortA = await cohort('Cohort A', [managerA.id]);
  cohortB = await cohort('Cohort B', [managerB.id]);
});

async function learnerIn(cohortId: number, name = unique('Learner')) {
  const user = await createUser({ roles: ['learner'], email: `${unique('learner')}@example.com`, name });
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

type LearnerPage = {
  learner: { name: string; cohortName: string | null };
  certifications: { id: number; status: string; revoke_reason: string | null }[];
  eligibility: { attemptsLeft: number; attemptsUsed: number } | null;
  openAttempt: { id: number; deadlineAt: string } | null;
  trail: { action: string; actorName: string | null; reason: string | null }[];
  done: string | null;
};

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
      { id: expect.any(Number), action: 'certification.reinstated', actorName: managerName, reason: 'Investigated: it was a test ticket', createdAt: expect.any(String) },
      { id: expect.any(Number), action: 'certification.revoked', actorName: managerName, reason: 'Shared a customer’s address in chat', createdAt: expect.any(String) },
    ]);
  });

  it('lists the learners of their cohorts only, with their certification status', async () => {
    const mine = await learnerIn(cohortA, unique('Listed'));
    const theirs = await learnerIn(cohortB, unique('Hidden'));
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
    ];
    for (const form of forms) expect((await act(managerA, other.id, form)).status, form.intent).toBe(404);

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
    const other = await person(['manager']);
    expect((await page(admin, other.id)).status).toBe(404);
    expect((await call(learnerLoader, makeRequest('/manage/learners/nope', { cookie: admin.cookie }), { userId: 'nope' })).status).toBe(404);
  });
});
