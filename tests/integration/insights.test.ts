// "The picture" (/manage/insights) through its real loader, on small data sets built in the tables:
// learners at every stage of the funnel (one with an excused week), pass rates by cohort, exam scores
// by topic and in bins from real graded attempts, and certifications about to expire. Each block has
// its own cohorts and managers, so the other blocks' learners cannot change its numbers; a manager
// sees only their cohorts, and a cohort filter naming someone else's cohort is "not found".
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '~db/connect';
import { topicLabel } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { loadAttempt } from '~/models/attempt.server';
import { issueCertification } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { examItemOf, examItemTopic, type Exam } from '~/models/exam.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { loader } from '~/routes/manage.insights';
import { makeEligible } from '../support/eligibility';
import { certificationExam, gradeWrittenReplies, sitExam } from '../support/exam-fixtures';
import { call, createUser, dateFromToday, enrolLearner, makeRequest, signedInUser, uniqueName } from '../support/fixtures';

const DAY = 86_400_000;

interface Step {
  key: string;
  learners: number;
}
interface CohortRate {
  cohortId: number | null;
  cohortName: string;
  enrolled: number;
  sat: number;
  certified: number;
  passRate: number | null;
}
interface Picture {
  cohorts: { id: number; name: string }[];
  funnel: { steps: Step[] };
  passRates: { cohorts: CohortRate[]; total: CohortRate };
  topics: { topic: string; label: string; percent: number | null; items: number }[];
  scoreBins: { label: string; attempts: number }[];
  expiring: { total: number; certifications: { userId: number; name: string; email: string; cohortName: string | null; expiresAt: string }[] };
}

let exam: Exam;
let admin: { id: number; cookie: string };
let trainerId: number;



async function cohortOf(managerIds: number[], name = 'Cohort') {
  return createCohort(db(), { name: uniqueName(name), startDate: dateFromToday(-30), timeZone: 'UTC', managerIds, actorId: admin.id });
}

async function learnerIn(cohortId: number, args: { startDate?: string | null; name?: string } = {}) {
  const name = args.name ?? uniqueName('Learner');
  const user = await createUser({ roles: ['learner'], email: `${uniqueName('learner')}@example.com`, name });
  const trackId = await defaultTrackId(db());
  if (!trackId) throw new Error('no track loaded');
  await enrol(db(), { userId: user.id, trackId, cohortId, startDate: args.startDate === undefined ? dateFromToday(-30) : args.startDate });
  return { id: user.id, email: user.email, name };
}

/** Every lesson of the week done and (unless `quiz: false`) its practice quiz passed, as a learner would leave them. */
async function completeWeek(userId: number, moduleId: string, args: { quiz?: boolean } = {}) {
  const at = new Date().toISOString();
  const lessons = await db().selectFrom('lessons').select('id').where('module_id', '=', moduleId).where('retired_at', 'is', null).execute();
  await db().insertInto('lesson_completions').values(lessons.map((l) => ({ user_id: userId, lesson_id: l.id, completed_at: at }))).execute();
  const quizzes = await db().selectFrom('quizzes').select('id').where('module_id', '=', moduleId).where('retired_at', 'is', null).execute();
  for (const quiz of quizzes) {
    const passed = args.quiz !== false;
    await db()
      .insertInto('attempts')
      .values({ user_id: userId, kind: 'practice', quiz_id: quiz.id, seed: 1, status: 'submitted', started_at: at, submitted_at: at, score: passed ? 9 : 3, max_score: 10, passed: passed ? 1 : 0 })
      .execute();
  }
}

async function excuseWeek(userId: number, moduleId: string) {
  await db().insertInto('module_excusals').values({ user_id: userId, module_id: moduleId, excused_by: admin.id, reason: 'Away on leave', created_at: new Date().toISOString() }).execute();
}

/** A learner who did everything, then moved into the cohort (makeEligible enrols without one). */
async function eligibleIn(cohortId: number, args: { startDate?: string | null } = {}) {
  const learner = await learnerIn(cohortId);
  await makeEligible(learner.id);
  const trackId = await defaultTrackId(db());
  await enrol(db(), { userId: learner.id, trackId: trackId!, cohortId, startDate: args.startDate === undefined ? dateFromToday(-30) : args.startDate });
  return learner;
}

/** Sits the exam and gets a final result: all right (written replies graded at the top), or all blank. */
async function sitGraded(userId: number, answer: 'correct' | 'blank' | 'wrong') {
  if (answer === 'correct') {
    const sat = await sitExam({ userId, answer, withWritten: true, exam });
    await gradeWrittenReplies(sat, { graderId: trainerId, pick: 'top' });
    return sat;
  }
  return sitExam({ userId, answer, writtenText: null, exam });
}

async function certifyExpiringIn(userId: number, days: number) {
  const issuedAt = new Date(Date.now() + days * DAY - exam.blueprint.validityDays * DAY);
  return writeTransaction(db(), (trx) =>
    issueCertification(trx, { userId, exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays }, attemptId: null, now: issuedAt }),
  );
}

async function picture(viewer: { cookie: string }, query = ''): Promise<Picture> {
  const response = await call(loader, makeRequest(`/manage/insights${query}`, { cookie: viewer.cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as Picture;
}

const funnelOf = (p: Picture) => p.funnel.steps.map((s) => s.learners);

beforeAll(async () => {
  exam = await certificationExam();
  admin = await signedInUser(['admin']);
  trainerId = (await createUser({ roles: ['trainer'] })).id;
});

describe('the funnel and pass rates, within the scope', () => {
  let managerA: { id: number; cookie: string };
  let cohortA: number;
  let cohortB: number;

  beforeAll(async () => {
    managerA = await signedInUser(['manager']);
    const managerB = await signedInUser(['manager']);
    cohortA = await cohortOf([managerA.id], 'Cohort A');
    cohortB = await cohortOf([managerB.id], 'Cohort B');

    // Cohort A, nine learners:
    await learnerIn(cohortA); // nothing done                                  → enrolled
    const lessonsOnly = await learnerIn(cohortA); // week 1 lessons, quiz failed → enrolled
    await completeWeek(lessonsOnly.id, 'week-1', { quiz: false });
    const week1 = await learnerIn(cohortA); //                                   → week 1
    await completeWeek(week1.id, 'week-1');
    const skipped = await learnerIn(cohortA); // weeks 1 and 3, not 2           → week 1
    await completeWeek(skipped.id, 'week-1');
    await completeWeek(skipped.id, 'week-3');
    const excused = await learnerIn(cohortA); // week 2 excused                 → week 3
    await completeWeek(excused.id, 'week-1');
    await excuseWeek(excused.id, 'week-2');
    await completeWeek(excused.id, 'week-3');
    await eligibleIn(cohortA, { startDate: null }); // the cohort's day 1, 30 days ago → eligible
    await eligibleIn(cohortA, { startDate: dateFromToday(-5) }); // all done, but day 6 of 26 → week 4
    const failed = await eligibleIn(cohortA); // sat and failed                 → eligible
    await sitGraded(failed.id, 'wrong');
    const passed = await eligibleIn(cohortA); // sat and passed                 → passed
    await sitGraded(passed.id, 'correct');

    // Cohort B, two learners: one certified, one who has done nothing.
    const certifiedB = await eligibleIn(cohortB);
    await sitGraded(certifiedB.id, 'correct');
    await learnerIn(cohortB);

    // Without a cohort: an admin's to look after, never a manager's.
    const loner = await createUser({ roles: ['learner'], email: `${uniqueName('loner')}@example.com` });
    await enrolLearner(loner.id, { startDate: dateFromToday(-30) });
    await certifyExpiringIn(loner.id, 100);
  });

  it("a manager sees their cohort's funnel: each step counts everyone who reached it, an excused week counts as complete", async () => {
    const p = await picture(managerA);
    expect(p.funnel.steps.map((s) => s.key)).toEqual(['enrolled', 'week-1', 'week-2', 'week-3', 'week-4', 'eligible', 'passed']);
    expect(funnelOf(p)).toEqual([9, 7, 5, 5, 4, 3, 1]);
  });

  it('pass rate: the certified of those who sat, per cohort; a manager gets only their cohort', async () => {
    const p = await picture(managerA);
    expect(p.cohorts.map((c) => c.id)).toEqual([cohortA]);
    expect(p.passRates.cohorts).toEqual([expect.objectContaining({ cohortId: cohortA, enrolled: 9, sat: 2, certified: 1, passRate: 50 })]);
    expect(p.passRates.total).toMatchObject({ enrolled: 9, sat: 2, certified: 1, passRate: 50 });
  });

  it('an admin sees every cohort, and with a cohort filter exactly what its manager sees', async () => {
    const all = await picture(admin);
    const rates = new Map(all.passRates.cohorts.map((c) => [c.cohortId, c]));
    expect(rates.get(cohortA)).toMatchObject({ enrolled: 9, sat: 2, certified: 1, passRate: 50 });
    expect(rates.get(cohortB)).toMatchObject({ enrolled: 2, sat: 1, certified: 1, passRate: 100 });
    expect(rates.get(null)).toMatchObject({ cohortName: 'No cohort', certified: expect.any(Number) });
    expect(rates.get(null)!.enrolled).toBeGreaterThanOrEqual(1);
    expect(all.funnel.steps[0]!.learners).toBeGreaterThanOrEqual(11);

    const onlyA = await picture(admin, `?cohort=${cohortA}`);
    expect(funnelOf(onlyA)).toEqual([9, 7, 5, 5, 4, 3, 1]);
    const onlyB = await picture(admin, `?cohort=${cohortB}`);
    expect(funnelOf(onlyB)).toEqual([2, 1, 1, 1, 1, 1, 1]);
    expect(onlyB.passRates.cohorts.map((c) => c.cohortId)).toEqual([cohortB]);
  });

  it("a cohort filter naming another manager's cohort (or none at all) is not found", async () => {
    for (const query of [`?cohort=${cohortB}`, '?cohort=999999', '?cohort=abc', `?cohort=${cohortA}.5`]) {
      const response = await call(loader, makeRequest(`/manage/insights${query}`, { cookie: managerA.cookie }));
      expect(response.status, query).toBe(404);
    }
    // An empty filter is "all my cohorts".
    expect(funnelOf(await picture(managerA, '?cohort='))).toEqual([9, 7, 5, 5, 4, 3, 1]);
  });

  it('a learner is refused', async () => {
    const learner = await signedInUser(['learner']);
    const response = await call(loader, makeRequest('/manage/insights', { cookie: learner.cookie }));
    expect(response.status).toBe(403);
  });
});

describe('exam scores by topic and in bins', () => {
  let manager: { id: number; cookie: string };
  const expected = new Map<string, { score: number; max: number; items: number }>();
  let rightPercent = 0;

  beforeAll(async () => {
    manager = await signedInUser(['manager']);
    const cohort = await cohortOf([manager.id], 'Scores');
    const right = await learnerIn(cohort);
    const blank = await learnerIn(cohort);
    const ungraded = await learnerIn(cohort);
    const sats = [await sitGraded(right.id, 'correct'), await sitGraded(blank.id, 'blank')];
    // Awaiting a trainer: not graded, so in no average or bin.
    await sitExam({ userId: ungraded.id, answer: 'correct', withWritten: true, exam });

    // What each topic should show, worked out item by item from the attempts as the result page reads them.
    for (const [i, sat] of sats.entries()) {
      const attempt = await loadAttempt(db(), { attemptId: sat.attemptId, userId: i === 0 ? right.id : blank.id, kind: 'exam' });
      if (!attempt?.graded_at) throw new Error(`attempt ${sat.attemptId} is not graded`);
      if (i === 0) rightPercent = Math.round((1000 * (attempt.score ?? 0)) / (attempt.max_score ?? 1)) / 10;
      for (const s of attempt.scenarios) {
        const item = examItemOf(s);
        const saved = s.items[0];
        if (!item || !saved) continue;
        const topic = examItemTopic(s.scenario, item);
        const row = expected.get(topic) ?? { score: 0, max: 0, items: 0 };
        expected.set(topic, { score: row.score + (saved.score ?? 0), max: row.max + (saved.maxScore ?? 0), items: row.items + 1 });
      }
    }
  });

  it('averages the points earned per topic over graded attempts, weakest topic first, with its label', async () => {
    const p = await picture(manager);
    expect(p.topics.length).toBe(expected.size);
    expect(p.topics.length).toBeGreaterThan(1);
    for (const t of p.topics) {
      const e = expected.get(t.topic);
      expect(e, t.topic).toBeDefined();
      expect(t.label).toBe(topicLabel(t.topic));
      expect(t.items).toBe(e!.items);
      expect(t.percent).toBe(Math.round((1000 * e!.score) / e!.max) / 10);
    }
    const percents = p.topics.map((t) => t.percent ?? 0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  });

  it('bins each graded attempt by its percent: the blank one in 0–9%, the right one where its score falls', async () => {
    expect(rightPercent).toBe(100);
    const p = await picture(manager);
    expect(p.scoreBins.map((b) => b.label)).toEqual(['0–9%', '10–19%', '20–29%', '30–39%', '40–49%', '50–59%', '60–69%', '70–79%', '80–89%', '90–100%']);
    expect(p.scoreBins.map((b) => b.attempts)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('certifications expiring in the next 30 days', () => {
  it('lists valid ones soonest first, without the revoked, the expired, the later and the recertified, and only in scope', async () => {
    const manager = await signedInUser(['manager']);
    const cohort = await cohortOf([manager.id], 'Expiring');
    const other = await cohortOf([(await signedInUser(['manager'])).id], 'Elsewhere');
    const soon = await learnerIn(cohort, { name: 'Soon Expiring' });
    const sooner = await learnerIn(cohort, { name: 'Sooner Expiring' });
    await certifyExpiringIn(soon.id, 10);
    await certifyExpiringIn(sooner.id, 2);
    await certifyExpiringIn((await learnerIn(cohort)).id, 40); // later than 30 days
    await certifyExpiringIn((await learnerIn(cohort)).id, -2); // already expired
    const revoked = await certifyExpiringIn((await learnerIn(cohort)).id, 5);
    await db().updateTable('certifications').set({ revoked_at: new Date().toISOString(), revoked_by: admin.id, revoke_reason: 'test' }).where('id', '=', revoked.id).execute();
    const recertified = await learnerIn(cohort);
    await certifyExpiringIn(recertified.id, 20);
    await certifyExpiringIn(recertified.id, 200);
    await certifyExpiringIn((await learnerIn(other)).id, 3); // another manager's cohort

    const p = await picture(manager);
    expect(p.expiring.total).toBe(2);
    expect(p.expiring.certifications.map((c) => [c.userId, c.name, c.email, c.cohortName])).toEqual([
      [sooner.id, 'Sooner Expiring', sooner.email, expect.stringMatching(/^Expiring-/)],
      [soon.id, 'Soon Expiring', soon.email, expect.stringMatching(/^Expiring-/)],
    ]);
    const inDays = (iso: string) => Math.round((Date.parse(iso) - Date.now()) / DAY);
    expect(p.expiring.certifications.map((c) => inDays(c.expiresAt))).toEqual([2, 10]);
  });
});
