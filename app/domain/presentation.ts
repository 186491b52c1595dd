// What a learner may see of an item before submitting it: the question and the choices in this
// attempt's order — never which choice is correct, per-option points, feedback or the explanation.
import type { ScenarioFile, ScenarioItem } from '~/content/scenario-schema';
import { walkPath } from './grading';
import { deriveSeed, seededShuffle, shuffleAwayFromOriginal } from './shuffle';

/** The case file as the agent sees it on taking the chat: everything but the questions. */
export type PublicCaseFile = Omit<ScenarioFile, 'items'>;

export function toPublicCaseFile({ items: _items, ...caseFile }: ScenarioFile): PublicCaseFile {
  return caseFile;
}

export interface Choice {
  id: string;
  text: string;
}

interface PublicBase {
  id: string;
  prompt: string;
  points: number;
}

export type PublicItem =
  | (PublicBase & { type: 'single' | 'multiple'; options: Choice[] })
  | (PublicBase & { type: 'ordering'; steps: Choice[] })
  | (PublicBase & { type: 'matching'; evidence: Choice[]; conclusions: Choice[] })
  | (PublicBase & { type: 'written' })
  | (PublicBase & {
      type: 'branching';
      /** The conversation so far: each step's prompt and the choice made. */
      history: { prompt: string; choice: string }[];
      /** The step waiting for an answer, or null when the conversation has ended. */
      current: { id: string; prompt: string; options: Choice[] } | null;
    });

/**
 * The conclusions of a matching item in this attempt's order, with opaque ids (k1, k2…), so the id
 * a learner submits says nothing about which evidence it belongs to.
 */
export function matchingConclusions(item: Extract<ScenarioItem, { type: 'matching' }>, seed: number): Choice[] {
  const texts = [...item.pairs.map((p) => p.conclusion), ...item.distractors];
  // Never in the evidence's own order, which would give the matches away top to bottom.
  return shuffleAwayFromOriginal(texts, deriveSeed(seed, `${item.id}:conclusions`)).map((text, i) => ({ id: `k${i + 1}`, text }));
}

export function conclusionIdMap(item: ScenarioItem, seed: number): Map<string, string> {
  if (item.type !== 'matching') return new Map();
  return new Map(matchingConclusions(item, seed).map((c) => [c.id, c.text]));
}

/** `seed` is the attempt's seed mixed with the item's place (see deriveSeed); `response` the saved answer. */
export function presentItem(item: ScenarioItem, seed: number, response: unknown = null): PublicItem {
  const base = { id: item.id, prompt: item.prompt, points: item.points };
  const itemSeed = deriveSeed(seed, item.id);
  switch (item.type) {
    case 'single':
    case 'multiple':
      return { ...base, type: item.type, options: seededShuffle(item.options.map(({ id, text }) => ({ id, text })), itemSeed) };
    case 'ordering':
      return { ...base, type: 'ordering', steps: shuffleAwayFromOriginal(item.steps.map(({ id, text }) => ({ id, text })), itemSeed) };
    case 'matching':
      return {
        ...base,
        type: 'matching',
        evidence: item.pairs.map((p) => ({ id: p.id, text: p.evidence })),
        conclusions: matchingConclusions(item, seed),
      };
    case 'written':
      return { ...base, type: 'written' };
    case 'branching': {
      const path = branchingPath(response);
      const walk = walkPath(item, path);
      const taken = walk.ok ? walk.taken : [];
      const history = taken.map((choice) => {
        const step = item.steps.find((s) => s.id === choice.stepId);
        return { prompt: step?.prompt ?? '', choice: step?.options.find((o) => o.id === choice.optionId)?.text ?? '' };
      });
      const nextId = walk.ok ? walk.nextStepId : item.start;
      const step = nextId === undefined ? undefined : item.steps.find((s) => s.id === nextId);
      return {
        ...base,
        type: 'branching',
        history,
        current: step
          ? { id: step.id, prompt: step.prompt, options: seededShuffle(step.options.map(({ id, text }) => ({ id, text })), deriveSeed(itemSeed, step.id)) }
          : null,
      };
    }
  }
}

function branchingPath(response: unknown): { stepId: string; optionId: string }[] {
  const path = (response as { path?: unknown } | null)?.path;
  if (!Array.isArray(path)) return [];
  return path.flatMap((c) =>
    typeof c === 'object' && c !== null && typeof (c as { stepId?: unknown }).stepId === 'string' && typeof (c as { optionId?: unknown }).optionId === 'string'
      ? [{ stepId: (c as { stepId: string }).stepId, optionId: (c as { optionId: string }).optionId }]
      : [],
  );
}

// What reaches the browser. presentItem keeps the scenario file's option ids, but authors write the
// right answer first and mostly call it "a" (45 of 47 single-choice items, every best step of every
// conversation), so those ids would give the answer away in the page's data and radio values. The
// page gets each choice's place in this attempt's order instead (o1, o2…), which says nothing the
// shuffled order does not; answers are mapped back to the file's ids before they are checked or
// saved. A conversation's choices also name their step (s2.o1), so a choice posted again for a step
// already answered (a double click, a second tab) is refused instead of answering the next step.
// Matching conclusions already have opaque ids; ordering steps and evidence keep theirs: they name a
// step or a fact, not an answer.

const shownChoiceId = (index: number, stepId: string | null) => `${stepId === null ? '' : `${stepId}.`}o${index + 1}`;
const relabel = (choices: readonly Choice[], stepId: string | null = null): Choice[] =>
  choices.map((c, i) => ({ id: shownChoiceId(i, stepId), text: c.text }));

/** presentItem as the learner's page gets it: choice ids are places in this attempt's order. */
export function presentItemToLearner(item: ScenarioItem, seed: number, response: unknown = null): PublicItem {
  const shown = presentItem(item, seed, response);
  if (shown.type === 'single' || shown.type === 'multiple') return { ...shown, options: relabel(shown.options) };
  if (shown.type === 'branching' && shown.current) {
    return { ...shown, current: { ...shown.current, options: relabel(shown.current.options, shown.current.id) } };
  }
  return shown;
}

/** Shown id → file id for the choices of a choice item, or of the conversation step after `path`. */
function choiceIds(item: ScenarioItem, seed: number, path: readonly { stepId: string; optionId: string }[] = []) {
  const shown = presentItem(item, seed, { path });
  const stepId = shown.type === 'branching' ? (shown.current?.id ?? null) : null;
  const choices = shown.type === 'single' || shown.type === 'multiple' ? shown.options : shown.type === 'branching' ? (shown.current?.options ?? []) : [];
  return { stepId, ids: new Map(choices.map((c, i) => [shownChoiceId(i, stepId), c.id])) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A saved answer (file ids) in the ids the learner's page uses. */
export function responseToLearner(item: ScenarioItem, seed: number, response: unknown): unknown {
  if (!isRecord(response)) return response;
  const toShown = (ids: Map<string, string>) => new Map([...ids].map(([shownId, fileId]) => [fileId, shownId]));
  if ((item.type === 'single' || item.type === 'multiple') && (typeof response.optionId === 'string' || Array.isArray(response.optionIds))) {
    const ids = toShown(choiceIds(item, seed).ids);
    const map = (id: unknown) => (typeof id === 'string' ? (ids.get(id) ?? id) : id);
    return 'optionId' in response ? { ...response, optionId: map(response.optionId) } : { ...response, optionIds: (response.optionIds as unknown[]).map(map) };
  }
  if (item.type === 'branching') {
    const path = branchingPath(response);
    return {
      ...response,
      path: path.map((choice, i) => ({ ...choice, optionId: toShown(choiceIds(item, seed, path.slice(0, i)).ids).get(choice.optionId) ?? choice.optionId })),
    };
  }
  return response;
}

/**
 * An answer from the learner's page back in the file's ids. An id the page did not show is refused
 * here: passed on, it could be a file id ("a") and be graded as one.
 */
export function responseFromLearner(item: ScenarioItem, seed: number, response: unknown): { ok: true; response: unknown } | { ok: false; reason: string } {
  if (!isRecord(response)) return { ok: true, response };
  if (item.type === 'single' || item.type === 'multiple') {
    const { ids } = choiceIds(item, seed);
    const map = (id: unknown) => (typeof id === 'string' ? ids.get(id) : undefined);
    if (typeof response.optionId === 'string') {
      const optionId = map(response.optionId);
      return optionId ? { ok: true, response: { ...response, optionId } } : { ok: false, reason: `unknown option "${response.optionId}"` };
    }
    if (Array.isArray(response.optionIds)) {
      const unknown = response.optionIds.find((id) => map(id) === undefined);
      if (unknown !== undefined) return { ok: false, reason: `unknown option "${String(unknown)}"` };
      return { ok: true, response: { ...response, optionIds: response.optionIds.map(map) } };
    }
    return { ok: true, response };
  }
  if (item.type === 'branching' && Array.isArray(response.path)) {
    const path: { stepId: string; optionId: string }[] = [];
    for (const choice of branchingPath(response)) {
      const { stepId, ids } = choiceIds(item, seed, path);
      if (stepId === null) return { ok: false, reason: 'the conversation had already ended' };
      if (choice.stepId !== stepId) return { ok: false, reason: `expected an answer to step "${stepId}"` };
      const optionId = ids.get(choice.optionId);
      const answered = item.steps.find((s) => s.id !== stepId && choice.optionId.startsWith(`${s.id}.`));
      if (!optionId && answered) return { ok: false, reason: `that choice belongs to step "${answered.id}", not to step "${stepId}", where the conversation is now` };
      if (!optionId) return { ok: false, reason: `unknown option "${choice.optionId}" in step "${stepId}"` };
      path.push({ stepId, optionId });
    }
    if (path.length !== response.path.length) return { ok: false, reason: 'expected a path of choices' };
    return { ok: true, response: { ...response, path } };
  }
  return { ok: true, response };
}
