// What a learner may see of an item before submitting it: the question and the choices in this
// attempt's order — never which choice is correct, per-option points, feedback or the explanation.
import type { ScenarioItem } from '~/content/scenario-schema';
import { walkPath } from './grading';
import { deriveSeed, seededShuffle, shuffleAwayFromOriginal } from './shuffle';

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
  return seededShuffle(texts, deriveSeed(seed, `${item.id}:conclusions`)).map((text, i) => ({ id: `k${i + 1}`, text }));
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
