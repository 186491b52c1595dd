import { describe, expect, it } from 'vitest';
import type { ScenarioItem } from '~/content/scenario-schema';
import { conclusionIdMap } from '~/domain/presentation';
import { examResult, regradeAttempt, regradeItem, type StoredItemGrade } from '~/domain/regrade';
import { matching, ordering, single, written } from './scenario-items';

/** The single item (2 points, critical) with the key moved from a to b. */
function keyMovedToB(): ScenarioItem {
  const item = single();
  return { ...item, options: item.options.map((o) => ({ ...o, correct: o.id === 'b' })) };
}

const stored = (over: Partial<StoredItemGrade>): StoredItemGrade => ({
  position: 0,
  itemKey: 'first-move',
  score: 0,
  max: 2,
  criticalFailure: false,
  response: null,
  ...over,
});

describe('regrading one item', () => {
  it('takes the points away from the old key and gives them to the new one', () => {
    const target = { oldItem: single(), newItem: keyMovedToB(), caseSeed: 7 };
    expect(regradeItem(stored({ score: 2, response: { optionId: 'a' } }), target)).toMatchObject({ oldScore: 2, newScore: 0, changed: true, note: null });
    expect(regradeItem(stored({ score: 0, response: { optionId: 'b' } }), target)).toMatchObject({ oldScore: 0, newScore: 2, changed: true });
    expect(regradeItem(stored({ score: 0, response: { optionId: 'c' } }), target)).toMatchObject({ newScore: 0, changed: false });
    expect(regradeItem(stored({ score: 0, response: null }), target)).toMatchObject({ newScore: 0, changed: false });
  });

  it('recomputes the critical error: an option made unsafe fails the item, one made safe no longer does', () => {
    const item = single();
    const cUnsafe: ScenarioItem = { ...item, options: item.options.map((o) => ({ ...o, unsafe: o.id === 'c' || o.id === 'd' })) };
    const target = { oldItem: item, newItem: cUnsafe, caseSeed: 1 };
    expect(regradeItem(stored({ response: { optionId: 'c' } }), target)).toMatchObject({ criticalFailure: true, changed: true });
    const dSafe: ScenarioItem = { ...item, options: item.options.map((o) => ({ ...o, unsafe: false })) };
    expect(regradeItem(stored({ response: { optionId: 'd' }, criticalFailure: true }), { oldItem: item, newItem: dSafe, caseSeed: 1 })).toMatchObject({
      criticalFailure: false,
      changed: true,
    });
  });

  it('keeps the grade of items not drawn from the regraded version, of written replies and of dropped items', () => {
    expect(regradeItem(stored({ score: 2, response: { optionId: 'a' } }), null)).toMatchObject({ newScore: 2, changed: false, note: null });
    const reply = stored({ itemKey: 'reply-to-seller', score: 3, max: 4, response: { text: 'Hello' } });
    expect(regradeItem(reply, { oldItem: written(), newItem: { ...written(), points: 8 }, caseSeed: 1 })).toMatchObject({
      newScore: 3,
      newMax: 4,
      changed: false,
      note: 'written-kept',
    });
    expect(regradeItem(stored({ score: 2, response: { optionId: 'a' } }), { oldItem: single(), newItem: undefined, caseSeed: 1 })).toMatchObject({
      newScore: 2,
      note: 'not-in-new-version',
    });
  });

  it('scores 0 a response that chose an option the new version removed', () => {
    const item = single();
    const withoutC: ScenarioItem = { ...item, options: item.options.filter((o) => o.id !== 'c') };
    expect(regradeItem(stored({ response: { optionId: 'c' } }), { oldItem: item, newItem: withoutC, caseSeed: 1 })).toMatchObject({
      newScore: 0,
      note: 'response-no-longer-fits',
      changed: false,
    });
  });

  it('takes the new points of a re-weighted item', () => {
    const target = { oldItem: ordering(4), newItem: ordering(8), caseSeed: 1 };
    expect(regradeItem(stored({ itemKey: 'evidence-strength', score: 4, max: 4, response: { order: ['s1', 's2', 's3', 's4', 's5'] } }), target)).toMatchObject({
      newScore: 8,
      newMax: 8,
      changed: true,
    });
  });

  it('reads matching ids as the conclusions the learner was shown (the old item, this case’s seed)', () => {
    const item = matching();
    const seed = 42;
    const shown = [...conclusionIdMap(item, seed)];
    // The learner matched e1 with the conclusion the new version moves to e2 (and vice versa).
    const idOf = (text: string) => shown.find(([, t]) => t === text)?.[0] ?? '';
    const [p1, p2, p3] = item.pairs;
    if (!p1 || !p2 || !p3) throw new Error('matching item has three pairs');
    const response = { matches: { e1: idOf(p2.conclusion), e2: idOf(p1.conclusion), e3: idOf(p3.conclusion) } };
    const swapped: ScenarioItem = {
      ...item,
      pairs: [
        { ...p1, conclusion: p2.conclusion },
        { ...p2, conclusion: p1.conclusion },
        p3,
      ],
    };
    expect(regradeItem(stored({ itemKey: item.id, score: 2, max: 6, response }), { oldItem: item, newItem: swapped, caseSeed: seed })).toMatchObject({
      newScore: 6,
      changed: true,
    });
  });
});

describe('regrading an attempt', () => {
  // Pass mark 80 %: 8 of 10 passes, 7.99 does not.
  it('applies the exam’s rule: the pass mark, and a critical error fails whatever the score', () => {
    expect(examResult([{ score: 8, max: 10, criticalFailure: false }], 80)).toEqual({ score: 8, max: 10, passed: true });
    expect(examResult([{ score: 7.99, max: 10, criticalFailure: false }], 80).passed).toBe(false);
    expect(examResult([{ score: 10, max: 10, criticalFailure: true }], 80).passed).toBe(false);
    expect(examResult([], 80).passed).toBe(false);
  });

  const other = (score: number) => ({ stored: stored({ position: 1, itemKey: 'other', score, max: 8 }), target: null });

  it('flips a pass to a fail when the learner’s answer is no longer the key', () => {
    // Before: 2 + 6 = 8 of 10 (80 %, pass). After: 0 + 6 = 6 of 10 (60 %, fail).
    const result = regradeAttempt({
      items: [{ stored: stored({ score: 2, response: { optionId: 'a' } }), target: { oldItem: single(), newItem: keyMovedToB(), caseSeed: 1 } }, other(6)],
      old: { score: 8, max: 10, passed: true },
      passMark: 80,
    });
    expect(result.new).toEqual({ score: 6, max: 10, passed: false });
    expect(result).toMatchObject({ changed: true, scoreChanged: true, flip: 'pass-to-fail' });
  });

  it('flips a fail to a pass when the learner chose the new key', () => {
    const result = regradeAttempt({
      items: [{ stored: stored({ score: 0, response: { optionId: 'b' } }), target: { oldItem: single(), newItem: keyMovedToB(), caseSeed: 1 } }, other(6)],
      old: { score: 6, max: 10, passed: false },
      passMark: 80,
    });
    expect(result.new).toEqual({ score: 8, max: 10, passed: true });
    expect(result.flip).toBe('fail-to-pass');
  });

  it('changes the score without a flip, and changes nothing when the answer is unaffected', () => {
    const higher = regradeAttempt({
      items: [{ stored: stored({ score: 2, response: { optionId: 'a' } }), target: { oldItem: single(), newItem: keyMovedToB(), caseSeed: 1 } }, other(8)],
      old: { score: 10, max: 10, passed: true },
      passMark: 80,
    });
    expect(higher).toMatchObject({ scoreChanged: true, flip: null, new: { score: 8, passed: true } });
    const same = regradeAttempt({
      items: [{ stored: stored({ score: 0, response: { optionId: 'c' } }), target: { oldItem: single(), newItem: keyMovedToB(), caseSeed: 1 } }, other(8)],
      old: { score: 8, max: 10, passed: true },
      passMark: 80,
    });
    expect(same).toMatchObject({ changed: false, scoreChanged: false, flip: null });
  });

  it('regrading an attempt already regraded changes nothing (the stored grades are the new ones)', () => {
    const target = { oldItem: single(), newItem: keyMovedToB(), caseSeed: 1 };
    const first = regradeAttempt({ items: [{ stored: stored({ score: 2, response: { optionId: 'a' } }), target }, other(6)], old: { score: 8, max: 10, passed: true }, passMark: 80 });
    const again = regradeAttempt({
      items: [{ stored: stored({ score: first.items[0]?.newScore ?? -1, response: { optionId: 'a' } }), target }, other(6)],
      old: first.new,
      passMark: 80,
    });
    expect(again).toMatchObject({ changed: false, flip: null });
  });
});
