// The certification exam in the browser: learners made eligible, certified and managed directly in the
// main e2e server's database, and the questions of an attempt answered right with the keyboard alone.
import { expect, type Locator, type Page } from '@playwright/test';
import { openDatabase, writeTransaction } from '~db/connect';
import type { ScenarioItem } from '~/content/scenario-schema';
import { createApiKey } from '~/models/api-key.server';
import { loadAttempt } from '~/models/attempt.server';
import { issueCertification, listCertifications } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { getExam } from '~/models/exam.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { responseFor } from '../../support/exam-fixtures';
import { MAIN_DB } from './config';
import { todayInShanghai } from './fixtures';

export const EXAM_ID = 'returns-refunds-certification';
export const WRITTEN_REPLY = 'I am sorry for the wait. I have checked your order: the refund was released today and reaches your card in 3 to 5 working days.';

let database: ReturnType<typeof openDatabase> | undefined;
/** The main e2e server's database (the one fixtures.ts creates users in). */
export function mainDb() {
  database ??= openDatabase(MAIN_DB);
  return database.db;
}

async function trackId(): Promise<string> {
  const id = await defaultTrackId(mainDb());
  if (!id) throw new Error('the e2e server has not loaded the track');
  return id;
}

/**
 * Makes a learner eligible for the exam, as tests/support/eligibility.ts does in integration tests:
 * enrolled `daysAgo` days ago (past the exam's first day), every lesson complete and every weekly
 * practice quiz passed.
 */
export async function makeEligibleInMainDb(userId: number, args: { daysAgo?: number; cohortId?: number | null } = {}) {
  const db = mainDb();
  await enrol(db, { userId, trackId: await trackId(), cohortId: args.cohortId ?? null, startDate: todayInShanghai(-(args.daysAgo ?? 30)) });
  const at = new Date().toISOString();
  const lessons = await db.selectFrom('lessons').select('id').where('retired_at', 'is', null).execute();
  await db
    .insertInto('lesson_completions')
    .values(lessons.map((l) => ({ user_id: userId, lesson_id: l.id, completed_at: at })))
    .onConflict((oc) => oc.columns(['user_id', 'lesson_id']).doNothing())
    .execute();
  const quizzes = await db.selectFrom('quizzes').select('id').where('retired_at', 'is', null).execute();
  for (const quiz of quizzes) {
    await db
      .insertInto('attempts')
      .values({ user_id: userId, kind: 'practice', quiz_id: quiz.id, seed: 1, status: 'submitted', started_at: at, submitted_at: at, score: 10, max_score: 10, passed: 1 })
      .execute();
  }
}

export async function certificationExam() {
  const exam = await getExam(mainDb(), { examId: EXAM_ID });
  if (!exam) throw new Error(`exam ${EXAM_ID} is not loaded in the e2e database`);
  return exam;
}

/** Issues a certification straight into the database, as a passed exam would. */
export async function certifyInMainDb(userId: number) {
  const exam = await certificationExam();
  return writeTransaction(mainDb(), (trx) =>
    issueCertification(trx, {
      userId,
      exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
      attemptId: null,
      now: new Date(),
    }),
  );
}

export async function certificationsOf(userId: number) {
  return listCertifications(mainDb(), { userId });
}

/** A cohort managed by `managerId`, with `learnerId` enrolled in it. */
export async function cohortWith(args: { managerId: number; learnerId: number }) {
  const cohortId = await createCohort(mainDb(), {
    name: `E2E exam cohort ${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    startDate: todayInShanghai(-30),
    timeZone: 'Asia/Shanghai',
    managerIds: [args.managerId],
    actorId: null,
  });
  await enrol(mainDb(), { userId: args.learnerId, trackId: await trackId(), cohortId, startDate: null });
  return cohortId;
}

export async function helpdeskApiKey() {
  return (await createApiKey(mainDb(), { name: `E2E helpdesk ${Date.now()}`, createdBy: null })).key;
}

export async function userName(userId: number): Promise<string> {
  const row = await mainDb().selectFrom('users').select('name').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.name;
}

/** The learner's exam attempt in progress (there is at most one). */
export async function openAttemptId(userId: number): Promise<number> {
  const row = await mainDb()
    .selectFrom('attempts')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', 'exam')
    .where('status', '=', 'in_progress')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One drawn question: its number on the page (1-based), the item, and the case's seed. */
export interface ExamQuestion {
  number: number;
  item: ScenarioItem;
  caseSeed: number;
}

export async function examQuestions(args: { attemptId: number; userId: number }) {
  const attempt = await loadAttempt(mainDb(), { attemptId: args.attemptId, userId: args.userId, kind: 'exam' });
  if (!attempt) throw new Error(`exam attempt ${args.attemptId} of user ${args.userId} not found`);
  const questions: ExamQuestion[] = attempt.scenarios.map((s) => {
    const item = s.scenario.items.find((i) => i.id === s.items[0]?.key);
    if (!item) throw new Error(`attempt ${attempt.id} position ${s.position} holds no item`);
    return { number: s.position + 1, item, caseSeed: s.seed };
  });
  return { deadlineAt: attempt.deadline_at ?? '', questions };
}

export async function waitForPage(page: Page, javaScript: boolean) {
  await page.waitForLoadState('load');
  if (javaScript) await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/** Presses Enter on a button or link and waits for the page it leads to (a different URL). */
export async function activate(page: Page, target: Locator, javaScript: boolean) {
  const url = page.url();
  await target.press('Enter');
  await expect.poll(() => page.url()).not.toBe(url);
  await waitForPage(page, javaScript);
}

export const questionHeading = (page: Page, number: number, count: number) =>
  // (?!\d): the flag badge follows the count without a space in the heading's name.
  page.getByRole('heading', { level: 2, name: new RegExp(`^Question ${number} of ${count}(?!\\d)`) });

function optionText(item: Extract<ScenarioItem, { type: 'single' | 'multiple' }>, id: string): string {
  const option = item.options.find((o) => o.id === id);
  if (!option) throw new Error(`item ${item.id} has no option ${id}`);
  return option.text;
}

/** Presses ArrowDown on a closed select until the option with `text` is chosen (from the empty choice). */
async function chooseInSelect(select: Locator, text: string) {
  const options = (await select.locator('option').allTextContents()).map((t) => t.trim());
  const index = options.indexOf(text);
  if (index < 1) throw new Error(`no option "${text}" in [${options.join(' | ')}]`);
  for (let k = 0; k < index; k++) await select.press('ArrowDown');
  await expect(select.locator('option:checked')).toHaveText(text);
}

/**
 * Answers the question on the page correctly with the keyboard (written: a sensible reply). A
 * conversation is taken to its end with "Continue the conversation", a page load per step.
 */
export async function answerCorrectly(page: Page, question: ExamQuestion, javaScript: boolean) {
  const form = page.locator('#exam-form');
  const { item } = question;
  const correct = responseFor(item, question.caseSeed, 'correct') as Record<string, unknown>;
  switch (item.type) {
    case 'single': {
      const radio = form.getByRole('radio', { name: optionText(item, correct.optionId as string), exact: true });
      await radio.press('Space');
      await expect(radio).toBeChecked();
      break;
    }
    case 'multiple': {
      for (const id of correct.optionIds as string[]) {
        const box = form.getByRole('checkbox', { name: optionText(item, id), exact: true });
        await box.press('Space');
        await expect(box).toBeChecked();
      }
      break;
    }
    case 'ordering': {
      const order = correct.order as string[];
      for (const [index, stepId] of order.entries()) {
        const step = item.steps.find((s) => s.id === stepId);
        if (!step) throw new Error(`item ${item.id} has no step ${stepId}`);
        await chooseInSelect(form.getByRole('combobox', { name: `Place of: ${step.text}`, exact: true }), String(index + 1));
      }
      break;
    }
    case 'matching': {
      for (const pair of item.pairs) {
        const row = form.locator('li').filter({ has: page.getByText(pair.evidence, { exact: true }) });
        await chooseInSelect(row.getByRole('combobox'), pair.conclusion);
      }
      break;
    }
    case 'written': {
      const reply = form.getByRole('textbox', { name: 'Your reply to the customer' });
      await reply.focus();
      await page.keyboard.type(WRITTEN_REPLY);
      await expect(reply).toHaveValue(WRITTEN_REPLY);
      break;
    }
    case 'branching': {
      for (const choice of (correct as { path: { stepId: string; optionId: string }[] }).path) {
        const text = item.steps.find((s) => s.id === choice.stepId)?.options.find((o) => o.id === choice.optionId)?.text;
        if (!text) throw new Error(`item ${item.id} has no option ${choice.optionId} in step ${choice.stepId}`);
        await form.getByRole('radio', { name: text, exact: true }).press('Space');
        const said = form.locator('ol li');
        const before = await said.count();
        await form.getByRole('button', { name: 'Continue the conversation' }).press('Enter');
        await expect(said).toHaveCount(before + 1);
        await expect(said.last()).toContainText(`You: ${text}`);
        await waitForPage(page, javaScript);
      }
      await expect(form.getByText('The conversation is over.')).toBeVisible();
      break;
    }
  }
}

/** Nothing is chosen or typed yet in the question on the page (a question not answered before). */
export async function expectBlank(page: Page) {
  const form = page.locator('#exam-form');
  await expect(form.locator('input[type="radio"]:checked, input[type="checkbox"]:checked')).toHaveCount(0);
  for (const select of await form.getByRole('combobox').all()) await expect(select).toHaveValue('');
  for (const text of await form.getByRole('textbox').all()) await expect(text).toHaveValue('');
}
