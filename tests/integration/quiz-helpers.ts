// Shared by the quiz integration tests: a learner whose week-1 quiz is open, the attempt page and
// its actions called like Remix does, and answers worked out from the scenario version an attempt
// was frozen with (never from what the page shows, which must not give them away).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ScenarioFile, ScenarioItem } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { bestPathPoints } from '~/domain/grading';
import type { PublicItem } from '~/domain/presentation';
import { parseScenarioBody } from '~/models/scenario.server';
import { action as answersAction } from '~/routes/learn.attempts.$attemptId.answers';
import { action as attemptAction, loader as attemptLoader } from '~/routes/learn.attempts.$attemptId';
import { action as quizAction, loader as quizLoader } from '~/routes/learn.quizzes.$quizId';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';

export const WEEK_1_QUIZ = 'week-1-practice';

export type AttemptPage = Awaited<ReturnType<typeof attemptLoader>>;
export type AnswerView = Extract<AttemptPage['view'], { mode: 'answer' }>;
export type ReviewView = Extract<AttemptPage['view'], { mode: 'review' }>;
export type SummaryView = Extract<AttemptPage['view'], { mode: 'summary' }>;
export type QuizPage = Awaited<ReturnType<typeof quizLoader>>;
type Form = Record<string, string | string[]>;

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** A learner on day 11 of the track (week 1's quiz opened on day 6), or on another day. */
export async function learner(args: { day?: number; label?: string } = {}) {
  const user = await createUser({ roles: ['learner'], email: uniqueEmail(args.label ?? 'learner') });
  await enrolLearner(user.id, { startDate: dateFromToday(1 - (args.day ?? 11)) });
  return { id: user.id, cookie: await cookieFor(user.id) };
}

export function startRequest(cookie: string, quizId = WEEK_1_QUIZ) {
  return call(quizAction, makeRequest(`/learn/quizzes/${quizId}`, { cookie, form: { intent: 'start' } }), { quizId });
}

export function attemptIdOf(response: Response): number {
  expect(response.status).toBe(302);
  const match = /^\/learn\/attempts\/(\d+)$/.exec(response.headers.get('Location') ?? '');
  if (!match?.[1]) throw new Error(`not a redirect to an attempt: ${response.headers.get('Location')}`);
  return Number(match[1]);
}

export async function startAttempt(cookie: string, quizId = WEEK_1_QUIZ): Promise<number> {
  return attemptIdOf(await startRequest(cookie, quizId));
}

export async function quizPage(cookie: string, quizId = WEEK_1_QUIZ): Promise<QuizPage> {
  const response = await call(quizLoader, makeRequest(`/learn/quizzes/${quizId}`, { cookie }), { quizId });
  expect(response.status).toBe(200);
  return (await response.json()) as QuizPage;
}

export function loadAttemptPage(cookie: string, attemptId: number, query = '') {
  return call(attemptLoader, makeRequest(`/learn/attempts/${attemptId}${query}`, { cookie }), { attemptId: String(attemptId) });
}

export async function attemptPage(cookie: string, attemptId: number, query = ''): Promise<AttemptPage> {
  const response = await loadAttemptPage(cookie, attemptId, query);
  expect(response.status).toBe(200);
  return (await response.json()) as AttemptPage;
}

export async function answerView(cookie: string, attemptId: number): Promise<AnswerView> {
  const { view } = await attemptPage(cookie, attemptId);
  if (view.mode !== 'answer') throw new Error(`expected a case to answer, got the ${view.mode} view`);
  return view;
}

export async function reviewView(cookie: string, attemptId: number, position: number): Promise<ReviewView> {
  const { view } = await attemptPage(cookie, attemptId, `?case=${position}`);
  if (view.mode !== 'review') throw new Error(`expected the review of case ${position}, got the ${view.mode} view`);
  return view;
}

/** The attempt page's form (intent=save or submit) for one case. */
export function postCase(cookie: string, attemptId: number, intent: 'save' | 'submit', position: number, fields: Form = {}) {
  const form = { intent, case: String(position), ...fields };
  return call(attemptAction, makeRequest(`/learn/attempts/${attemptId}`, { cookie, form }), { attemptId: String(attemptId) });
}

/** What the autosave script posts: the case form without an intent. */
export function autosave(cookie: string, attemptId: number, position: number, fields: Form = {}) {
  const form = { case: String(position), ...fields };
  return call(answersAction, makeRequest(`/learn/attempts/${attemptId}/answers`, { cookie, form }), { attemptId: String(attemptId) });
}

/** The scenario version a case of an attempt was frozen with. */
export async function caseScenario(attemptId: number, position: number): Promise<ScenarioFile> {
  const row = await db()
    .selectFrom('attempt_scenarios')
    .innerJoin('scenario_versions', 'scenario_versions.id', 'attempt_scenarios.scenario_version_id')
    .select('scenario_versions.body')
    .where('attempt_scenarios.attempt_id', '=', attemptId)
    .where('attempt_scenarios.position', '=', position)
    .executeTakeFirstOrThrow();
  return parseScenarioBody(row.body);
}

export async function caseCount(attemptId: number): Promise<number> {
  const rows = await db().selectFrom('attempt_scenarios').select('position').where('attempt_id', '=', attemptId).execute();
  return rows.length;
}

export function shownItem(view: AnswerView, itemId: string): PublicItem {
  const item = view.items.find((i) => i.id === itemId);
  if (!item) throw new Error(`item ${itemId} is not on the page`);
  return item;
}

/** The id the page gives the choice with this text. */
export function shownIdOf(choices: readonly { id: string; text: string }[], text: string): string {
  const choice = choices.find((c) => c.text === text);
  if (!choice) throw new Error(`no choice reads "${text}"`);
  return choice.id;
}

type Branching = Extract<ScenarioItem, { type: 'branching' }>;

/** The option at a step of a conversation that leads to full marks. */
export function bestOption(item: Branching, stepId: string) {
  const step = item.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  const value = (o: (typeof step.options)[number]) => o.points + (o.next ? bestPathPoints(item, o.next) : 0);
  return step.options.reduce((best, o) => (value(o) > value(best) ? o : best));
}

/** Form fields answering every item of the case but conversations in full (conversations go step by step). */
export function rightAnswers(scenario: ScenarioFile, view: AnswerView): Form {
  const fields: Form = { present: scenario.items.map((i) => i.id) };
  for (const item of scenario.items) {
    const shown = shownItem(view, item.id);
    const field = `item.${item.id}`;
    switch (item.type) {
      case 'single':
      case 'multiple': {
        if (shown.type !== item.type) throw new Error(`${item.id} is shown as ${shown.type}`);
        const ids = item.options.filter((o) => o.correct).map((o) => shownIdOf(shown.options, o.text));
        fields[field] = item.type === 'single' ? (ids[0] ?? '') : ids;
        break;
      }
      case 'ordering':
        item.steps.forEach((step, i) => {
          fields[`${field}.${step.id}`] = String(i + 1);
        });
        break;
      case 'matching': {
        if (shown.type !== 'matching') throw new Error(`${item.id} is shown as ${shown.type}`);
        for (const pair of item.pairs) fields[`${field}.${pair.id}`] = shownIdOf(shown.conclusions, pair.conclusion);
        break;
      }
      case 'written':
        fields[field] = 'Thank you for waiting. I have checked your order and here is what happens next.';
        break;
      case 'branching':
        break;
    }
  }
  return fields;
}

/** Walks every conversation of the open case along its best path, one choice per save, like a learner. */
export async function answerConversationsBest(cookie: string, attemptId: number, scenario: ScenarioFile, position: number) {
  for (const item of scenario.items) {
    if (item.type !== 'branching') continue;
    for (;;) {
      const shown = shownItem(await answerView(cookie, attemptId), item.id);
      if (shown.type !== 'branching') throw new Error(`${item.id} is shown as ${shown.type}`);
      if (!shown.current) break;
      const option = bestOption(item, shown.current.id);
      const response = await postCase(cookie, attemptId, 'save', position, { present: item.id, [`item.${item.id}.choice`]: shownIdOf(shown.current.options, option.text) });
      expect(response.status).toBe(302);
    }
  }
}

/** Answers the open case as well as it can be answered and submits it. */
export async function submitCaseWithFullMarks(cookie: string, attemptId: number) {
  const view = await answerView(cookie, attemptId);
  const scenario = await caseScenario(attemptId, view.position);
  await answerConversationsBest(cookie, attemptId, scenario, view.position);
  const response = await postCase(cookie, attemptId, 'submit', view.position, rightAnswers(scenario, await answerView(cookie, attemptId)));
  expect(response.status).toBe(302);
  expect(response.headers.get('Location')).toBe(`/learn/attempts/${attemptId}?case=${view.position}`);
  return view.position;
}

/** Submits the open case without answering anything. */
export async function submitCaseBlank(cookie: string, attemptId: number) {
  const view = await answerView(cookie, attemptId);
  const response = await postCase(cookie, attemptId, 'submit', view.position);
  expect(response.status).toBe(302);
  return view.position;
}

export async function attemptRow(attemptId: number) {
  return db().selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
}

export async function caseRows(attemptId: number) {
  return db().selectFrom('attempt_scenarios').selectAll().where('attempt_id', '=', attemptId).orderBy('position').execute();
}

export async function itemRows(attemptId: number, position: number) {
  return db()
    .selectFrom('attempt_items')
    .selectAll()
    .where('attempt_id', '=', attemptId)
    .where('scenario_position', '=', position)
    .orderBy('position')
    .execute();
}
