// The key security property of practice quizzes: until a case is submitted, nothing the browser
// receives for it — the attempt page's loader data, the autosave endpoint's answers — says which
// answer is right. Checked case by case through a whole week-1 attempt, which has every item type.
import { describe, expect, it } from 'vitest';
import { ITEM_TYPES, type ScenarioFile, type ScenarioItem } from '~/content/scenario-schema';
import {
  answerView,
  attemptPage,
  autosave,
  caseCount,
  caseScenario,
  learner,
  postCase,
  reviewView,
  rightAnswers,
  shownIdOf,
  shownItem,
  startAttempt,
  type AnswerView,
} from './quiz-helpers';
import { keyPaths, secretTexts } from '../support/answer-secrets';

/** Keys that only the review of a submitted case may have. */
const ANSWER_KEYS = ['correct', 'unsafe', 'feedback', 'explanation', 'modelReply', 'rubric', 'next', 'pairs', 'conclusion', 'distractors', 'score', 'criticalFailure'];

/** A text as it appears inside serialized JSON (quotes and backslashes escaped). */
const inJson = (text: string) => JSON.stringify(text).slice(1, -1);

function expectNoAnswers(payload: unknown, scenarios: readonly ScenarioFile[], what: string) {
  const json = JSON.stringify(payload);
  for (const keyPath of keyPaths(payload)) {
    const key = keyPath[keyPath.length - 1] ?? '';
    // A matching answer is keyed by evidence ids, which are content (one is even called "next").
    if (keyPath[keyPath.length - 2] === 'matches') continue;
    expect(ANSWER_KEYS, `${what} has the key ${keyPath.join('.')}`).not.toContain(key);
    // An item's own points are shown; points per option or per step would give the answer away.
    if (key === 'points') expect(keyPath, `${what} has points at ${keyPath.join('.')}`).toEqual(['view', 'items', keyPath[2], 'points']);
  }
  for (const scenario of scenarios) {
    for (const item of scenario.items) {
      for (const text of secretTexts(item)) expect(json.includes(inJson(text)), `${what} gives away "${text.slice(0, 80)}…" (${scenario.id}/${item.id})`).toBe(false);
    }
  }
}

/** Checks a conversation shows its current step and the steps already taken, and nothing ahead. */
function expectOnlyCurrentStep(view: AnswerView, item: Extract<ScenarioItem, { type: 'branching' }>, taken: readonly string[], currentId: string) {
  const shown = shownItem(view, item.id);
  if (shown.type !== 'branching') throw new Error(`${item.id} is shown as ${shown.type}`);
  const current = item.steps.find((s) => s.id === currentId);
  expect(shown.current?.id).toBe(currentId);
  expect(shown.current?.prompt).toBe(current?.prompt);
  expect(shown.current?.options.map((o) => o.text).sort()).toEqual(current?.options.map((o) => o.text).sort());
  expect(shown.history.map((h) => h.prompt)).toEqual(taken.map((id) => item.steps.find((s) => s.id === id)?.prompt));
  const json = JSON.stringify(view);
  for (const step of item.steps) {
    if (step.id === currentId || taken.includes(step.id)) continue;
    expect(json.includes(inJson(step.prompt)), `step ${step.id} of ${item.id} is shown before it is reached`).toBe(false);
  }
}

/** The ids of the choices of single, multiple and conversation items as the page gives them. */
function choiceIds(view: AnswerView): { itemId: string; ids: string[] }[] {
  return view.items.flatMap((item) => {
    if (item.type === 'single' || item.type === 'multiple') return [{ itemId: item.id, ids: item.options.map((o) => o.id) }];
    if (item.type === 'branching' && item.current) return [{ itemId: item.id, ids: item.current.options.map((o) => o.id) }];
    return [];
  });
}

/** The option ids the scenario file gives the choices of an item (all steps of a conversation). */
function fileChoiceIds(item: ScenarioItem): string[] {
  if (item.type === 'single' || item.type === 'multiple') return item.options.map((o) => o.id);
  if (item.type === 'branching') return item.steps.flatMap((s) => s.options.map((o) => o.id));
  return [];
}

describe('before a case is submitted', () => {
  it('neither the attempt page nor autosave gives away any answer, for every case and item type of an attempt', async () => {
    const { cookie } = await learner({ label: 'secrecy' });
    const attemptId = await startAttempt(cookie);
    const count = await caseCount(attemptId);
    const scenarios: ScenarioFile[] = [];
    for (let position = 0; position < count; position++) scenarios.push(await caseScenario(attemptId, position));
    const typesSeen = new Set<string>();

    for (const [position, scenario] of scenarios.entries()) {
      // A fresh case, as the learner first sees it.
      const page = await attemptPage(cookie, attemptId);
      expect(page.view).toMatchObject({ mode: 'answer', position });
      const view = page.view as AnswerView;
      expect(view.items.map((i) => i.id)).toEqual(scenario.items.map((i) => i.id));
      expectNoAnswers(page, scenarios, `case ${position} on opening`);
      // Asking for the review of the case before submitting it shows the questions again.
      const early = await attemptPage(cookie, attemptId, `?case=${position}`);
      expect(early.view.mode).toBe('answer');
      expectNoAnswers(early, scenarios, `?case=${position} before submitting`);
      for (const item of scenario.items) {
        typesSeen.add(item.type);
        if (item.type === 'branching') expectOnlyCurrentStep(view, item, [], item.start);
      }

      // Autosave every answer (one conversation step included): the reply is only "saved".
      const fields = rightAnswers(scenario, view);
      const conversation = scenario.items.find((i) => i.type === 'branching');
      let taken: string[] = [];
      if (conversation?.type === 'branching') {
        const shown = shownItem(view, conversation.id);
        if (shown.type !== 'branching' || !shown.current) throw new Error('the conversation has no first step');
        // The choice whose feedback is most telling: the unsafe one if there is one.
        const first = conversation.steps.find((s) => s.id === conversation.start);
        const option = first?.options.find((o) => o.unsafe) ?? first?.options[0];
        fields[`item.${conversation.id}.choice`] = shownIdOf(shown.current.options, option?.text ?? '');
        taken = [conversation.start];
      }
      const saved = await autosave(cookie, attemptId, position, fields);
      const savedBody: unknown = await saved.json();
      expect(saved.status, JSON.stringify(savedBody)).toBe(200);
      expect(savedBody).toEqual({ saved: true, savedAt: expect.any(String) });
      expectNoAnswers(savedBody, scenarios, `autosave of case ${position}`);
      const single = scenario.items.find((i) => i.type === 'single');
      if (!single) throw new Error(`${scenario.id} has no single-choice item`);
      const refused = await autosave(cookie, attemptId, position, { present: single.id, [`item.${single.id}`]: 'no-such-option' });
      expect(refused.status).toBe(400);
      expectNoAnswers(await refused.json(), scenarios, `refused autosave of case ${position}`);

      // With answers saved, mid-conversation: still nothing, and the conversation shows one step.
      const resumed = await attemptPage(cookie, attemptId);
      expectNoAnswers(resumed, scenarios, `case ${position} with answers saved`);
      const resumedView = resumed.view as AnswerView;
      expect(Object.values(resumedView.responses).filter((r) => r !== null)).toHaveLength(scenario.items.length);
      if (conversation?.type === 'branching') {
        const first = conversation.steps.find((s) => s.id === conversation.start);
        const option = first?.options.find((o) => o.unsafe) ?? first?.options[0];
        if (option?.next) expectOnlyCurrentStep(resumedView, conversation, taken, option.next);
      }

      // Submitting shows the review, which does have the explanations and feedback.
      const submitted = await postCase(cookie, attemptId, 'submit', position);
      expect(submitted.status).toBe(302);
      expect(submitted.headers.get('Location')).toBe(`/learn/attempts/${attemptId}?case=${position}`);
      const review = await reviewView(cookie, attemptId, position);
      const reviewJson = JSON.stringify(review);
      for (const item of scenario.items) expect(reviewJson).toContain(inJson(item.explanation));
      expect(() => expectNoAnswers({ view: review }, [scenario], 'review')).toThrow();
    }

    expect([...typesSeen].sort()).toEqual([...ITEM_TYPES].sort());
    expect((await attemptPage(cookie, attemptId)).view.mode).toBe('summary');
  });

  it("gives choices ids that say nothing: never the scenario file's own ids, which mostly make the right answer \"a\"", async () => {
    const { cookie } = await learner({ label: 'ids' });
    const attemptId = await startAttempt(cookie);
    const count = await caseCount(attemptId);
    for (let position = 0; position < count; position++) {
      const scenario = await caseScenario(attemptId, position);
      const view = await answerView(cookie, attemptId);
      for (const { itemId, ids } of choiceIds(view)) {
        const item = scenario.items.find((i) => i.id === itemId);
        if (!item) throw new Error(`no item ${itemId}`);
        for (const id of ids) expect(fileChoiceIds(item), `${scenario.id}/${itemId} shows the file's id "${id}"`).not.toContain(id);
      }
      // Saved answers come back in the ids the page uses, not the file's.
      const fields = rightAnswers(scenario, view);
      expect((await postCase(cookie, attemptId, 'save', position, fields)).status).toBe(302);
      const { responses, items } = await answerView(cookie, attemptId);
      for (const item of items) {
        const response = responses[item.id] as { optionId?: string; optionIds?: string[] } | null;
        if (item.type === 'single') expect(item.options.map((o) => o.id)).toContain(response?.optionId);
        if (item.type === 'multiple') for (const id of response?.optionIds ?? []) expect(item.options.map((o) => o.id)).toContain(id);
      }
      expect((await postCase(cookie, attemptId, 'submit', position)).status).toBe(302);
      // …and the answers the page's ids stood for are the ones graded: all right.
      const review = await reviewView(cookie, attemptId, position);
      for (const reviewed of review.reviews) {
        if (reviewed.type === 'single' || reviewed.type === 'multiple') {
          expect(reviewed.options.filter((o) => o.chosen).map((o) => o.text)).toEqual(reviewed.options.filter((o) => o.correct).map((o) => o.text));
          expect(reviewed.score).toBe(reviewed.points);
        }
      }
    }
  });

  it('the check above does catch an answer in the page', async () => {
    const { cookie } = await learner({ label: 'leak' });
    const attemptId = await startAttempt(cookie);
    const scenario = await caseScenario(attemptId, 0);
    const page = await attemptPage(cookie, attemptId);
    expect(() => expectNoAnswers(page, [scenario], 'clean')).not.toThrow();
    const item = scenario.items[0];
    if (!item) throw new Error('no item');
    const withText = { ...page, note: secretTexts(item)[0] };
    expect(() => expectNoAnswers(withText, [scenario], 'with a secret text')).toThrow();
    const withKey = { ...page, view: { ...page.view, items: [{ id: 'x', unsafe: false }] } };
    expect(() => expectNoAnswers(withKey, [scenario], 'with an unsafe flag')).toThrow();
    const withPoints = { ...page, view: { ...page.view, items: [{ id: 'x', points: 1, options: [{ id: 'o', points: 2 }] }] } };
    expect(() => expectNoAnswers(withPoints, [scenario], 'with points per option')).toThrow();
  });
});
