// Item analysis in the studio, from exam attempts sat through the models on a real SQLite file: the
// score matrix over first (or all) graded attempts, option counts, and the trainer's page.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import type { ScenarioItem } from '~/content/scenario-schema';
import { analyseExamItems } from '~/models/item-analysis.server';
import { loader } from '~/routes/studio.analysis';
import { makeEligible } from '../support/eligibility';
import { CERTIFICATION_EXAM, responseFor, sitExam, type SatExam } from '../support/exam-fixtures';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';

type Page = Awaited<ReturnType<typeof loader>>;

async function learner(name: string) {
  const user = await createUser({ roles: ['learner'], name });
  await makeEligible(user.id);
  return user.id;
}

let trainerCookie = '';
let first: SatExam;
let target: { position: number; itemKey: string; itemId: string; item: Extract<ScenarioItem, { type: 'single' }> };

async function page(query = ''): Promise<Page> {
  const response = await call(loader, makeRequest(`/studio/analysis${query}`, { cookie: trainerCookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

/** Pearson's r × 100, written out here so the model's wiring is checked against something independent. */
function correlation(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const cov = xs.reduce((sum, x, i) => sum + (x - mx) * ((ys[i] ?? 0) - my), 0);
  const vx = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  const vy = ys.reduce((sum, y) => sum + (y - my) ** 2, 0);
  return (100 * cov) / Math.sqrt(vx * vy);
}

beforeAll(async () => {
  const trainer = await createUser({ roles: ['trainer'], name: 'Tia Trainer' });
  trainerCookie = await cookieFor(trainer.id);
  // Written replies are left empty (they score 0 at once), so every attempt is graded on submission.
  first = await sitExam({ userId: await learner('Ada All-right'), answer: 'correct', writtenText: null });
  const single = first.items.find((i) => i.item.type === 'single');
  if (single?.item.type !== 'single') throw new Error('the draw holds no single-choice item');
  // The analysis names an item by scenario and key (item keys are unique only within a scenario).
  const { scenario_id } = await db()
    .selectFrom('attempt_scenarios')
    .innerJoin('scenario_versions', 'scenario_versions.id', 'attempt_scenarios.scenario_version_id')
    .select('scenario_versions.scenario_id')
    .where('attempt_scenarios.attempt_id', '=', first.attemptId)
    .where('attempt_scenarios.position', '=', single.position)
    .executeTakeFirstOrThrow();
  target = { position: single.position, itemKey: single.itemId, itemId: `${scenario_id}/${single.itemId}`, item: single.item };
});

describe('before there is enough to analyse', () => {
  it('shows the empty state with one graded attempt, and does not count an attempt waiting for a trainer', async () => {
    await sitExam({ userId: await learner('Wes Waiting'), answer: 'correct', withWritten: true });
    const data = await page();
    expect(data.examId).toBe(CERTIFICATION_EXAM);
    expect(data.analysis?.attempts).toBe(1);
    expect(data.analysis?.items).toEqual([]);
  });
});

describe('with graded attempts', () => {
  const sat: Record<string, SatExam> = {};
  beforeAll(async () => {
    sat.wrong = await sitExam({ userId: await learner('Bo Wrong'), answer: 'wrong', writtenText: null });
    sat.missesOne = await sitExam({
      userId: await learner('Cy Misses-one'),
      answer: 'correct',
      writtenText: null,
      answerFor: (_item, position) => (position === target.position ? 'wrong' : undefined),
    });
    sat.blank = await sitExam({ userId: await learner('Di Blank'), answer: 'blank' });
    // Right on the target item only: it then says little about who knows the rest.
    sat.onlyOne = await sitExam({
      userId: await learner('Ed Only-one'),
      answer: 'blank',
      answerFor: (_item, position) => (position === target.position ? 'correct' : undefined),
    });
    // The first learner sits again (a later attempt: only in "all attempts").
    const again = await db().selectFrom('attempts').select('user_id').where('id', '=', first.attemptId).executeTakeFirstOrThrow();
    sat.second = await sitExam({ userId: again.user_id, answer: 'correct', writtenText: null, seed: 2 });
  });

  it('every fresh learner drew the same item at the same place (the fixtures rely on it)', () => {
    for (const s of Object.values(sat).filter((s) => s !== sat.second)) {
      expect(s.items.find((i) => i.position === target.position)?.itemId).toBe(target.itemKey);
    }
  });

  it('analyses each learner’s first graded attempt by default', async () => {
    const analysis = await analyseExamItems(db(), { examId: CERTIFICATION_EXAM, attempts: 'first' });
    expect(analysis.attempts).toBe(5);
    expect(analysis.learners).toBe(5);
    // The test mean is the mean of the attempts' percentages as graded.
    const firstIds = [first.attemptId, sat.wrong?.attemptId, sat.missesOne?.attemptId, sat.blank?.attemptId, sat.onlyOne?.attemptId].map(Number);
    const rows = await db().selectFrom('attempts').select(['score', 'max_score']).where('id', 'in', firstIds).execute();
    const percents = rows.map((r) => (100 * (r.score ?? 0)) / (r.max_score ?? 1));
    expect(analysis.test.mean).toBeCloseTo(percents.reduce((a, b) => a + b, 0) / percents.length, 6);
    expect(analysis.test.cic).not.toBeNull();
  });

  it('gives the target item its facility, discrimination and flag from the scores as stored', async () => {
    const analysis = await analyseExamItems(db(), { examId: CERTIFICATION_EXAM, attempts: 'first' });
    const item = analysis.items.find((i) => i.itemId === target.itemId);
    expect(item).toMatchObject({ n: 5, type: 'single', prompt: target.item.prompt });
    // Right: Ada and Ed; wrong: Bo and Cy; blank: Di → 2 of 5.
    expect(item?.facility).toBeCloseTo(40, 6);
    const firstIds = [first, sat.wrong, sat.missesOne, sat.blank, sat.onlyOne].map((s) => s?.attemptId ?? 0);
    const stored = await db()
      .selectFrom('attempt_items')
      .innerJoin('attempts', 'attempts.id', 'attempt_items.attempt_id')
      .select(['attempt_items.score', 'attempts.score as total'])
      .where('attempt_items.attempt_id', 'in', firstIds)
      .where('attempt_items.scenario_position', '=', target.position)
      .orderBy('attempt_items.attempt_id')
      .execute();
    const x = stored.map((r) => r.score ?? 0);
    const rest = stored.map((r) => (r.total ?? 0) - (r.score ?? 0));
    expect(item?.discrimination).toBeCloseTo(correlation(x, rest), 6);
    // Ed got it right knowing nothing else, Cy wrong knowing the rest: a weak item.
    expect(item?.discrimination ?? 100).toBeLessThan(20);
    expect(item?.flags).toContain('poor-discrimination');
  });

  it('counts how often each option was chosen, with its text and which is correct', async () => {
    const analysis = await analyseExamItems(db(), { examId: CERTIFICATION_EXAM, attempts: 'first' });
    const choices = analysis.items.find((i) => i.itemId === target.itemId)?.choices;
    const correct = target.item.options.find((o) => o.correct);
    const wrong = (responseFor(target.item, 0, 'wrong') as { optionId: string }).optionId;
    expect(choices?.total).toBe(5);
    expect(choices?.blank).toBe(1);
    expect(choices?.options.find((o) => o.id === correct?.id)).toMatchObject({ text: correct?.text, correct: true, count: 2, percent: 40 });
    expect(choices?.options.find((o) => o.id === wrong)).toMatchObject({ correct: false, count: 2 });
    expect(choices?.options.reduce((n, o) => n + o.count, 0)).toBe(4);
  });

  it('switches to all graded attempts', async () => {
    const analysis = await analyseExamItems(db(), { examId: CERTIFICATION_EXAM, attempts: 'all' });
    expect(analysis.attempts).toBe(6);
    expect(analysis.learners).toBe(5);
  });

  it('shows the trainer the statistics, the switch and the sort on the page', async () => {
    const data = await page('?attempts=all&sort=facility');
    expect(data.attempts).toBe('all');
    expect(data.analysis?.attempts).toBe(6);
    const facilities = (data.analysis?.items ?? []).map((i) => i.facility ?? Infinity);
    expect(facilities.length).toBeGreaterThan(10);
    expect(facilities).toEqual([...facilities].sort((a, b) => a - b));
    const flagged = await page();
    const flags = (flagged.analysis?.items ?? []).map((i) => i.flags.length);
    expect(flags).toEqual([...flags].sort((a, b) => b - a));
    expect(flags[0]).toBeGreaterThan(0);
    // Nonsense in the query falls back to the defaults rather than failing.
    expect((await page('?attempts=some&sort=nope')).attempts).toBe('first');
  });

  it('answers 404 for an unknown exam and lets in trainers only', async () => {
    expect((await call(loader, makeRequest('/studio/analysis?exam=nope', { cookie: trainerCookie }))).status).toBe(404);
    for (const roles of [['learner'], ['manager'], ['admin']] as const) {
      const user = await createUser({ roles: [...roles] });
      expect((await call(loader, makeRequest('/studio/analysis', { cookie: await cookieFor(user.id) }))).status).toBe(403);
    }
  });
});
