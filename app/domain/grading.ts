// Grading, one pure function per item type. A response that does not fit its item (unknown or
// duplicate ids, wrong shape) is reported as invalid, never thrown; an empty response scores 0.
import type { ScenarioItem } from '~/content/scenario-schema';

export type SingleResponse = { optionId: string };
export type MultipleResponse = { optionIds: string[] };
export type OrderingResponse = { order: string[] };
/** Evidence id → the id of the chosen conclusion (conclusion ids come from the presentation). */
export type MatchingResponse = { matches: Record<string, string> };
export type WrittenResponse = { text: string };
export type BranchingResponse = { path: { stepId: string; optionId: string }[] };
export type ItemResponse = SingleResponse | MultipleResponse | OrderingResponse | MatchingResponse | WrittenResponse | BranchingResponse;

export type Grade =
  | { status: 'graded'; score: number; max: number; criticalFailure: boolean }
  /** Written replies: a trainer grades them (or, in practice, the learner checks against the model). */
  | { status: 'ungraded'; max: number }
  | { status: 'invalid'; reason: string };

const round = (n: number) => Math.round(n * 1000) / 1000;
const graded = (score: number, max: number, criticalFailure = false): Grade => ({
  status: 'graded',
  score: round(Math.max(0, Math.min(max, score))),
  max,
  criticalFailure,
});
const invalid = (reason: string): Grade => ({ status: 'invalid', reason });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

function hasDuplicates(values: readonly string[]): boolean {
  return new Set(values).size !== values.length;
}

export function gradeSingle(item: Extract<ScenarioItem, { type: 'single' }>, response: unknown): Grade {
  if (response === null || response === undefined) return graded(0, item.points);
  if (!isObject(response) || typeof response.optionId !== 'string') return invalid('expected one option');
  const option = item.options.find((o) => o.id === response.optionId);
  if (!option) return invalid(`unknown option "${response.optionId}"`);
  return graded(option.correct ? item.points : 0, item.points, option.unsafe);
}

/** Each correct option chosen earns its share; each wrong one chosen takes a share away; never below 0. */
export function gradeMultiple(item: Extract<ScenarioItem, { type: 'multiple' }>, response: unknown): Grade {
  if (response === null || response === undefined) return graded(0, item.points);
  const chosen = isObject(response) ? stringArray(response.optionIds) : null;
  if (!chosen) return invalid('expected a list of options');
  if (hasDuplicates(chosen)) return invalid('an option was chosen twice');
  const byId = new Map(item.options.map((o) => [o.id, o]));
  const unknown = chosen.find((id) => !byId.has(id));
  if (unknown !== undefined) return invalid(`unknown option "${unknown}"`);
  const correctCount = item.options.filter((o) => o.correct).length;
  const wrongCount = item.options.length - correctCount;
  let score = 0;
  let criticalFailure = false;
  for (const id of chosen) {
    const option = byId.get(id);
    if (!option) continue;
    score += option.correct ? item.points / correctCount : -item.points / wrongCount;
    criticalFailure ||= option.unsafe;
  }
  return graded(score, item.points, criticalFailure);
}

/** Credit for the share of adjacent pairs placed in the right order. */
export function gradeOrdering(item: Extract<ScenarioItem, { type: 'ordering' }>, response: unknown): Grade {
  if (response === null || response === undefined) return graded(0, item.points);
  const order = isObject(response) ? stringArray(response.order) : null;
  if (!order) return invalid('expected an order of steps');
  const ids = item.steps.map((s) => s.id);
  if (hasDuplicates(order)) return invalid('a step was placed twice');
  const unknown = order.find((id) => !ids.includes(id));
  if (unknown !== undefined) return invalid(`unknown step "${unknown}"`);
  if (order.length !== ids.length) return invalid('every step must be placed');
  const correctPairs = new Set(ids.slice(1).map((id, i) => `${ids[i]}>${id}`));
  const inOrder = order.slice(1).filter((id, i) => correctPairs.has(`${order[i]}>${id}`)).length;
  return graded((item.points * inOrder) / (ids.length - 1), item.points);
}

/**
 * Credit per evidence matched to its own conclusion. `conclusionIds` maps the ids shown to the
 * learner to conclusion texts (see presentation.ts).
 */
export function gradeMatching(
  item: Extract<ScenarioItem, { type: 'matching' }>,
  response: unknown,
  conclusionIds: ReadonlyMap<string, string>,
): Grade {
  if (response === null || response === undefined) return graded(0, item.points);
  if (!isObject(response) || !isObject(response.matches)) return invalid('expected matches');
  const matches = response.matches;
  const evidence = new Set(item.pairs.map((p) => p.id));
  let correct = 0;
  for (const [evidenceId, conclusionId] of Object.entries(matches)) {
    if (!evidence.has(evidenceId)) return invalid(`unknown evidence "${evidenceId}"`);
    if (conclusionId === '') continue;
    if (typeof conclusionId !== 'string' || !conclusionIds.has(conclusionId)) return invalid(`unknown conclusion "${String(conclusionId)}"`);
    const pair = item.pairs.find((p) => p.id === evidenceId);
    if (pair && conclusionIds.get(conclusionId) === pair.conclusion) correct++;
  }
  return graded((item.points * correct) / item.pairs.length, item.points);
}

export function gradeWritten(item: Extract<ScenarioItem, { type: 'written' }>, response: unknown): Grade {
  if (response !== null && response !== undefined && (!isObject(response) || typeof response.text !== 'string')) {
    return invalid('expected text');
  }
  return { status: 'ungraded', max: item.points };
}

type BranchingItem = Extract<ScenarioItem, { type: 'branching' }>;

/** The most points any complete path through the conversation can earn from `stepId` on. */
export function bestPathPoints(item: BranchingItem, stepId: string = item.start, seen: ReadonlySet<string> = new Set()): number {
  const step = item.steps.find((s) => s.id === stepId);
  if (!step || seen.has(stepId)) return 0;
  const next = new Set(seen).add(stepId);
  return Math.max(...step.options.map((o) => o.points + (o.next ? bestPathPoints(item, o.next, next) : 0)));
}

/**
 * Follows the learner's path from the start. Returns the steps taken, or why the path is not one
 * the conversation allows; `complete` is true when the last choice ended the conversation.
 */
export function walkPath(item: BranchingItem, path: readonly { stepId: string; optionId: string }[]) {
  let expected: string | undefined = item.start;
  const taken: { stepId: string; optionId: string; points: number; unsafe: boolean }[] = [];
  for (const choice of path) {
    if (expected === undefined) return { ok: false as const, reason: 'the conversation had already ended' };
    if (choice.stepId !== expected) return { ok: false as const, reason: `expected an answer to step "${expected}"` };
    const step = item.steps.find((s) => s.id === choice.stepId);
    const option = step?.options.find((o) => o.id === choice.optionId);
    if (!option) return { ok: false as const, reason: `unknown option "${choice.optionId}" in step "${choice.stepId}"` };
    taken.push({ ...choice, points: option.points, unsafe: option.unsafe });
    expected = option.next;
  }
  return { ok: true as const, taken, nextStepId: expected, complete: path.length > 0 && expected === undefined };
}

/** Points of the options chosen along the path taken, over the best path's points. */
export function gradeBranching(item: BranchingItem, response: unknown): Grade {
  if (response === null || response === undefined) return graded(0, item.points);
  if (!isObject(response) || !Array.isArray(response.path)) return invalid('expected a path');
  const path = response.path.flatMap((c) =>
    isObject(c) && typeof c.stepId === 'string' && typeof c.optionId === 'string' ? [{ stepId: c.stepId, optionId: c.optionId }] : [],
  );
  if (path.length !== response.path.length) return invalid('expected a path of choices');
  const walk = walkPath(item, path);
  if (!walk.ok) return invalid(walk.reason);
  const best = bestPathPoints(item);
  const earned = walk.taken.reduce((sum, c) => sum + c.points, 0);
  return graded(best === 0 ? 0 : (item.points * earned) / best, item.points, walk.taken.some((c) => c.unsafe));
}

export function gradeItem(item: ScenarioItem, response: unknown, conclusionIds: ReadonlyMap<string, string> = new Map()): Grade {
  switch (item.type) {
    case 'single':
      return gradeSingle(item, response);
    case 'multiple':
      return gradeMultiple(item, response);
    case 'ordering':
      return gradeOrdering(item, response);
    case 'matching':
      return gradeMatching(item, response, conclusionIds);
    case 'written':
      return gradeWritten(item, response);
    case 'branching':
      return gradeBranching(item, response);
  }
}
