// Regrading an exam attempt after an answer key was fixed (a new version of a scenario). Pure: the
// saved responses, the item as the learner saw it and as it is now in, the new grades and the new
// result out. The rules are the exam's own (exam.server.ts finaliseIfGraded): the points over the
// maximum against the pass mark, and a critical error fails whatever the score.
import type { ScenarioItem } from '~/content/scenario-schema';
import { gradeItem } from './grading';
import { conclusionIdMap } from './presentation';

/** An item of the attempt as stored: its grade when the attempt was graded (or last regraded). */
export interface StoredItemGrade {
  position: number;
  itemKey: string;
  score: number;
  max: number;
  criticalFailure: boolean;
  /** The saved response (parsed JSON), null when left blank. */
  response: unknown;
}

/** For an item drawn from the version being regraded: that item, the new version's, and the case's seed. */
export interface RegradeTarget {
  oldItem: ScenarioItem;
  /** The item with the same key in the new version; undefined when the new version dropped it. */
  newItem: ScenarioItem | undefined;
  /** deriveSeed(attempt seed, `case:<position>`): the seed the learner's matching ids were made with. */
  caseSeed: number;
}

export type RegradeNote = 'written-kept' | 'not-in-new-version' | 'response-no-longer-fits';

export interface ItemRegrade {
  position: number;
  itemKey: string;
  oldScore: number;
  newScore: number;
  oldMax: number;
  newMax: number;
  criticalFailure: boolean;
  changed: boolean;
  note: RegradeNote | null;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const differs = (a: number, b: number) => Math.abs(a - b) > 1e-6;

/**
 * The new grade of one stored item. Items not drawn from the version being regraded (`target` null)
 * keep their grade; so does a written reply (a trainer graded it against its rubric: the key does not
 * apply) and an item the new version no longer has. A response that no longer fits the new item (it
 * chose an option since removed) earns nothing there, as any answer that is not a correct one.
 */
export function regradeItem(stored: StoredItemGrade, target: RegradeTarget | null): ItemRegrade {
  const keep = (note: RegradeNote | null): ItemRegrade => ({
    position: stored.position,
    itemKey: stored.itemKey,
    oldScore: stored.score,
    newScore: stored.score,
    oldMax: stored.max,
    newMax: stored.max,
    criticalFailure: stored.criticalFailure,
    changed: false,
    note,
  });
  if (!target) return keep(null);
  const { oldItem, newItem } = target;
  if (!newItem) return keep('not-in-new-version');
  if (newItem.type === 'written' || oldItem.type === 'written') return keep('written-kept');
  // Matching ids stand for the conclusions in the order the learner was shown: the old item's.
  const grade = gradeItem(newItem, stored.response, conclusionIdMap(oldItem, target.caseSeed));
  const next =
    grade.status === 'graded'
      ? { newScore: grade.score, newMax: newItem.points, criticalFailure: grade.criticalFailure, note: null }
      : { newScore: 0, newMax: newItem.points, criticalFailure: false, note: 'response-no-longer-fits' as const };
  return {
    ...keep(null),
    ...next,
    changed: differs(next.newScore, stored.score) || differs(next.newMax, stored.max) || next.criticalFailure !== stored.criticalFailure,
  };
}

export interface AttemptResult {
  score: number;
  max: number;
  passed: boolean;
}

/** Pass or fail, as the exam decides it at submission. */
export function examResult(items: readonly { score: number; max: number; criticalFailure: boolean }[], passMark: number): AttemptResult {
  const score = round(items.reduce((n, i) => n + i.score, 0));
  const max = round(items.reduce((n, i) => n + i.max, 0));
  const criticalFailure = items.some((i) => i.criticalFailure);
  return { score, max, passed: max > 0 && (100 * score) / max >= passMark && !criticalFailure };
}

export type Flip = 'pass-to-fail' | 'fail-to-pass' | null;

export interface AttemptRegrade {
  items: ItemRegrade[];
  old: AttemptResult;
  new: AttemptResult;
  /** Some item's grade changes (then the attempt's record changes, even if its total does not). */
  changed: boolean;
  scoreChanged: boolean;
  flip: Flip;
}

/** Regrades a whole attempt: each item with its target (null: not from the regraded version). */
export function regradeAttempt(args: {
  items: readonly { stored: StoredItemGrade; target: RegradeTarget | null }[];
  old: AttemptResult;
  passMark: number;
}): AttemptRegrade {
  const items = args.items.map(({ stored, target }) => regradeItem(stored, target));
  // Only a changed item changes the attempt: a result is never re-decided for another reason (e.g. a
  // pass mark edited since), which is not what the trainer asked for.
  if (!items.some((i) => i.changed)) return { items, old: args.old, new: args.old, changed: false, scoreChanged: false, flip: null };
  const result = examResult(
    items.map((i) => ({ score: i.newScore, max: i.newMax, criticalFailure: i.criticalFailure })),
    args.passMark,
  );
  const flip: Flip = args.old.passed === result.passed ? null : args.old.passed ? 'pass-to-fail' : 'fail-to-pass';
  const scoreChanged = differs(result.score, args.old.score) || differs(result.max, args.old.max);
  return { items, old: args.old, new: result, changed: true, scoreChanged, flip };
}
