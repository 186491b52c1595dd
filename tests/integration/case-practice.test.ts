// More cases to practise: a trainer's published studio scenario is listed on the weekly quiz page of
// its week (and of no other), once the week is open; a learner practises it as a one-case attempt
// (the scenario's current version, no quiz), resumes it, answers and submits it through the usual
// practice page, and it counts towards no week. Retired or unpublished cases, cases of another or an
// unopened week, and other learners' attempts are refused.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { db } from '~/db.server';
import { quizResults } from '~/models/attempt.server';
import { createScenario, publishDraft, retireScenario, saveDraft } from '~/models/studio.server';
import { action as quizAction } from '~/routes/learn.quizzes.$quizId';
import { call, createUser, makeRequest } from '../support/fixtures';
import { ROOT } from '../support/paths';
import {
  answerView,
  attemptIdOf,
  attemptPage,
  attemptRow,
  caseRows,
  learner,
  loadAttemptPage,
  postCase,
  quizPage,
  submitCaseWithFullMarks,
  WEEK_1_QUIZ,
} from './quiz-helpers';

const COURIER = 'courier-wants-the-code';
let trainerId: number;

/** The shipped courier case (branching, single, multiple), as a studio scenario's body. */
function caseBody(id: string, title: string, week: number): Record<string, unknown> {
  const body = parse(fs.readFileSync(path.join(ROOT, 'content/scenarios/week-1', `${COURIER}.yaml`), 'utf8')) as Record<string, unknown>;
  return { ...body, id, title, week, difficulty: 3 };
}

/** A studio scenario written and published by the trainer; returns its id and current version id. */
async function publishedCase(title: string, week: number) {
  const scenarioId = await createScenario(db(), { title, topic: 'privacy-safety', week, difficulty: 3, userId: trainerId });
  await republish(scenarioId, caseBody(scenarioId, title, week), 'First version');
  return scenarioId;
}

async function republish(scenarioId: string, body: Record<string, unknown>, changeNote: string) {
  expect(await saveDraft(db(), { scenarioId, body, userId: trainerId })).toMatchObject({ ok: true });
  const published = await publishDraft(db(), { scenarioId, changeNote, publishedBy: trainerId });
  if (!published.ok) throw new Error(`not published: ${published.reason} ${JSON.stringify(published.errors)}`);
  return published.versionId;
}

const currentVersion = async (scenarioId: string) =>
  (await db().selectFrom('scenarios').select('current_version_id').where('id', '=', scenarioId).executeTakeFirstOrThrow()).current_version_id;

function practise(cookie: string, scenarioId: string, quizId = WEEK_1_QUIZ) {
  return call(quizAction, makeRequest(`/learn/quizzes/${quizId}`, { cookie, form: { intent: 'practise-case', scenarioId } }), { quizId });
}

const attemptsOf = async (userId: number) => db().selectFrom('attempts').select(['id', 'quiz_id', 'status']).where('user_id', '=', userId).execute();

let weekOneCase: string;
let weekTwoCase: string;
let draftOnly: string;

beforeAll(async () => {
  trainerId = (await createUser({ roles: ['trainer'], name: 'Tess Trainer' })).id;
  weekOneCase = await publishedCase('A second courier asks for a code', 1);
  weekTwoCase = await publishedCase('The courier calls back in week two', 2);
  draftOnly = await createScenario(db(), { title: 'An unfinished week one case', topic: 'privacy-safety', week: 1, difficulty: 1, userId: trainerId });
});

describe('the list on the weekly quiz page', () => {
  it("lists the week's published studio cases with topic and difficulty, on its own week's page only", async () => {
    const me = await learner({ label: 'lister' }); // day 11: weeks 1 and 2 are open
    const weekOne = await quizPage(me.cookie);
    expect(weekOne.casesOpen).toBe(true);
    expect(weekOne.moreCases).toContainEqual({ id: weekOneCase, title: 'A second courier asks for a code', topic: 'Privacy and safety', difficulty: 3 });
    const ids = weekOne.moreCases.map((c) => c.id);
    expect(ids).not.toContain(weekTwoCase);
    expect(ids).not.toContain(draftOnly);
    expect(ids).not.toContain(COURIER); // content/ cases are already in the quiz

    // Week 2 has begun (day 8) though its quiz opens on day 13: its cases can be practised already.
    const weekTwo = await quizPage(me.cookie, 'week-2-practice');
    expect(weekTwo.locked).toBe(true);
    expect(weekTwo.casesOpen).toBe(true);
    expect(weekTwo.moreCases.map((c) => c.id)).toContain(weekTwoCase);
    expect(weekTwo.moreCases.map((c) => c.id)).not.toContain(weekOneCase);

    // An empty week says so (the page shows "no extra cases"), open or not.
    const weekThree = await quizPage(me.cookie, 'week-3-practice');
    expect(weekThree.casesOpen).toBe(false);
    expect(weekThree.moreCases).toEqual([]);
    const weekFour = await quizPage(me.cookie, 'week-4-practice');
    expect(weekFour.moreCases).toEqual([]);
  });

  it('opens a week on its first day, and not before the track starts', async () => {
    const firstDay = await learner({ day: 1, label: 'first-day' });
    const page = await quizPage(firstDay.cookie);
    expect(page.locked).toBe(true); // the quiz opens on day 6
    expect(page.moreCases.map((c) => c.id)).toContain(weekOneCase);
    expect(attemptIdOf(await practise(firstDay.cookie, weekOneCase))).toBeGreaterThan(0);

    const notStarted = await learner({ day: 0, label: 'not-started' });
    expect((await quizPage(notStarted.cookie)).casesOpen).toBe(false);
    expect((await quizPage(notStarted.cookie)).moreCases).toEqual([]);
    expect((await practise(notStarted.cookie, weekOneCase)).status).toBe(403);
    expect(await attemptsOf(notStarted.id)).toEqual([]);
  });
});

describe('practising a case', () => {
  it("starts a one-case attempt on the case's current version, resumes it, and starting twice at once gives one attempt", async () => {
    const me = await learner({ label: 'starter' });
    const attemptId = attemptIdOf(await practise(me.cookie, weekOneCase));
    const row = await attemptRow(attemptId);
    expect(row).toMatchObject({ user_id: me.id, kind: 'practice', quiz_id: null, status: 'in_progress' });
    const cases = await caseRows(attemptId);
    expect(cases.map((c) => c.scenario_version_id)).toEqual([await currentVersion(weekOneCase)]);

    const page = await attemptPage(me.cookie, attemptId);
    expect(page.quizTitle).toBe('Case practice: A second courier asks for a code');
    expect(page.quizId).toBeNull();
    const view = await answerView(me.cookie, attemptId);
    expect(view.caseCount).toBe(1);
    expect(view.caseFile.title).toBe('A second courier asks for a code');

    expect(attemptIdOf(await practise(me.cookie, weekOneCase))).toBe(attemptId);
    // Practising another case is another attempt; the weekly quiz's open attempt is not this one.
    expect(attemptIdOf(await practise(me.cookie, weekTwoCase, 'week-2-practice'))).not.toBe(attemptId);
    expect((await quizPage(me.cookie)).openAttemptId).toBeNull();

    const racer = await learner({ label: 'racer' });
    const [a, b] = await Promise.all([practise(racer.cookie, weekOneCase), practise(racer.cookie, weekOneCase)]);
    expect(a.status).toBe(302);
    expect(b.headers.get('Location')).toBe(a.headers.get('Location'));
    expect(await attemptsOf(racer.id)).toHaveLength(1);
  });

  it('answers and submits through the practice page; the result counts towards no week; the next start is a new attempt', async () => {
    const me = await learner({ label: 'submitter' });
    const attemptId = attemptIdOf(await practise(me.cookie, weekOneCase));
    await submitCaseWithFullMarks(me.cookie, attemptId);
    const row = await attemptRow(attemptId);
    expect(row.status).toBe('submitted');
    expect(row.score).toBe(row.max_score);

    const { view, casePractice } = await attemptPage(me.cookie, attemptId);
    expect(casePractice).toBe(true);
    expect(view).toMatchObject({ mode: 'summary', percent: 100, cases: [{ position: 0, title: 'A second courier asks for a code' }] });

    // Not a result of the week's quiz: nothing on the quiz page or among the quiz results.
    expect((await quizResults(db(), { userId: me.id })).size).toBe(0);
    expect((await quizPage(me.cookie)).attempts).toEqual([]);

    const again = attemptIdOf(await practise(me.cookie, weekOneCase));
    expect(again).not.toBe(attemptId);
    expect((await answerView(me.cookie, again)).caseCount).toBe(1);
  });

  it('keeps an open attempt on the version it began with; a new attempt takes the new version', async () => {
    const me = await learner({ label: 'versions' });
    const scenarioId = await publishedCase('A courier case that gets a second version', 1);
    const first = await currentVersion(scenarioId);
    const attemptId = attemptIdOf(await practise(me.cookie, scenarioId));
    const second = await republish(scenarioId, { ...caseBody(scenarioId, 'A courier case, second version', 1), summary: 'Rewritten for version 2.' }, 'Clearer summary');

    expect(attemptIdOf(await practise(me.cookie, scenarioId))).toBe(attemptId);
    expect((await caseRows(attemptId)).map((c) => c.scenario_version_id)).toEqual([first]);
    expect((await quizPage(me.cookie)).moreCases.find((c) => c.id === scenarioId)?.title).toBe('A courier case, second version');

    const other = await learner({ label: 'versions-new' });
    const newAttempt = attemptIdOf(await practise(other.cookie, scenarioId));
    expect((await caseRows(newAttempt)).map((c) => c.scenario_version_id)).toEqual([second]);
  });
});

describe('refusals', () => {
  it('refuses a case of another week, an unpublished one, one from content/ and an unknown intent', async () => {
    const me = await learner({ label: 'refused' });
    expect((await practise(me.cookie, weekTwoCase)).status).toBe(404); // a week 2 case on the week 1 page
    expect((await practise(me.cookie, draftOnly)).status).toBe(404);
    expect((await practise(me.cookie, COURIER)).status).toBe(404);
    expect((await practise(me.cookie, 'no-such-case')).status).toBe(404);
    expect((await practise(me.cookie, weekOneCase, 'week-3-practice')).status).toBe(403); // week 3 is not open
    const bad = await call(quizAction, makeRequest(`/learn/quizzes/${WEEK_1_QUIZ}`, { cookie: me.cookie, form: { intent: 'practise-case' } }), { quizId: WEEK_1_QUIZ });
    expect(bad.status).toBe(400);
    expect(await attemptsOf(me.id)).toEqual([]);
  });

  it('no longer lists nor starts a retired case', async () => {
    const me = await learner({ label: 'retired' });
    const scenarioId = await publishedCase('A courier case that will be retired', 1);
    expect((await quizPage(me.cookie)).moreCases.map((c) => c.id)).toContain(scenarioId);
    expect(await retireScenario(db(), { scenarioId, actorId: trainerId })).toEqual({ ok: true });
    expect((await quizPage(me.cookie)).moreCases.map((c) => c.id)).not.toContain(scenarioId);
    expect((await practise(me.cookie, scenarioId)).status).toBe(404);
    expect(await attemptsOf(me.id)).toEqual([]);
  });

  it("keeps a learner out of another learner's case practice", async () => {
    const owner = await learner({ label: 'owner' });
    const intruder = await learner({ label: 'intruder' });
    const attemptId = attemptIdOf(await practise(owner.cookie, weekOneCase));
    expect((await loadAttemptPage(intruder.cookie, attemptId)).status).toBe(404);
    expect((await postCase(intruder.cookie, attemptId, 'submit', 0)).status).toBe(404);
    expect((await attemptRow(attemptId)).status).toBe('in_progress');
    expect((await caseRows(attemptId))[0]?.submitted_at).toBeNull();
    // The intruder's own start is their own attempt.
    expect(attemptIdOf(await practise(intruder.cookie, weekOneCase))).not.toBe(attemptId);
  });
});
