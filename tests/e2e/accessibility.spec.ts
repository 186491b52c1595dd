// axe-core on every page type, for every role that can see it, with JavaScript on: no violation of
// serious or critical impact. Each page is also laid out at a phone's width (375×740) and must not
// scroll sideways. The data each page needs (attempts in every state, a waiting written reply, a
// certification, a cohort, a webhook with a log…) is made directly in the main server's database.
// Last, completing a lesson with the keyboard alone.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { writeTransaction } from '~db/connect';
import type { ScenarioItem } from '~/content/scenario-schema';
import { drawExam } from '~/domain/exam-draw';
import { createApiKey } from '~/models/api-key.server';
import { getQuiz, loadAttempt, startPracticeAttempt, submitCase } from '~/models/attempt.server';
import { createCohort } from '~/models/cohort.server';
import { examPool, gradeWrittenReply, saveExamAnswer, startExamAttempt, submitExamAttempt } from '~/models/exam.server';
import { createInvitation } from '~/models/invitation.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { newEventId } from '~/models/outbox.server';
import { duplicateScenario } from '~/models/studio.server';
import { createWebhook } from '~/models/webhook.server';
import { responseFor, rubricLevels, type AnswerMode } from '../support/exam-fixtures';
import { MAIN_DB } from './support/config';
import { certificationExam, certificationsOf, EXAM_ID, mainDb, makeEligibleInMainDb } from './support/exam';
import { createUser, expect, expectAccessible, signInAs, test, todayInShanghai } from './support/fixtures';

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 720 };
/** A content scenario with a conversation (branching) item: read-only in the studio. */
const CONTENT_SCENARIO = 'charged-twice-on-a-friday';
const QUIZ_ID = 'week-1-practice';
const ITEM_TYPES = ['single', 'multiple', 'ordering', 'matching', 'written', 'branching'] as const;
type ItemType = (typeof ITEM_TYPES)[number];

interface SatAttempt {
  attemptId: number;
  /** The type of the item at each position (0-based). */
  types: ScenarioItem['type'][];
}

interface World {
  learner: number;
  practiceAttemptId: number;
  finishedPracticeAttemptId: number;
  examLearner: number;
  examInProgress: SatAttempt;
  passedLearner: number;
  passed: SatAttempt;
  credentialId: string;
  failedLearner: number;
  failed: SatAttempt;
  waitingLearner: number;
  waiting: SatAttempt & { writtenPosition: number };
  everyRole: number;
  trainer: number;
  studioCopy: string;
  manager: number;
  cohortId: number;
  admin: number;
  webhookId: number;
}

/** The first seed whose draw (for a learner who has seen nothing) holds the most item types, all six if it can. */
async function seedDrawingEveryType(from = 1): Promise<number> {
  const exam = await certificationExam();
  const pool = await examPool(mainDb());
  let best = { seed: from, types: 0 };
  for (let seed = from; seed < from + 400; seed++) {
    const draw = drawExam({ blueprint: exam.blueprint, pool, seed, seenItemKeys: [] });
    if (!draw.ok) continue;
    const types = new Set(draw.items.map((i) => i.type)).size;
    if (types > best.types) best = { seed, types };
    if (types === ITEM_TYPES.length) break;
  }
  return best.seed;
}

/** The first seed whose draw holds a written item. */
async function seedWithWritten(from = 1): Promise<number> {
  const exam = await certificationExam();
  const pool = await examPool(mainDb());
  for (let seed = from; seed < from + 400; seed++) {
    const draw = drawExam({ blueprint: exam.blueprint, pool, seed, seenItemKeys: [] });
    if (draw.ok && draw.items.some((i) => i.type === 'written')) return seed;
  }
  throw new Error('no seed in 400 draws an exam with a written item');
}

/**
 * Starts the certification exam for `userId` through the models (as tests/support/exam-fixtures.ts
 * does in integration tests, on the e2e server's database), answers every item (`answer`; null leaves
 * them all blank) and, unless `submit` is false, submits it.
 */
async function sitExam(args: { userId: number; seed: number; answer: AnswerMode | null; submit: boolean }): Promise<SatAttempt> {
  const db = mainDb();
  const exam = await certificationExam();
  const started = await startExamAttempt(db, { userId: args.userId, exam, seed: args.seed });
  if (!started.ok) throw new Error(started.reason);
  const attempt = await loadAttempt(db, { attemptId: started.attemptId, userId: args.userId, kind: 'exam' });
  if (!attempt) throw new Error(`attempt ${started.attemptId} did not load`);
  const types: ScenarioItem['type'][] = [];
  for (const drawn of attempt.scenarios) {
    const item = drawn.scenario.items.find((i) => i.id === drawn.items[0]?.key);
    if (!item) throw new Error(`attempt ${attempt.id} position ${drawn.position} holds no item`);
    types[drawn.position] = item.type;
    if (args.answer === null) continue;
    const saved = await saveExamAnswer(db, { attemptId: attempt.id, userId: args.userId, position: drawn.position, response: responseFor(item, drawn.seed, args.answer), seq: 0 });
    if (!saved.ok) throw new Error(`answer at position ${drawn.position} not saved: ${saved.reason}`);
  }
  if (args.submit) {
    const result = await submitExamAttempt(db, { attemptId: attempt.id, userId: args.userId });
    if (!result.submitted) throw new Error(`attempt ${attempt.id} was not submitted`);
  }
  return { attemptId: attempt.id, types };
}

/** A trainer grades the written replies of a submitted attempt at the top of the rubric. */
async function gradeAllWritten(sat: SatAttempt, graderId: number) {
  const db = mainDb();
  const attempt = await db.selectFrom('attempts').select('user_id').where('id', '=', sat.attemptId).executeTakeFirstOrThrow();
  const loaded = await loadAttempt(db, { attemptId: sat.attemptId, userId: attempt.user_id, kind: 'exam' });
  for (const drawn of loaded?.scenarios ?? []) {
    const item = drawn.scenario.items.find((i) => i.id === drawn.items[0]?.key);
    if (item?.type !== 'written') continue;
    const graded = await gradeWrittenReply(db, { attemptId: sat.attemptId, position: drawn.position, graderId, levels: rubricLevels(item, 'top'), comment: 'Clear and kind.' });
    if (!graded.ok) throw new Error(`reply at ${drawn.position} not graded: ${graded.reason}`);
  }
}

async function buildWorld(): Promise<World> {
  const db = mainDb();
  const [trainer, manager, admin, everyRole] = await Promise.all([
    createUser(['trainer']),
    createUser(['manager']),
    createUser(['admin']),
    createUser(['learner', 'trainer', 'manager', 'admin'], { startDate: todayInShanghai(-3) }),
  ]);
  const cohortId = await createCohort(db, {
    name: `E2E accessibility cohort ${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    startDate: todayInShanghai(-30),
    timeZone: 'Asia/Shanghai',
    managerIds: [manager.id],
    actorId: null,
  });

  // A learner ten days in: lessons, the handbook, a practice quiz with a case submitted (its review)
  // and the next one open, and an earlier attempt finished (its summary).
  const learner = await createUser(['learner']);
  const trackId = await defaultTrackId(db);
  if (!trackId) throw new Error('the e2e server has not loaded the track');
  await enrol(db, { userId: learner.id, trackId, cohortId, startDate: todayInShanghai(-10) });
  await db.insertInto('lesson_completions').values({ user_id: learner.id, lesson_id: 'welcome-to-the-live-queue', completed_at: new Date().toISOString() }).execute();
  const quiz = await getQuiz(db, { quizId: QUIZ_ID });
  if (!quiz) throw new Error(`quiz ${QUIZ_ID} is not loaded`);
  const finishedPracticeAttemptId = await startPracticeAttempt(db, { userId: learner.id, quiz });
  for (let position = 0; position < quiz.scenarioIds.length; position++) {
    await submitCase(db, { attemptId: finishedPracticeAttemptId, userId: learner.id, position, passMark: quiz.passMark });
  }
  const practiceAttemptId = await startPracticeAttempt(db, { userId: learner.id, quiz });
  await submitCase(db, { attemptId: practiceAttemptId, userId: learner.id, position: 0, passMark: quiz.passMark });

  // Exam attempts: one in progress drawing every item type, one passed (certified), one failed, and
  // one whose written reply waits for a trainer.
  const [examLearner, passedLearner, failedLearner, waitingLearner] = await Promise.all([
    createUser(['learner']),
    createUser(['learner']),
    createUser(['learner']),
    createUser(['learner']),
  ]);
  for (const user of [examLearner, passedLearner, failedLearner, waitingLearner]) await makeEligibleInMainDb(user.id, { cohortId });
  const everyTypeSeed = await seedDrawingEveryType();
  const writtenSeed = await seedWithWritten();
  const examInProgress = await sitExam({ userId: examLearner.id, seed: everyTypeSeed, answer: null, submit: false });
  const passed = await sitExam({ userId: passedLearner.id, seed: everyTypeSeed, answer: 'correct', submit: true });
  await gradeAllWritten(passed, trainer.id);
  const credentialId = (await certificationsOf(passedLearner.id))[0]?.credential_id;
  if (!credentialId) throw new Error('the passed exam issued no certification');
  const failed = await sitExam({ userId: failedLearner.id, seed: everyTypeSeed, answer: 'wrong', submit: true });
  const waitingSat = await sitExam({ userId: waitingLearner.id, seed: writtenSeed, answer: 'correct', submit: true });
  const waiting = { ...waitingSat, writtenPosition: waitingSat.types.indexOf('written') };

  // The studio: an editable copy of a content scenario (a draft, never published).
  const copy = await duplicateScenario(db, { scenarioId: CONTENT_SCENARIO, userId: trainer.id });
  if (!copy.ok) throw new Error(copy.reason);

  // Admin: a pending invitation, an API key and a webhook with a delivery log (a failure and a
  // success). It listens to expiries only, which no other browser test causes.
  const invited = await createInvitation(db, { email: `invitee-${Date.now()}@e2e.test`, name: 'Invited Learner', roles: ['learner'], cohortId, actorId: admin.id });
  if ('error' in invited) throw new Error(invited.error);
  await createApiKey(db, { name: `E2E accessibility ${Date.now()}`, createdBy: admin.id });
  const webhook = await createWebhook(db, { url: 'https://helpdesk.example.com/hooks/frontline', events: ['certification.expired'], actorId: admin.id });
  await writeTransaction(db, async (trx) => {
    const at = new Date().toISOString();
    for (const [index, outcome] of (['failed', 'delivered'] as const).entries()) {
      const id = newEventId();
      const body = { id, type: 'certification.expired', createdAt: at, data: { credentialId, index } };
      await trx.insertInto('webhook_events').values({ id, type: 'certification.expired', payload: JSON.stringify(body), created_at: at }).execute();
      await trx
        .insertInto('webhook_deliveries')
        .values({
          event_id: id,
          webhook_id: webhook.id,
          status: outcome,
          attempts: outcome === 'failed' ? 12 : 1,
          next_attempt_at: null,
          last_attempt_at: at,
          last_status_code: outcome === 'failed' ? 500 : 200,
          last_error: outcome === 'failed' ? 'HTTP 500 Internal Server Error' : null,
          delivered_at: outcome === 'delivered' ? at : null,
          created_at: at,
        })
        .execute();
    }
  });

  return {
    learner: learner.id,
    practiceAttemptId,
    finishedPracticeAttemptId,
    examLearner: examLearner.id,
    examInProgress,
    passedLearner: passedLearner.id,
    passed,
    credentialId,
    failedLearner: failedLearner.id,
    failed,
    waitingLearner: waitingLearner.id,
    waiting,
    everyRole: everyRole.id,
    trainer: trainer.id,
    studioCopy: copy.scenarioId,
    manager: manager.id,
    cohortId,
    admin: admin.id,
    webhookId: webhook.id,
  };
}

/** Waits for the page to load and, when it ships JavaScript, to hydrate. */
async function settle(page: Page) {
  await page.waitForLoadState('load');
  if ((await page.locator('script[type="module"]').count()) > 0) await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/**
 * What makes the page wider than a phone's screen (for the failure message): the outermost elements
 * that stick out past the right edge and are not clipped by a box that scrolls sideways on its own
 * (an absolutely positioned one, such as Tailwind's sr-only text, escapes every such box below its
 * positioned ancestor).
 */
async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth + 1;
    const sticksOut = (element: Element) => element.getBoundingClientRect().right > width;
    const clipped = (element: Element) => {
      const position = getComputedStyle(element).position;
      if (position === 'fixed') return false;
      let box = element.parentElement;
      if (position === 'absolute') while (box && getComputedStyle(box).position === 'static') box = box.parentElement;
      for (; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible' && !sticksOut(box)) return true;
      }
      return false;
    };
    const describe = (element: Element) => {
      const classes = typeof element.className === 'string' && element.className.trim() ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
      return `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes}> "${text}" (right edge ${Math.round(element.getBoundingClientRect().right)}px)`;
    };
    const offenders = new Set(Array.from(document.body.querySelectorAll('*')).filter((e) => e.getBoundingClientRect().width > 0 && sticksOut(e) && !clipped(e)));
    return [...offenders].filter((e) => !e.parentElement || !offenders.has(e.parentElement)).slice(0, 6).map(describe);
  });
}

/** At 375×740 the document is no wider than the screen (no sideways scrolling). */
async function expectNoSidewaysScroll(page: Page) {
  await page.setViewportSize(PHONE);
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  const offenders = scroll > inner + 1 ? await overflowingElements(page) : [];
  const where = new URL(page.url()).pathname;
  expect.soft(scroll, `${where} is ${scroll}px wide on a ${inner}px phone screen; sticking out: ${offenders.join('; ')}`).toBeLessThanOrEqual(inner + 1);
  await page.setViewportSize(DESKTOP);
}

/** Opens `path`, checks it is the page asked for (200, not redirected elsewhere), then the phone width and axe. */
async function checkPage(page: Page, path: string, landsOn = new URL(path, 'http://x').pathname) {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBe(200);
  expect(new URL(page.url()).pathname).toBe(landsOn);
  await settle(page);
  await expect(page.getByRole('heading').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);
}

type Viewer = 'public' | keyof Pick<World, 'learner' | 'examLearner' | 'passedLearner' | 'failedLearner' | 'waitingLearner' | 'everyRole' | 'trainer' | 'manager' | 'admin'>;

interface PageCase {
  name: string;
  as: Viewer;
  path: (world: World) => string;
  /** Where the page redirects to, if it does. */
  landsOn?: string;
  /** What to do on the page before checking it again (a second state of the same page). */
  then?: (page: Page) => Promise<void>;
}

const PAGES: PageCase[] = [
  // Public.
  { name: 'home, signed out (sends to sign in)', as: 'public', path: () => '/', landsOn: '/login' },
  { name: 'sign in', as: 'public', path: () => '/login' },
  { name: 'verification of a real certification', as: 'public', path: (w) => `/verify/${w.credentialId}` },

  // Learner.
  { name: 'learner dashboard', as: 'learner', path: () => '/learn' },
  { name: 'a lesson', as: 'learner', path: () => '/learn/lessons/the-7-day-return-rule' },
  { name: 'a completed lesson', as: 'learner', path: () => '/learn/lessons/welcome-to-the-live-queue?completed' },
  { name: 'handbook', as: 'learner', path: () => '/handbook' },
  { name: 'a handbook part', as: 'learner', path: () => '/handbook/returns' },
  { name: 'practice quiz page', as: 'learner', path: () => `/learn/quizzes/${QUIZ_ID}` },
  { name: 'quiz case in progress', as: 'learner', path: (w) => `/learn/attempts/${w.practiceAttemptId}` },
  {
    name: 'quiz case in progress, mid-conversation',
    as: 'learner',
    path: (w) => `/learn/attempts/${w.practiceAttemptId}`,
    // Case 2 of the week 1 quiz (courier-wants-the-code) is a conversation.
    then: async (page) => {
      const proceed = page.getByRole('button', { name: 'Continue the conversation' }).first();
      await expect(proceed).toBeVisible();
      const item = page.locator('#case-form fieldset').filter({ has: proceed });
      await item.getByRole('radio').first().press('Space');
      const said = item.locator('ol li');
      const before = await said.count();
      await proceed.press('Enter');
      await expect(said).toHaveCount(before + 1);
    },
  },
  { name: 'quiz case review', as: 'learner', path: (w) => `/learn/attempts/${w.practiceAttemptId}?case=0` },
  { name: 'quiz result', as: 'learner', path: (w) => `/learn/attempts/${w.finishedPracticeAttemptId}` },
  { name: 'exam checklist, not ready yet', as: 'learner', path: () => '/exam' },
  { name: 'certificate, none yet', as: 'learner', path: () => '/certificate' },
  { name: 'exam checklist, ready', as: 'failedLearner', path: () => '/exam' },
  { name: 'exam submit page', as: 'examLearner', path: (w) => `/exam/attempts/${w.examInProgress.attemptId}/submit` },
  { name: 'exam result: passed', as: 'passedLearner', path: (w) => `/exam/attempts/${w.passed.attemptId}` },
  { name: 'exam result: failed', as: 'failedLearner', path: (w) => `/exam/attempts/${w.failed.attemptId}` },
  { name: 'exam result: awaiting review', as: 'waitingLearner', path: (w) => `/exam/attempts/${w.waiting.attemptId}` },
  { name: 'certificate', as: 'passedLearner', path: () => '/certificate' },
  { name: 'dashboard with every role’s navigation', as: 'everyRole', path: () => '/learn' },

  // Trainer.
  { name: 'studio', as: 'trainer', path: () => '/studio' },
  { name: 'handbook, as a trainer', as: 'trainer', path: () => '/handbook' },
  { name: 'grading list', as: 'trainer', path: () => '/studio/grading' },
  { name: 'grading a written reply', as: 'trainer', path: (w) => `/studio/grading/${w.waiting.attemptId}/${w.waiting.writtenPosition}` },
  { name: 'scenario list', as: 'trainer', path: () => '/studio/scenarios' },
  { name: 'scenario overview', as: 'trainer', path: () => `/studio/scenarios/${CONTENT_SCENARIO}` },
  { name: 'scenario overview, a studio draft', as: 'trainer', path: (w) => `/studio/scenarios/${w.studioCopy}` },
  { name: 'scenario editor', as: 'trainer', path: (w) => `/studio/scenarios/${w.studioCopy}/edit` },
  { name: 'scenario editor, read-only content scenario', as: 'trainer', path: () => `/studio/scenarios/${CONTENT_SCENARIO}/edit` },
  { name: 'scenario preview', as: 'trainer', path: () => `/studio/scenarios/${CONTENT_SCENARIO}/preview` },
  { name: 'scenario preview with answers', as: 'trainer', path: () => `/studio/scenarios/${CONTENT_SCENARIO}/preview?answers=1` },
  { name: 'scenario diff', as: 'trainer', path: () => `/studio/scenarios/${CONTENT_SCENARIO}/diff` },
  { name: 'scenario diff, draft against nothing', as: 'trainer', path: (w) => `/studio/scenarios/${w.studioCopy}/diff` },
  { name: 'exam list', as: 'trainer', path: () => '/studio/exams' },
  { name: 'exam blueprint', as: 'trainer', path: () => `/studio/exams/${EXAM_ID}` },
  { name: 'import', as: 'trainer', path: () => '/studio/import' },
  { name: 'item analysis', as: 'trainer', path: () => '/studio/analysis' },
  { name: 'regrade', as: 'trainer', path: () => '/studio/regrade' },

  // Manager.
  { name: 'roster', as: 'manager', path: () => '/manage' },
  { name: 'a learner', as: 'manager', path: (w) => `/manage/learners/${w.passedLearner}` },
  { name: 'a learner in the middle of the track', as: 'manager', path: (w) => `/manage/learners/${w.learner}` },
  { name: 'cohorts', as: 'manager', path: () => '/manage/cohorts' },
  { name: 'a cohort', as: 'manager', path: (w) => `/manage/cohorts/${w.cohortId}` },
  { name: 'a learner’s enrolment', as: 'manager', path: (w) => `/manage/learners/${w.learner}/enrolment` },
  { name: 'insights (charts)', as: 'manager', path: () => '/manage/insights' },
  { name: 'insights of one cohort', as: 'manager', path: (w) => `/manage/insights?cohort=${w.cohortId}` },

  // Admin.
  { name: 'admin home', as: 'admin', path: () => '/admin' },
  { name: 'users', as: 'admin', path: () => '/admin/users' },
  { name: 'a user', as: 'admin', path: (w) => `/admin/users/${w.passedLearner}` },
  { name: 'invitations', as: 'admin', path: () => '/admin/invitations' },
  { name: 'cohorts (admin)', as: 'admin', path: () => '/admin/cohorts' },
  { name: 'API keys', as: 'admin', path: () => '/admin/api-keys' },
  { name: 'webhooks', as: 'admin', path: () => '/admin/webhooks' },
  { name: 'a webhook and its log', as: 'admin', path: (w) => `/admin/webhooks/${w.webhookId}` },
  { name: 'roster, as an admin', as: 'admin', path: () => '/manage' },
  { name: 'insights, as an admin', as: 'admin', path: () => '/manage/insights' },
];

// Built once per run: a failed test restarts the worker, which finds the world in this file (the
// main server's data folder is emptied when the server starts, so it never outlives its database).
const WORLD_FILE = path.join(path.dirname(MAIN_DB), 'accessibility-world.json');
let world: World | undefined;
async function theWorld(): Promise<World> {
  if (!world && fs.existsSync(WORLD_FILE)) world = JSON.parse(fs.readFileSync(WORLD_FILE, 'utf8')) as World;
  if (!world) {
    world = await buildWorld();
    fs.writeFileSync(WORLD_FILE, JSON.stringify(world));
  }
  return world;
}

async function signIn(context: BrowserContext, as: Viewer, w: World) {
  if (as !== 'public') await signInAs(context, w[as]);
}

test.describe('every page, with JavaScript', () => {
  test.describe.configure({ timeout: 120_000 });
  test.use({ javaScriptEnabled: true, viewport: DESKTOP });

  for (const pageCase of PAGES) {
    test(`${pageCase.as}: ${pageCase.name}`, async ({ page, context }) => {
      const w = await theWorld();
      await signIn(context, pageCase.as, w);
      await checkPage(page, pageCase.path(w), pageCase.landsOn);
      if (pageCase.then) {
        await pageCase.then(page);
        await settle(page);
        await expectNoSidewaysScroll(page);
        await expectAccessible(page);
      }
    });
  }

  // The exam in progress, one question of each item type the draw holds (the page differs by type).
  for (const type of ITEM_TYPES) {
    test(`examLearner: an exam question in progress, ${type}`, async ({ page, context }) => {
      const w = await theWorld();
      const position = w.examInProgress.types.indexOf(type as ItemType);
      // The seed is chosen to draw every type from the shipped bank (seedDrawingEveryType): a missing type means the bank changed.
      expect(position, `the exam drawn for this test holds no ${type} item`).toBeGreaterThanOrEqual(0);
      await signIn(context, 'examLearner', w);
      await checkPage(page, `/exam/attempts/${w.examInProgress.attemptId}?item=${position + 1}`);
      await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Question ${position + 1} of ${w.examInProgress.types.length}(?!\\d)`) })).toBeVisible();
      if (type === 'branching') {
        // Mid-conversation: one choice made, the customer's answer shown.
        const form = page.locator('#exam-form');
        await form.getByRole('radio').first().press('Space');
        const said = form.locator('ol li');
        const before = await said.count();
        await form.getByRole('button', { name: 'Continue the conversation' }).press('Enter');
        await expect(said).toHaveCount(before + 1);
        await settle(page);
        await expectNoSidewaysScroll(page);
        await expectAccessible(page);
      }
    });
  }

  test('examLearner: every exam question in turn, as the question navigation leads', async ({ page, context }) => {
    const w = await theWorld();
    await signIn(context, 'examLearner', w);
    const { attemptId, types } = w.examInProgress;
    test.info().annotations.push({ type: 'item types drawn', description: types.join(', ') });
    for (let number = 1; number <= types.length; number++) {
      await test.step(`question ${number} (${types[number - 1]})`, async () => {
        await page.goto(`/exam/attempts/${attemptId}?item=${number}`);
        await settle(page);
        await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Question ${number} of ${types.length}(?!\\d)`) })).toBeVisible();
        await expectAccessible(page);
      });
    }
  });
});

test('keyboard only: Tab to "Mark complete", press Enter, and the lesson shows completed', async ({ page, context }) => {
  const learner = await createUser(['learner'], { startDate: todayInShanghai(-1) });
  await signInAs(context, learner.id);
  await page.goto('/learn/lessons/orders-and-payment-lines');
  await settle(page);
  const button = page.getByRole('button', { name: 'Mark complete' });
  await expect(button).toBeVisible();

  // Tab through the page from the top, as a keyboard user does, until the button has the focus.
  await page.locator('body').focus();
  let reached = false;
  for (let presses = 0; presses < 100 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await button.evaluate((element) => element === document.activeElement);
  }
  expect(reached, '"Mark complete" is reachable with Tab').toBe(true);
  await page.keyboard.press('Enter');

  await expect(page.getByText('Lesson marked complete. Well done.')).toBeVisible();
  await expect(page.getByText('You have completed this lesson.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Mark complete' })).toHaveCount(0);
  await page.goto('/learn');
  await expect(page.getByText(/^1 of 6 lessons/)).toBeVisible();
});
