// Weekly practice quizzes as a learner meets them: starting (once), locked quizzes, answers that
// survive a reload, refused answers, submitting each case once, the result, the dashboard, best
// scores across attempts, ownership, and conversations answered step by step.
import { describe, expect, it } from 'vitest';
import type { ScenarioItem } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';
import { bestPathPoints } from '~/domain/grading';
import { saveResponses, quizResults } from '~/models/attempt.server';
import { completeLesson } from '~/models/learning.server';
import { loader as learnLoader } from '~/routes/learn._index';
import { call, cookieFor, createUser, dateFromToday, makeRequest } from '../support/fixtures';
import {
  answerView,
  attemptPage,
  attemptRow,
  autosave,
  caseRows,
  caseScenario,
  itemRows,
  learner,
  loadAttemptPage,
  postCase,
  quizPage,
  reviewView,
  rightAnswers,
  shownIdOf,
  shownItem,
  startAttempt,
  startRequest,
  submitCaseBlank,
  submitCaseWithFullMarks,
  WEEK_1_QUIZ,
  type AnswerView,
  type SummaryView,
} from './quiz-helpers';

const MIRA = 'mira-promised-three-days'; // case 1 of week 1: single, matching, branching
const BANK = 'bank-app-refund-missed-its-date'; // case 3: multiple, single, ordering, written

type Dashboard = {
  track: {
    modules: { id: string; complete: boolean; completed: number; total: number; quiz: { id: string; opensOn: string | null; bestPercent: number | null; passed: boolean } | null }[];
  } | null;
};

async function weekOne(cookie: string) {
  const response = await call(learnLoader, makeRequest('/learn', { cookie }));
  expect(response.status).toBe(200);
  const { track } = (await response.json()) as Dashboard;
  const module = track?.modules.find((m) => m.id === 'week-1');
  if (!module) throw new Error('no week 1 on the dashboard');
  return module;
}

async function completeWeekOneLessons(userId: number) {
  const lessons = await db().selectFrom('lessons').select('id').where('module_id', '=', 'week-1').where('retired_at', 'is', null).execute();
  expect(lessons.length).toBeGreaterThan(3);
  for (const { id } of lessons) await completeLesson(db(), { userId, lessonId: id });
}

async function attemptCount(userId: number) {
  const rows = await db().selectFrom('attempts').select('id').where('user_id', '=', userId).execute();
  return rows.length;
}

/** Points an attempt of the quiz can earn: written replies are not marked in practice. */
async function markedPoints(attemptId: number) {
  let total = 0;
  for (const row of await caseRows(attemptId)) {
    const scenario = await caseScenario(attemptId, row.position);
    total += scenario.items.filter((i) => i.type !== 'written').reduce((sum, i) => sum + i.points, 0);
  }
  return total;
}

function item<T extends ScenarioItem['type']>(items: readonly ScenarioItem[], type: T): Extract<ScenarioItem, { type: T }> {
  const found = items.find((i) => i.type === type);
  if (!found) throw new Error(`no ${type} item`);
  return found as Extract<ScenarioItem, { type: T }>;
}

function choicesOf(view: AnswerView, itemId: string) {
  const shown = shownItem(view, itemId);
  if (shown.type === 'single' || shown.type === 'multiple') return shown.options;
  if (shown.type === 'branching') return shown.current?.options ?? [];
  if (shown.type === 'matching') return shown.conclusions;
  throw new Error(`${itemId} has no choices`);
}

/** The texts of the choices a saved answer points at, read back through the page. */
function chosenTexts(view: AnswerView, itemId: string): string[] {
  const response = view.responses[itemId] as { optionId?: string; optionIds?: string[] } | null;
  const ids = response?.optionIds ?? (response?.optionId ? [response.optionId] : []);
  const choices = choicesOf(view, itemId);
  return ids.map((id) => choices.find((c) => c.id === id)?.text ?? `?${id}`);
}

describe('starting a quiz', () => {
  it('gives the same open attempt when started twice, also when both starts arrive at once', async () => {
    const first = await learner({ label: 'twice' });
    const attemptId = await startAttempt(first.cookie);
    expect(await startAttempt(first.cookie)).toBe(attemptId);
    expect((await quizPage(first.cookie)).openAttemptId).toBe(attemptId);
    expect(await attemptCount(first.id)).toBe(1);
    expect(await caseRows(attemptId)).toHaveLength(4);

    const second = await learner({ label: 'race' });
    const [a, b] = await Promise.all([startRequest(second.cookie), startRequest(second.cookie)]);
    expect(a?.status).toBe(302);
    expect(b?.headers.get('Location')).toBe(a?.headers.get('Location'));
    expect(await attemptCount(second.id)).toBe(1);
  });

  it('refuses to start a quiz that has not opened, and the quiz page says when it opens', async () => {
    const dayOne = await learner({ day: 1, label: 'day-one' });
    const page = await quizPage(dayOne.cookie);
    expect(page.locked).toBe(true);
    expect(page.opens).toBe(formatDate(dateFromToday(5)));
    expect(page.openAttemptId).toBeNull();

    const refused = await startRequest(dayOne.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/not open yet/);
    expect(await attemptCount(dayOne.id)).toBe(0);
    expect((await weekOne(dayOne.cookie)).quiz?.opensOn).toBe(formatDate(dateFromToday(5)));

    // On day 11 week 1 is open but week 3 (day 20) is not.
    const dayEleven = await learner({ label: 'day-eleven' });
    expect((await quizPage(dayEleven.cookie)).locked).toBe(false);
    const week3 = await quizPage(dayEleven.cookie, 'week-3-practice');
    expect(week3).toMatchObject({ locked: true, opens: formatDate(dateFromToday(9)) });
    expect((await startRequest(dayEleven.cookie, 'week-3-practice')).status).toBe(403);
    expect(await attemptCount(dayEleven.id)).toBe(0);
  });
});

describe('answering', () => {
  it('keeps answers saved with the page form and with autosave across a reload, and resumes the same attempt', async () => {
    const { cookie } = await learner({ label: 'resume' });
    const attemptId = await startAttempt(cookie);
    const mira = await caseScenario(attemptId, 0);
    expect(mira.id).toBe(MIRA);
    const single = item(mira.items, 'single');
    const matching = item(mira.items, 'matching');
    const conversation = item(mira.items, 'branching');
    const wrong = single.options.find((o) => !o.correct);
    const right = single.options.find((o) => o.correct);
    const [firstPair, secondPair] = matching.pairs;
    if (!wrong || !right || !firstPair || !secondPair) throw new Error('unexpected case');

    // Without JavaScript: the page's "Save and continue".
    let view = await answerView(cookie, attemptId);
    const firstStep = conversation.steps.find((s) => s.id === conversation.start);
    const saved = await postCase(cookie, attemptId, 'save', 0, {
      present: [single.id, matching.id, conversation.id],
      [`item.${single.id}`]: shownIdOf(choicesOf(view, single.id), wrong.text),
      [`item.${matching.id}.${firstPair.id}`]: shownIdOf(choicesOf(view, matching.id), firstPair.conclusion),
      [`item.${conversation.id}.choice`]: shownIdOf(choicesOf(view, conversation.id), firstStep?.options[2]?.text ?? ''),
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('Location')).toMatch(new RegExp(`^/learn/attempts/${attemptId}\\?saved=.+#case-form$`));

    view = await answerView(cookie, attemptId);
    expect(chosenTexts(view, single.id)).toEqual([wrong.text]);
    const matches = (view.responses[matching.id] as { matches: Record<string, string> }).matches;
    expect(matches[firstPair.id]).toBe(shownIdOf(choicesOf(view, matching.id), firstPair.conclusion));
    expect(matches[secondPair.id]).toBe('');
    const shownConversation = shownItem(view, conversation.id);
    expect(shownConversation.type === 'branching' && shownConversation.history).toEqual([{ prompt: firstStep?.prompt, choice: firstStep?.options[2]?.text }]);

    // With JavaScript: autosave changes one answer and leaves the ones it does not name.
    const autosaved = await autosave(cookie, attemptId, 0, {
      present: [single.id],
      [`item.${single.id}`]: shownIdOf(choicesOf(view, single.id), right.text),
    });
    expect(autosaved.status).toBe(200);
    expect(await autosaved.json()).toEqual({ saved: true, savedAt: expect.any(String) });

    // A reload, or coming back through the quiz page, finds everything where it was left.
    const quiz = await quizPage(cookie);
    expect(quiz.openAttemptId).toBe(attemptId);
    expect(await startAttempt(cookie)).toBe(attemptId);
    view = await answerView(cookie, attemptId);
    expect(view.position).toBe(0);
    expect(chosenTexts(view, single.id)).toEqual([right.text]);
    expect((view.responses[matching.id] as { matches: Record<string, string> }).matches[firstPair.id]).toBe(
      shownIdOf(choicesOf(view, matching.id), firstPair.conclusion),
    );
    const resumed = shownItem(view, conversation.id);
    expect(resumed.type === 'branching' && resumed.history).toHaveLength(1);
  });

  it('saves every kind of answer: several choices, an order, a written reply; an emptied set of boxes means none', async () => {
    const { cookie } = await learner({ label: 'kinds' });
    const attemptId = await startAttempt(cookie);
    await submitCaseBlank(cookie, attemptId);
    await submitCaseBlank(cookie, attemptId);
    let view = await answerView(cookie, attemptId);
    expect(view.position).toBe(2);
    const bank = await caseScenario(attemptId, 2);
    expect(bank.id).toBe(BANK);
    const multiple = item(bank.items, 'multiple');
    const ordering = item(bank.items, 'ordering');
    const written = item(bank.items, 'written');
    const ticked = multiple.options.slice(0, 2);
    const reversed = [...ordering.steps].reverse();

    const fields: Record<string, string | string[]> = {
      present: [multiple.id, ordering.id, written.id],
      [`item.${multiple.id}`]: ticked.map((o) => shownIdOf(choicesOf(view, multiple.id), o.text)),
      [`item.${written.id}`]: 'Hello Ms Tan, I can see the refund left us on 2 November.',
    };
    reversed.forEach((step, i) => (fields[`item.${ordering.id}.${step.id}`] = String(i + 1)));
    expect((await postCase(cookie, attemptId, 'save', 2, fields)).status).toBe(302);

    view = await answerView(cookie, attemptId);
    expect(chosenTexts(view, multiple.id).sort()).toEqual(ticked.map((o) => o.text).sort());
    expect(view.responses[ordering.id]).toEqual({ order: reversed.map((s) => s.id) });
    expect(view.responses[written.id]).toEqual({ text: 'Hello Ms Tan, I can see the refund left us on 2 November.' });

    // The multiple-choice item on the form with no box ticked: none chosen. The others untouched.
    expect((await autosave(cookie, attemptId, 2, { present: multiple.id })).status).toBe(200);
    view = await answerView(cookie, attemptId);
    expect(view.responses[multiple.id]).toEqual({ optionIds: [] });
    expect(view.responses[ordering.id]).toEqual({ order: reversed.map((s) => s.id) });

    // An order with a step left without a place keeps the last complete order.
    const partial = { present: ordering.id, [`item.${ordering.id}.${ordering.steps[0]?.id}`]: '1' };
    expect((await postCase(cookie, attemptId, 'save', 2, partial)).status).toBe(302);
    expect((await answerView(cookie, attemptId)).responses[ordering.id]).toEqual({ order: reversed.map((s) => s.id) });
  });

  it('refuses an answer that does not fit its question with 400 and a reason, and saves nothing of that form', async () => {
    const { cookie } = await learner({ label: 'invalid' });
    const attemptId = await startAttempt(cookie);
    const mira = await caseScenario(attemptId, 0);
    const single = item(mira.items, 'single');
    const matching = item(mira.items, 'matching');
    const view = await answerView(cookie, attemptId);
    const wrong = single.options.find((o) => !o.correct);
    expect((await postCase(cookie, attemptId, 'save', 0, { present: single.id, [`item.${single.id}`]: shownIdOf(choicesOf(view, single.id), wrong?.text ?? '') })).status).toBe(302);
    const before = await itemRows(attemptId, 0);

    const goodMatch = { [`item.${matching.id}.${matching.pairs[0]?.id}`]: shownIdOf(choicesOf(view, matching.id), matching.pairs[0]?.conclusion ?? '') };
    const attempts: [string, Record<string, string | string[]>, RegExp][] = [
      ['an unknown option', { [`item.${single.id}`]: 'no-such-option' }, /unknown option "no-such-option"/],
      // The file's own id for the right answer is not an id the page ever showed.
      ['the scenario file\'s id', { [`item.${single.id}`]: single.options.find((o) => o.correct)?.id ?? '' }, /unknown option/],
      ['an unknown conclusion', { [`item.${matching.id}.${matching.pairs[1]?.id}`]: 'k99' }, /unknown conclusion "k99"/],
    ];
    for (const [what, fields, reason] of attempts) {
      for (const send of [
        () => postCase(cookie, attemptId, 'save', 0, { present: [single.id, matching.id], ...goodMatch, ...fields }),
        () => autosave(cookie, attemptId, 0, { present: [single.id, matching.id], ...goodMatch, ...fields }),
      ]) {
        const response = await send();
        expect(response.status, what).toBe(400);
        const body = (await response.json()) as { error: string };
        expect(body.error, what).toMatch(reason);
        expect(await itemRows(attemptId, 0), what).toEqual(before);
      }
    }
    // And a form without a case is refused too.
    const noCase = await autosave(cookie, attemptId, 99, { present: single.id, [`item.${single.id}`]: 'o1' });
    expect(noCase.status).toBe(400);
    expect(await itemRows(attemptId, 0)).toEqual(before);
  });
});

describe('submitting', () => {
  it('refuses to change the answers of a submitted case with 409', async () => {
    const { cookie } = await learner({ label: 'closed' });
    const attemptId = await startAttempt(cookie);
    const view = await answerView(cookie, attemptId);
    const mira = await caseScenario(attemptId, 0);
    expect((await postCase(cookie, attemptId, 'submit', 0, rightAnswers(mira, view))).status).toBe(302);
    const before = await itemRows(attemptId, 0);
    const single = item(mira.items, 'single');
    const change = { present: single.id, [`item.${single.id}`]: shownIdOf(choicesOf(view, single.id), single.options.find((o) => !o.correct)?.text ?? '') };

    for (const response of [await postCase(cookie, attemptId, 'save', 0, change), await autosave(cookie, attemptId, 0, change)]) {
      expect(response.status).toBe(409);
      expect(((await response.json()) as { error: string }).error).toMatch(/already been submitted/);
    }
    expect(await itemRows(attemptId, 0)).toEqual(before);
    expect((await reviewView(cookie, attemptId, 0)).reviews.find((r) => r.id === single.id)?.score).toBe(single.points);
  });

  it('grades a case submitted twice only once', async () => {
    const { cookie } = await learner({ label: 'double' });
    const attemptId = await startAttempt(cookie);
    const view = await answerView(cookie, attemptId);
    const mira = await caseScenario(attemptId, 0);
    expect((await postCase(cookie, attemptId, 'submit', 0, rightAnswers(mira, view))).status).toBe(302);
    const [graded] = await caseRows(attemptId);
    const items = await itemRows(attemptId, 0);
    expect(graded?.submitted_at).not.toBeNull();
    expect(graded?.score).toBeGreaterThan(0);

    await new Promise((resolve) => setTimeout(resolve, 5));
    // Submitting again with other answers, or with none: nothing changes.
    const single = item(mira.items, 'single');
    const wrong = { present: single.id, [`item.${single.id}`]: shownIdOf(choicesOf(view, single.id), single.options.find((o) => !o.correct)?.text ?? '') };
    expect((await postCase(cookie, attemptId, 'submit', 0, wrong)).status).toBe(409);
    const again = await postCase(cookie, attemptId, 'submit', 0);
    expect(again.status).toBe(302);
    expect(again.headers.get('Location')).toBe(`/learn/attempts/${attemptId}?case=0`);
    expect((await caseRows(attemptId))[0]).toEqual(graded);
    expect(await itemRows(attemptId, 0)).toEqual(items);
    expect((await attemptPage(cookie, attemptId)).view).toMatchObject({ mode: 'answer', position: 1 });
  });

  it('grades a case once when five submits with different answers arrive at once', async () => {
    const { cookie } = await learner({ label: 'five' });
    const attemptId = await startAttempt(cookie);
    const view = await answerView(cookie, attemptId);
    const mira = await caseScenario(attemptId, 0);
    const single = item(mira.items, 'single');
    const choices = choicesOf(view, single.id);
    const forms = Array.from({ length: 5 }, (_, i) => ({ present: single.id, [`item.${single.id}`]: choices[i % choices.length]?.id ?? '' }));

    const responses = await Promise.all(forms.map((form) => postCase(cookie, attemptId, 'submit', 0, form)));

    const statuses = responses.map((r) => r.status);
    expect(statuses).toContain(302);
    for (const status of statuses) expect([302, 409]).toContain(status);
    const cases = await caseRows(attemptId);
    expect(cases.filter((c) => c.submitted_at !== null).map((c) => c.position)).toEqual([0]);
    const graded = await itemRows(attemptId, 0);
    const row = graded.find((i) => i.item_key === single.id);
    // The answer kept is one of those sent, saved before the case was closed, and it is what was graded.
    const kept = (JSON.parse(row?.response ?? 'null') as { optionId: string }).optionId;
    const option = single.options.find((o) => o.id === kept);
    expect(option).toBeDefined();
    expect(row?.score).toBe(option?.correct ? single.points : 0);
    expect(cases[0]?.score).toBe(graded.reduce((sum, i) => sum + (i.score ?? 0), 0));
    for (const i of graded) if (i.saved_at) expect(i.saved_at <= (cases[0]?.submitted_at ?? '')).toBe(true);
    const review = await reviewView(cookie, attemptId, 0);
    expect(review.reviews.find((r) => r.id === single.id)).toMatchObject({ score: row?.score });
    const reviewed = review.reviews.find((r) => r.id === single.id);
    expect(reviewed?.type === 'single' && reviewed.options.filter((o) => o.chosen).map((o) => o.text)).toEqual([option?.text]);
    expect((await attemptRow(attemptId)).status).toBe('in_progress');

    // Five more at once after it closed (tabs left open): the case keeps its grade and its time.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await Promise.all(Array.from({ length: 5 }, () => postCase(cookie, attemptId, 'submit', 0)));
    for (const response of late) expect(response.headers.get('Location')).toBe(`/learn/attempts/${attemptId}?case=0`);
    expect(await caseRows(attemptId)).toEqual(cases);
    expect(await itemRows(attemptId, 0)).toEqual(graded);
  });

  it('closes the attempt when every case is in: full marks pass, the summary shows each case, and the dashboard counts it', async () => {
    const { id, cookie } = await learner({ label: 'full' });
    const attemptId = await startAttempt(cookie);
    for (let i = 0; i < 4; i++) {
      expect(await submitCaseWithFullMarks(cookie, attemptId)).toBe(i);
      expect((await attemptRow(attemptId)).status).toBe(i < 3 ? 'in_progress' : 'submitted');
    }

    const attempt = await attemptRow(attemptId);
    const max = await markedPoints(attemptId);
    expect(attempt).toMatchObject({ status: 'submitted', score: max, max_score: max, passed: 1 });
    expect(attempt.submitted_at).not.toBeNull();
    const { view } = await attemptPage(cookie, attemptId);
    expect(view.mode).toBe('summary');
    const summary = view as SummaryView;
    expect(summary).toMatchObject({ percent: 100, passed: true });
    expect(summary.cases.map((c) => c.position)).toEqual([0, 1, 2, 3]);
    for (const c of summary.cases) expect(c.score).toBe(c.max);
    expect(summary.cases[0]?.title).toBe((await caseScenario(attemptId, 0)).title);
    // A closed attempt takes no more answers.
    const reply = item((await caseScenario(attemptId, 3)).items, 'written');
    expect((await autosave(cookie, attemptId, 3, { present: reply.id, [`item.${reply.id}`]: 'One more thing…' })).status).toBe(409);

    expect((await quizPage(cookie)).attempts).toEqual([{ id: attemptId, submittedAt: attempt.submitted_at, percent: 100, passed: true }]);
    const passed = await weekOne(cookie);
    expect(passed.quiz).toMatchObject({ id: WEEK_1_QUIZ, bestPercent: 100, passed: true });
    expect(passed.complete).toBe(false); // the week's lessons are not done yet
    await completeWeekOneLessons(id);
    const done = await weekOne(cookie);
    expect(done.completed).toBe(done.total);
    expect(done.complete).toBe(true);
  });

  it('fails an attempt with no answers, and the week stays incomplete even with every lesson done', async () => {
    const { id, cookie } = await learner({ label: 'blank' });
    await completeWeekOneLessons(id);
    const attemptId = await startAttempt(cookie);
    for (let i = 0; i < 4; i++) await submitCaseBlank(cookie, attemptId);

    const max = await markedPoints(attemptId);
    expect(await attemptRow(attemptId)).toMatchObject({ status: 'submitted', score: 0, max_score: max, passed: 0 });
    expect((await attemptPage(cookie, attemptId)).view).toMatchObject({ mode: 'summary', percent: 0, passed: false });
    const week = await weekOne(cookie);
    expect(week.quiz).toMatchObject({ bestPercent: 0, passed: false });
    expect(week.completed).toBe(week.total);
    expect(week.complete).toBe(false);
  });

  it('counts the best score over all attempts', async () => {
    const { id, cookie } = await learner({ label: 'best' });
    const first = await startAttempt(cookie);
    for (let i = 0; i < 4; i++) await submitCaseBlank(cookie, first);
    const second = await startAttempt(cookie);
    expect(second).not.toBe(first);
    for (let i = 0; i < 4; i++) await submitCaseWithFullMarks(cookie, second);
    const third = await startAttempt(cookie);
    for (let i = 0; i < 4; i++) await submitCaseBlank(cookie, third);

    expect((await quizResults(db(), { userId: id })).get(WEEK_1_QUIZ)).toEqual({ bestPercent: 100, passed: true, attempts: 3 });
    expect((await weekOne(cookie)).quiz).toMatchObject({ bestPercent: 100, passed: true });
    const page = await quizPage(cookie);
    expect(page.attempts.map((a) => [a.id, a.percent, a.passed])).toEqual([
      [third, 0, false],
      [second, 100, true],
      [first, 0, false],
    ]);
    expect(page.openAttemptId).toBeNull();
  });
});

describe('ownership', () => {
  it("does not let a learner read or change another learner's attempt", async () => {
    const owner = await learner({ label: 'owner' });
    const other = await learner({ label: 'other' });
    const attemptId = await startAttempt(owner.cookie);
    const view = await answerView(owner.cookie, attemptId);
    const mira = await caseScenario(attemptId, 0);
    const fields = rightAnswers(mira, view);
    await postCase(owner.cookie, attemptId, 'submit', 0, fields);
    const before = { attempt: await attemptRow(attemptId), cases: await caseRows(attemptId), items: await itemRows(attemptId, 1) };

    for (const response of [
      await loadAttemptPage(other.cookie, attemptId),
      await loadAttemptPage(other.cookie, attemptId, '?case=0'),
      await postCase(other.cookie, attemptId, 'save', 1, fields),
      await postCase(other.cookie, attemptId, 'submit', 1, fields),
      await autosave(other.cookie, attemptId, 1, fields),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(mira.items[0]?.explanation ?? '');
    }
    expect(await saveResponses(db(), { attemptId, userId: other.id, position: 1, responses: {} })).toMatchObject({ ok: false, status: 404 });
    expect({ attempt: await attemptRow(attemptId), cases: await caseRows(attemptId), items: await itemRows(attemptId, 1) }).toEqual(before);
    expect((await loadAttemptPage(owner.cookie, attemptId, '?case=0')).status).toBe(200);
    expect((await loadAttemptPage(owner.cookie, Number.NaN)).status).toBe(404);
  });

  it('sends someone who is not a learner away from attempts', async () => {
    const owner = await learner({ label: 'owner2' });
    const attemptId = await startAttempt(owner.cookie);
    const trainer = await createUser({ roles: ['trainer'] });
    const response = await loadAttemptPage(await cookieFor(trainer.id), attemptId);
    expect(response.status).toBe(403);
    const anonymous = await loadAttemptPage('', attemptId);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('Location')).toMatch(/^\/login\?redirectTo=/);
  });
});

describe('conversations', () => {
  it('takes a conversation step by step through the page form to its end, and scores the path taken', async () => {
    const { cookie } = await learner({ label: 'path' });
    const attemptId = await startAttempt(cookie);
    const mira = await caseScenario(attemptId, 0);
    const conversation = item(mira.items, 'branching');
    // A middling path: the third option at each step, wherever it leads.
    const taken: { prompt: string; choice: string; points: number }[] = [];
    for (;;) {
      const shown = shownItem(await answerView(cookie, attemptId), conversation.id);
      if (shown.type !== 'branching') throw new Error('not a conversation');
      expect(shown.history).toEqual(taken.map(({ prompt, choice }) => ({ prompt, choice })));
      if (!shown.current) break;
      const step = conversation.steps.find((s) => s.id === shown.current?.id);
      const option = step?.options[2];
      if (!step || !option) throw new Error('unexpected conversation');
      const response = await postCase(cookie, attemptId, 'save', 0, { present: conversation.id, [`item.${conversation.id}.choice`]: shownIdOf(shown.current.options, option.text) });
      expect(response.status).toBe(302);
      taken.push({ prompt: step.prompt, choice: option.text, points: option.points });
    }
    expect(taken.length).toBeGreaterThanOrEqual(2);
    // Once over, a further choice changes nothing.
    expect((await postCase(cookie, attemptId, 'save', 0, { present: conversation.id, [`item.${conversation.id}.choice`]: 'o1' })).status).toBe(302);
    const over = shownItem(await answerView(cookie, attemptId), conversation.id);
    expect(over.type === 'branching' && over.history).toHaveLength(taken.length);

    expect((await postCase(cookie, attemptId, 'submit', 0)).status).toBe(302);
    const earned = taken.reduce((sum, t) => sum + t.points, 0);
    const expected = Math.round((1000 * conversation.points * earned) / bestPathPoints(conversation)) / 1000;
    expect(earned).toBeLessThan(bestPathPoints(conversation));
    const row = (await itemRows(attemptId, 0)).find((i) => i.item_key === conversation.id);
    expect(row).toMatchObject({ score: expected, max_score: conversation.points });
    const reviewed = (await reviewView(cookie, attemptId, 0)).reviews.find((r) => r.id === conversation.id);
    expect(reviewed).toMatchObject({ type: 'branching', score: expected });
    expect(reviewed?.type === 'branching' && reviewed.path.map((p) => [p.choice, p.points])).toEqual(taken.map((t) => [t.choice, t.points]));
  });

  it("refuses a choice that is not one of the current step's, including the same choice posted twice", async () => {
    const { cookie } = await learner({ label: 'stale' });
    const attemptId = await startAttempt(cookie);
    const mira = await caseScenario(attemptId, 0);
    const conversation = item(mira.items, 'branching');
    const field = `item.${conversation.id}.choice`;
    const first = conversation.steps.find((s) => s.id === conversation.start);
    const later = conversation.steps.find((s) => s.id !== conversation.start && s.options.length > (first?.options.length ?? 0));
    if (!first || !later) throw new Error('expected a later step with more options than the first');
    const before = await itemRows(attemptId, 0);

    // The file's id of an option only a later step has, and the file's id of a first-step option.
    for (const optionId of [later.options[later.options.length - 1]?.id ?? '', first.options[0]?.id ?? '', `${later.id}.o1`]) {
      const response = await postCase(cookie, attemptId, 'save', 0, { present: conversation.id, [field]: optionId });
      expect(response.status, optionId).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(new RegExp(`${conversation.id}.*step "${first.id}"`));
    }
    expect(await itemRows(attemptId, 0)).toEqual(before);

    // A choice sent twice (a double click, a second tab) answers its own step only.
    const shown = shownItem(await answerView(cookie, attemptId), conversation.id);
    if (shown.type !== 'branching' || !shown.current) throw new Error('no current step');
    const choice = { present: conversation.id, [field]: shown.current.options[0]?.id ?? '' };
    expect((await postCase(cookie, attemptId, 'save', 0, choice)).status).toBe(302);
    const twice = await postCase(cookie, attemptId, 'save', 0, choice);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: string }).error).toMatch(/belongs to step .*, not to step /);
    const after = shownItem(await answerView(cookie, attemptId), conversation.id);
    expect(after.type === 'branching' && after.history).toHaveLength(1);

    // A stored path must follow the conversation from its start.
    const skipping = await saveResponses(db(), {
      attemptId,
      userId: (await attemptRow(attemptId)).user_id,
      position: 0,
      responses: { [conversation.id]: { path: [{ stepId: later.id, optionId: later.options[0]?.id ?? '' }] } },
    });
    expect(skipping).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining(`expected an answer to step "${first.id}"`) });
    const wrongStep = await saveResponses(db(), {
      attemptId,
      userId: (await attemptRow(attemptId)).user_id,
      position: 0,
      responses: { [conversation.id]: { path: [{ stepId: first.id, optionId: later.options[later.options.length - 1]?.id ?? '' }] } },
    });
    expect(wrongStep).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('unknown option') });
    const still = shownItem(await answerView(cookie, attemptId), conversation.id);
    expect(still.type === 'branching' && still.history).toHaveLength(1);
  });
});
