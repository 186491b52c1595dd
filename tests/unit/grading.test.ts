import { describe, expect, it } from 'vitest';
import { branchingItem, itemSchema, multipleItem, orderingItem, singleItem, type ScenarioItem } from '~/content/scenario-schema';
import {
  bestPathPoints,
  gradeBranching,
  gradeItem,
  gradeMatching,
  gradeMultiple,
  gradeOrdering,
  gradeSingle,
  gradeWritten,
  walkPath,
  type Grade,
} from '~/domain/grading';
import { conclusionIdMap } from '~/domain/presentation';
import { branching, diamond, matching, multiple, ordering, seededRandom, single, written } from './scenario-items';

const graded = (score: number, max: number, criticalFailure = false): Grade => ({ status: 'graded', score, max, criticalFailure });
const invalid = { status: 'invalid', reason: expect.any(String) };

/** Responses of every wrong shape a form, a stale tab or a hand-made request could send. */
const JUNK: unknown[] = [
  0,
  1,
  '',
  'a',
  true,
  [],
  ['a'],
  {},
  { optionId: 1 },
  { optionId: null },
  { optionId: ['a'] },
  { optionIds: 'a' },
  { optionIds: [1, 2] },
  { optionIds: [null] },
  { order: 's1' },
  { order: [1, 2, 3] },
  { matches: [] },
  { matches: 'e1' },
  { matches: null },
  { text: 5 },
  { path: 'greet' },
  { path: [null] },
  { path: [1] },
  { path: [['greet', 'calm']] },
  { path: {} },
];

describe('gradeSingle', () => {
  const item = single();

  it('gives full points for the correct option', () => {
    expect(gradeSingle(item, { optionId: 'a' })).toEqual(graded(2, 2));
  });

  it('gives nothing for a wrong option, without a critical failure', () => {
    expect(gradeSingle(item, { optionId: 'b' })).toEqual(graded(0, 2));
    expect(gradeSingle(item, { optionId: 'c' })).toEqual(graded(0, 2));
  });

  it('reports a critical failure for an unsafe option', () => {
    expect(gradeSingle(item, { optionId: 'd' })).toEqual(graded(0, 2, true));
  });

  it('scores an unanswered item 0', () => {
    expect(gradeSingle(item, null)).toEqual(graded(0, 2));
    expect(gradeSingle(item, undefined)).toEqual(graded(0, 2));
  });

  it('reports an unknown option as invalid, naming it', () => {
    expect(gradeSingle(item, { optionId: 'z' })).toEqual({ status: 'invalid', reason: expect.stringContaining('"z"') });
    expect(gradeSingle(item, { optionId: '' })).toEqual(invalid);
  });

  it('reports a response of the wrong shape as invalid and never throws', () => {
    for (const response of [...JUNK, { optionIds: ['a'] }]) {
      expect(() => gradeSingle(item, response)).not.toThrow();
      expect(gradeSingle(item, response), JSON.stringify(response)).toEqual(invalid);
    }
  });
});

describe('gradeMultiple', () => {
  // 3 points, 3 correct options (1 point each), 2 wrong ones (1.5 points each taken away).
  const item = multiple(3);
  const grade = (...optionIds: string[]) => gradeMultiple(item, { optionIds });

  it('gives full points for exactly the correct options, in any order', () => {
    expect(grade('a', 'b', 'c')).toEqual(graded(3, 3));
    expect(grade('c', 'a', 'b')).toEqual(graded(3, 3));
  });

  it('gives each correct option chosen points / number of correct options', () => {
    expect(grade('a')).toEqual(graded(1, 3));
    expect(grade('b', 'c')).toEqual(graded(2, 3));
  });

  it('takes points / number of wrong options away for each wrong option chosen', () => {
    expect(grade('a', 'b', 'd')).toEqual(graded(0.5, 3));
    expect(grade('a', 'b', 'c', 'd')).toEqual(graded(1.5, 3));
  });

  it('never goes below zero', () => {
    expect(grade('d')).toEqual(graded(0, 3));
    expect(grade('a', 'd')).toEqual(graded(0, 3)); // 1 − 1.5
    expect(grade('d', 'a')).toEqual(graded(0, 3)); // order of choosing does not matter
  });

  it('scores choosing every option 0', () => {
    expect(grade('a', 'b', 'c', 'd', 'e')).toEqual(graded(0, 3, true));
    const safe = multipleItem.parse({ ...multiple(5), critical: false, options: multiple().options.map((o) => ({ ...o, unsafe: false })) });
    expect(gradeMultiple(safe, { optionIds: ['a', 'b', 'c', 'd', 'e'] })).toEqual(graded(0, 5));
  });

  it('scores an empty choice or no answer 0', () => {
    expect(grade()).toEqual(graded(0, 3));
    expect(gradeMultiple(item, null)).toEqual(graded(0, 3));
    expect(gradeMultiple(item, undefined)).toEqual(graded(0, 3));
  });

  it('rounds shares that do not divide evenly to three decimals', () => {
    const four = multiple(4); // 4/3 per correct option, 2 per wrong one
    expect(gradeMultiple(four, { optionIds: ['a'] })).toEqual(graded(1.333, 4));
    expect(gradeMultiple(four, { optionIds: ['a', 'b'] })).toEqual(graded(2.667, 4));
    expect(gradeMultiple(four, { optionIds: ['a', 'b', 'c'] })).toEqual(graded(4, 4));
    expect(gradeMultiple(four, { optionIds: ['a', 'b', 'c', 'd'] })).toEqual(graded(2, 4));
  });

  it('weighs shares by how many options are correct and wrong', () => {
    // 2 correct (3 points each) and 3 wrong (2 points each) out of 6.
    const twoCorrect = multipleItem.parse({
      ...multiple(6),
      critical: false,
      options: multiple().options.map((o, i) => ({ ...o, correct: i < 2, unsafe: false })),
    });
    expect(gradeMultiple(twoCorrect, { optionIds: ['a'] })).toEqual(graded(3, 6));
    expect(gradeMultiple(twoCorrect, { optionIds: ['a', 'b', 'c'] })).toEqual(graded(4, 6));
    expect(gradeMultiple(twoCorrect, { optionIds: ['a', 'c', 'd'] })).toEqual(graded(0, 6));
  });

  it('reports a critical failure when an unsafe option is chosen, even with a score above 0', () => {
    const result = grade('a', 'b', 'c', 'e');
    expect(result).toEqual(graded(1.5, 3, true));
    expect(grade('e')).toEqual(graded(0, 3, true));
  });

  it('reports an option chosen twice as invalid', () => {
    expect(grade('a', 'a')).toEqual(invalid);
    expect(grade('a', 'b', 'a')).toEqual(invalid);
  });

  it('reports an unknown option as invalid, naming it', () => {
    expect(grade('a', 'z')).toEqual({ status: 'invalid', reason: expect.stringContaining('"z"') });
    expect(grade('A')).toEqual(invalid);
  });

  it('reports an empty option id as unknown rather than skipping it', () => {
    expect(grade('')).toEqual(invalid);
    expect(grade('a', '')).toEqual(invalid);
  });

  it('reports a response of the wrong shape as invalid and never throws', () => {
    for (const response of [...JUNK, { optionId: 'a' }, { optionIds: ['a', 1] }]) {
      expect(() => gradeMultiple(item, response)).not.toThrow();
      expect(gradeMultiple(item, response), JSON.stringify(response)).toEqual(invalid);
    }
  });
});

describe('gradeOrdering', () => {
  // Five steps s1…s5 and 4 points: one point per adjacent pair placed in the right order.
  const item = ordering(4, 5);
  const grade = (...order: string[]) => gradeOrdering(item, { order });

  it('gives full points for the correct order', () => {
    expect(grade('s1', 's2', 's3', 's4', 's5')).toEqual(graded(4, 4));
  });

  it('scores the reversed order 0', () => {
    expect(grade('s5', 's4', 's3', 's2', 's1')).toEqual(graded(0, 4));
  });

  it('counts the adjacent pairs that follow each other as in the answer (worked by hand)', () => {
    // s1>s2 ✓, s2>s4 ✗, s4>s3 ✗, s3>s5 ✗: one swap in the middle breaks three pairs.
    expect(grade('s1', 's2', 's4', 's3', 's5')).toEqual(graded(1, 4));
    // s2>s1 ✗, s1>s3 ✗, s3>s4 ✓, s4>s5 ✓
    expect(grade('s2', 's1', 's3', 's4', 's5')).toEqual(graded(2, 4));
    // s1…s4 ✓ ✓ ✓, s5>s1 ✗: moving the last step to the front keeps three pairs.
    expect(grade('s5', 's1', 's2', 's3', 's4')).toEqual(graded(3, 4));
    // s3>s4 ✓, s4>s5 ✓, s5>s1 ✗, s1>s2 ✓: two blocks swapped.
    expect(grade('s3', 's4', 's5', 's1', 's2')).toEqual(graded(3, 4));
    // s1>s3 ✗, s3>s5 ✗, s5>s2 ✗, s2>s4 ✗
    expect(grade('s1', 's3', 's5', 's2', 's4')).toEqual(graded(0, 4));
    // s4>s5 ✓ only
    expect(grade('s2', 's1', 's4', 's5', 's3')).toEqual(graded(1, 4));
  });

  it('scales the share of pairs to the item’s points, rounded to three decimals', () => {
    const four = ordering(2, 4); // 3 pairs, 2/3 point each
    expect(gradeOrdering(four, { order: ['s1', 's2', 's3', 's4'] })).toEqual(graded(2, 2));
    expect(gradeOrdering(four, { order: ['s1', 's2', 's4', 's3'] })).toEqual(graded(0.667, 2)); // s1>s2 only
    expect(gradeOrdering(four, { order: ['s4', 's1', 's2', 's3'] })).toEqual(graded(1.333, 2));
    expect(gradeOrdering(four, { order: ['s2', 's1', 's4', 's3'] })).toEqual(graded(0, 2));
    expect(gradeOrdering(four, { order: ['s3', 's4', 's1', 's2'] })).toEqual(graded(1.333, 2));
    expect(gradeOrdering(four, { order: ['s1', 's3', 's4', 's2'] })).toEqual(graded(0.667, 2));
  });

  it('scores no answer 0', () => {
    expect(gradeOrdering(item, null)).toEqual(graded(0, 4));
    expect(gradeOrdering(item, undefined)).toEqual(graded(0, 4));
  });

  it('reports a step placed twice as invalid', () => {
    expect(grade('s1', 's1', 's3', 's4', 's5')).toEqual(invalid);
    expect(grade('s1', 's2', 's3', 's4', 's5', 's5')).toEqual(invalid);
  });

  it('reports an unknown step as invalid, naming it', () => {
    expect(grade('s1', 's2', 's3', 's4', 'zz')).toEqual({ status: 'invalid', reason: expect.stringContaining('"zz"') });
    expect(grade('s1', 's2', 's3', 's4', 's5', 's6')).toEqual(invalid);
  });

  it('reports an empty step id as unknown rather than counting it as a step', () => {
    expect(grade('s1', 's2', 's3', 's4', '')).toEqual(invalid);
  });

  it('reports missing steps as invalid', () => {
    expect(grade('s1', 's2', 's3', 's4')).toEqual(invalid);
    expect(grade('s2')).toEqual(invalid);
    expect(grade()).toEqual(invalid);
  });

  it('reports a response of the wrong shape as invalid and never throws', () => {
    for (const response of [...JUNK, { order: ['s1', 's2', 's3', 's4', 5] }]) {
      expect(() => gradeOrdering(item, response)).not.toThrow();
      expect(gradeOrdering(item, response), JSON.stringify(response)).toEqual(invalid);
    }
  });
});

describe('gradeMatching', () => {
  const item = matching();
  const SEED = 20261124;
  const ids = conclusionIdMap(item, SEED);
  /** The id this attempt shows for a conclusion text. */
  const idOf = (text: string) => {
    const id = [...ids].find(([, t]) => t === text)?.[0];
    if (!id) throw new Error(`no id for ${text}`);
    return id;
  };
  const C1 = idOf('Delivered to the return address');
  const C2 = idOf('Something of the right weight was sent');
  const C3 = idOf('The seller has not shown evidence yet');
  const D1 = idOf('The buyer kept the speaker');
  const grade = (matches: Record<string, unknown>) => gradeMatching(item, { matches }, ids);

  it('uses the opaque ids of the presentation', () => {
    expect([...ids.keys()].sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
  });

  it('gives full points when every piece of evidence has its own conclusion', () => {
    expect(grade({ e1: C1, e2: C2, e3: C3 })).toEqual(graded(6, 6));
  });

  it('gives credit per correct pair', () => {
    expect(grade({ e1: C1, e2: C3, e3: C2 })).toEqual(graded(2, 6));
    expect(grade({ e1: C2, e2: C1, e3: C3 })).toEqual(graded(2, 6));
    expect(grade({ e1: C2, e2: C3, e3: C1 })).toEqual(graded(0, 6));
  });

  it('gives no credit for a distractor', () => {
    expect(grade({ e1: D1, e2: C2, e3: C3 })).toEqual(graded(4, 6));
    expect(grade({ e1: D1, e2: D1, e3: D1 })).toEqual(graded(0, 6));
  });

  it('gives no credit for evidence left unmatched, whether empty or missing', () => {
    expect(grade({ e1: '', e2: C2, e3: C3 })).toEqual(graded(4, 6));
    expect(grade({ e2: C2, e3: C3 })).toEqual(graded(4, 6));
    expect(grade({ e1: '', e2: '', e3: '' })).toEqual(graded(0, 6));
    expect(grade({})).toEqual(graded(0, 6));
  });

  it('credits only the evidence a conclusion belongs to when one conclusion is used twice', () => {
    expect(grade({ e1: C1, e2: C1, e3: C3 })).toEqual(graded(4, 6));
  });

  it('scores no answer 0', () => {
    expect(gradeMatching(item, null, ids)).toEqual(graded(0, 6));
    expect(gradeMatching(item, undefined, ids)).toEqual(graded(0, 6));
  });

  it('rounds shares that do not divide evenly', () => {
    const seven = { ...item, points: 7 };
    expect(gradeMatching(seven, { matches: { e1: C1 } }, ids)).toEqual(graded(2.333, 7));
  });

  it('reports unknown evidence as invalid, naming it', () => {
    expect(grade({ e1: C1, e9: C2 })).toEqual({ status: 'invalid', reason: expect.stringContaining('"e9"') });
    expect(grade({ e9: '' })).toEqual(invalid);
  });

  it('reports an unknown conclusion id as invalid, naming it', () => {
    expect(grade({ e1: 'k99' })).toEqual({ status: 'invalid', reason: expect.stringContaining('"k99"') });
    // The conclusion's text is not its id: the learner submits ids only.
    expect(grade({ e1: 'Delivered to the return address' })).toEqual(invalid);
  });

  it('reports a conclusion that is not a string as invalid', () => {
    expect(grade({ e1: 1 })).toEqual(invalid);
    expect(grade({ e1: null })).toEqual(invalid);
    expect(grade({ e1: ['k1'] })).toEqual(invalid);
  });

  it('grades against the ids of the attempt it is given', () => {
    // With no conclusion ids (e.g. a caller forgot to pass them) nothing can be matched.
    expect(gradeMatching(item, { matches: { e1: C1 } }, new Map())).toEqual(invalid);
    for (let seed = 1; seed <= 25; seed++) {
      const map = conclusionIdMap(item, seed);
      const matches = Object.fromEntries(item.pairs.map((p) => [p.id, [...map].find(([, text]) => text === p.conclusion)?.[0] ?? '']));
      expect(gradeMatching(item, { matches }, map)).toEqual(graded(6, 6));
    }
  });

  it('reports a response of the wrong shape as invalid and never throws', () => {
    for (const response of JUNK) {
      expect(() => gradeMatching(item, response, ids)).not.toThrow();
      expect(gradeMatching(item, response, ids), JSON.stringify(response)).toEqual(invalid);
    }
  });
});

describe('gradeWritten', () => {
  const item = written();

  it('leaves a reply for a trainer, with the item’s points as the maximum', () => {
    expect(gradeWritten(item, { text: 'I understand, and I will take this from here.' })).toEqual({ status: 'ungraded', max: 4 });
    expect(gradeWritten(item, { text: '' })).toEqual({ status: 'ungraded', max: 4 });
  });

  it('leaves an unanswered item ungraded too', () => {
    expect(gradeWritten(item, null)).toEqual({ status: 'ungraded', max: 4 });
    expect(gradeWritten(item, undefined)).toEqual({ status: 'ungraded', max: 4 });
  });

  it('reports a response of the wrong shape as invalid and never throws', () => {
    for (const response of JUNK) {
      expect(() => gradeWritten(item, response)).not.toThrow();
      expect(gradeWritten(item, response), JSON.stringify(response)).toEqual(invalid);
    }
  });
});

describe('bestPathPoints', () => {
  it('finds the best complete path on a diamond, not the greedy one', () => {
    const item = diamond();
    expect(bestPathPoints(item)).toBe(9); // left 1 + x 5 + z 3, not right 2 + y 1 + z 3
    expect(bestPathPoints(item, 'r')).toBe(4);
    expect(bestPathPoints(item, 'l')).toBe(8);
    expect(bestPathPoints(item, 'bottom')).toBe(3);
  });

  it('adds the best choice of every step along the way', () => {
    expect(bestPathPoints(branching())).toBe(7);
    expect(bestPathPoints(branching(), 'verify')).toBe(5);
  });

  it('counts an unknown step as 0', () => {
    expect(bestPathPoints(branching(), 'nowhere')).toBe(0);
  });

  it('does not loop forever on a malformed conversation with a cycle', () => {
    const looping = branchingItem.parse({
      ...diamond(),
      start: 'a',
      steps: [
        { id: 'a', prompt: 'A', options: [{ id: 'go', text: 'Go', points: 1, feedback: 'f', next: 'b' }, { id: 'end', text: 'End', points: 0, feedback: 'f' }] },
        { id: 'b', prompt: 'B', options: [{ id: 'back', text: 'Back', points: 1, feedback: 'f', next: 'a' }, { id: 'end', text: 'End', points: 0, feedback: 'f' }] },
      ],
    });
    expect(bestPathPoints(looping)).toBe(2);
  });
});

describe('walkPath', () => {
  const item = branching();

  it('follows the conversation from the start and says where it is waiting', () => {
    const walk = walkPath(item, [{ stepId: 'greet', optionId: 'calm' }]);
    expect(walk).toEqual({ ok: true, taken: [{ stepId: 'greet', optionId: 'calm', points: 2, unsafe: false }], nextStepId: 'verify', complete: false });
  });

  it('is complete when the last choice ends the conversation', () => {
    const walk = walkPath(item, [
      { stepId: 'greet', optionId: 'blunt' },
      { stepId: 'verify', optionId: 'skip' },
      { stepId: 'close', optionId: 'hangup' },
    ]);
    expect(walk).toMatchObject({ ok: true, nextStepId: undefined, complete: true });
    expect(walkPath(item, [{ stepId: 'greet', optionId: 'password' }])).toMatchObject({ ok: true, complete: true });
  });

  it('has not started for an empty path', () => {
    expect(walkPath(item, [])).toEqual({ ok: true, taken: [], nextStepId: 'greet', complete: false });
  });
});

describe('gradeBranching', () => {
  const item = branching(); // 14 points, best path worth 7
  const path = (...choices: [string, string][]) => ({ path: choices.map(([stepId, optionId]) => ({ stepId, optionId })) });

  it('gives full points for the best path', () => {
    expect(gradeBranching(item, path(['greet', 'calm'], ['verify', 'ask-order'], ['close', 'summarise']))).toEqual(graded(14, 14));
  });

  it('scores the points along the path over the best path’s points', () => {
    expect(gradeBranching(item, path(['greet', 'calm'], ['verify', 'skip'], ['close', 'summarise']))).toEqual(graded(10, 14)); // 5/7
    expect(gradeBranching(item, path(['greet', 'blunt'], ['verify', 'ask-order'], ['close', 'hangup']))).toEqual(graded(6, 14)); // 3/7
    expect(gradeBranching(item, path(['greet', 'blunt'], ['verify', 'skip'], ['close', 'hangup']))).toEqual(graded(2, 14)); // 1/7
  });

  it('scores an unfinished conversation on the choices made so far', () => {
    expect(gradeBranching(item, path(['greet', 'calm']))).toEqual(graded(4, 14));
    expect(gradeBranching(item, path(['greet', 'calm'], ['verify', 'ask-order']))).toEqual(graded(10, 14));
    expect(gradeBranching(item, path())).toEqual(graded(0, 14));
  });

  it('scores no answer 0', () => {
    expect(gradeBranching(item, null)).toEqual(graded(0, 14));
    expect(gradeBranching(item, undefined)).toEqual(graded(0, 14));
  });

  it('reports a critical failure for an unsafe choice', () => {
    expect(gradeBranching(item, path(['greet', 'password']))).toEqual(graded(0, 14, true));
  });

  it('reports an unsafe choice later in the path even after points were earned', () => {
    const late = branchingItem.parse({
      ...item,
      steps: item.steps.map((s) =>
        s.id === 'close' ? { ...s, options: [...s.options, { id: 'card', text: 'Read me the card number.', points: 0, unsafe: true, feedback: 'f' }] } : s,
      ),
    });
    expect(gradeBranching(late, path(['greet', 'calm'], ['verify', 'ask-order'], ['close', 'card']))).toEqual(graded(10, 14, true));
  });

  it('scales by the best path on a diamond, where the greedy first choice is worse', () => {
    const item = diamond(); // 9 points, best path 9
    expect(gradeBranching(item, path(['top', 'left'], ['l', 'x'], ['bottom', 'z']))).toEqual(graded(9, 9));
    expect(gradeBranching(item, path(['top', 'right'], ['r', 'y'], ['bottom', 'z']))).toEqual(graded(6, 9));
    expect(gradeBranching(item, path(['top', 'right'], ['r', 'y0']))).toEqual(graded(2, 9));
    expect(gradeBranching({ ...item, points: 3 }, path(['top', 'right'], ['r', 'y'], ['bottom', 'z']))).toEqual(graded(2, 3));
  });

  it('scores 0 when no path can earn points', () => {
    const pointless = branchingItem.parse({
      ...diamond(),
      steps: diamond().steps.map((s) => ({ ...s, options: s.options.map((o) => ({ ...o, points: 0 })) })),
    });
    expect(gradeBranching(pointless, path(['top', 'left'], ['l', 'x'], ['bottom', 'z']))).toEqual(graded(0, 9));
  });

  it('reports a path that skips a step as invalid', () => {
    expect(gradeBranching(item, path(['greet', 'calm'], ['close', 'summarise']))).toEqual({
      status: 'invalid',
      reason: expect.stringContaining('"verify"'),
    });
    expect(gradeBranching(item, path(['verify', 'ask-order']))).toEqual(invalid);
  });

  it('reports a path that answers the steps out of order as invalid', () => {
    expect(gradeBranching(item, path(['verify', 'ask-order'], ['greet', 'calm']))).toEqual(invalid);
  });

  it('reports an option from another step as invalid', () => {
    expect(gradeBranching(item, path(['greet', 'ask-order']))).toEqual(invalid);
    expect(gradeBranching(item, path(['greet', 'calm'], ['verify', 'summarise']))).toEqual(invalid);
  });

  it('reports an unknown step or option as invalid', () => {
    expect(gradeBranching(item, path(['nowhere', 'calm']))).toEqual(invalid);
    expect(gradeBranching(item, path(['greet', 'nothing']))).toEqual(invalid);
  });

  it('reports choices after the conversation ended as invalid', () => {
    expect(gradeBranching(item, path(['greet', 'password'], ['verify', 'ask-order']))).toEqual(invalid);
    expect(gradeBranching(item, path(['greet', 'calm'], ['verify', 'skip'], ['close', 'hangup'], ['close', 'summarise']))).toEqual(invalid);
  });

  it('reports a choice whose ids are not strings as invalid, even when they would match once converted', () => {
    const numbered = branchingItem.parse({
      ...diamond(),
      start: '1',
      steps: [
        { id: '1', prompt: 'First', options: [{ id: '1', text: 'One', points: 1, feedback: 'f', next: '2' }, { id: '2', text: 'Two', points: 0, feedback: 'f' }] },
        { id: '2', prompt: 'Second', options: [{ id: '1', text: 'One', points: 1, feedback: 'f' }, { id: '2', text: 'Two', points: 0, feedback: 'f' }] },
      ],
    });
    expect(gradeBranching(numbered, { path: [{ stepId: '1', optionId: '1' }] })).toEqual(graded(4.5, 9));
    expect(gradeBranching(numbered, { path: [{ stepId: 1, optionId: 1 }] })).toEqual(invalid);
    expect(gradeBranching(numbered, { path: [{ stepId: '1', optionId: 1 }] })).toEqual(invalid);
  });

  it('reports a response of the wrong shape as invalid and never throws', () => {
    for (const response of [...JUNK, { path: [{ stepId: 'greet' }] }, { path: [{ stepId: 'greet', optionId: 'calm' }, 'verify'] }]) {
      expect(() => gradeBranching(item, response)).not.toThrow();
      expect(gradeBranching(item, response), JSON.stringify(response)).toEqual(invalid);
    }
  });
});

describe('gradeItem', () => {
  const ids = conclusionIdMap(matching(), 7);
  const c1 = [...ids].find(([, text]) => text === 'Delivered to the return address')?.[0];

  it('sends each type to its own grader', () => {
    expect(gradeItem(single(), { optionId: 'a' })).toEqual(graded(2, 2));
    expect(gradeItem(single(), { optionId: 'd' })).toEqual(graded(0, 2, true));
    expect(gradeItem(multiple(), { optionIds: ['a', 'b', 'd'] })).toEqual(graded(0.5, 3));
    expect(gradeItem(ordering(), { order: ['s1', 's2', 's4', 's3', 's5'] })).toEqual(graded(1, 4));
    expect(gradeItem(matching(), { matches: { e1: c1 } }, ids)).toEqual(graded(2, 6));
    expect(gradeItem(written(), { text: 'Hello' })).toEqual({ status: 'ungraded', max: 4 });
    expect(gradeItem(branching(), { path: [{ stepId: 'greet', optionId: 'calm' }] })).toEqual(graded(4, 14));
  });

  it('grades an item that went through the union schema', () => {
    const item: ScenarioItem = itemSchema.parse(single());
    expect(gradeItem(item, { optionId: 'a' })).toEqual(graded(2, 2));
  });

  it('has no conclusion ids for matching unless given them', () => {
    expect(gradeItem(matching(), { matches: { e1: c1 } })).toEqual(invalid);
    expect(gradeItem(matching(), { matches: { e1: '' } })).toEqual(graded(0, 6));
  });

  it('scores every unanswered item 0 (written: left for a trainer)', () => {
    for (const item of [single(), multiple(), ordering(), matching(), branching()]) {
      expect(gradeItem(item, null)).toEqual(graded(0, item.points));
    }
    expect(gradeItem(written(), null)).toEqual({ status: 'ungraded', max: 4 });
  });

  it('never throws, whatever the response', () => {
    for (const item of [single(), multiple(), ordering(), matching(), written(), branching()]) {
      for (const response of JUNK) expect(() => gradeItem(item, response, ids)).not.toThrow();
    }
  });
});

describe('scores stay between 0 and the maximum (seeded property checks)', () => {
  const inRange = (grade: Grade, max: number) => {
    expect(grade.status).toBe('graded');
    if (grade.status !== 'graded') return;
    expect(grade.max).toBe(max);
    expect(grade.score).toBeGreaterThanOrEqual(0);
    expect(grade.score).toBeLessThanOrEqual(max);
  };

  it('single: any option of any item', () => {
    const random = seededRandom(101);
    for (let run = 0; run < 300; run++) {
      const count = 2 + random.int(5);
      const right = random.int(count);
      const item = singleItem.parse({
        ...single(),
        points: 1 + random.int(20),
        options: Array.from({ length: count }, (_, i) => ({ id: `o${i}`, text: `Option ${i}`, correct: i === right, feedback: 'f' })),
      });
      const optionId = `o${random.int(count)}`;
      const result = gradeSingle(item, { optionId });
      inRange(result, item.points);
      expect(result.status === 'graded' && result.score).toBe(optionId === `o${right}` ? item.points : 0);
    }
  });

  it('multiple: any subset of the options of any item, matching the partial-credit rule', () => {
    const random = seededRandom(202);
    for (let run = 0; run < 500; run++) {
      const count = 3 + random.int(6);
      const correctCount = 1 + random.int(count - 1); // at least one correct and one wrong
      const correct = new Set(random.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, correctCount));
      const item = multipleItem.parse({
        ...multiple(),
        critical: false,
        points: 1 + random.int(20),
        options: Array.from({ length: count }, (_, i) => ({ id: `o${i}`, text: `Option ${i}`, correct: correct.has(i), feedback: 'f' })),
      });
      const chosen = random.shuffle(item.options).filter(() => random.next() < 0.5);
      const result = gradeMultiple(item, { optionIds: chosen.map((o) => o.id) });
      inRange(result, item.points);
      const right = chosen.filter((o) => o.correct).length;
      const wrong = chosen.length - right;
      const expected = Math.max(0, (item.points * right) / correctCount - (item.points * wrong) / (count - correctCount));
      expect(result.status === 'graded' && result.score).toBeCloseTo(expected, 2);
    }
  });

  it('ordering: any permutation of the steps, in whole shares of a pair', () => {
    const random = seededRandom(303);
    for (let run = 0; run < 500; run++) {
      const count = 3 + random.int(5);
      const item = orderingItem.parse({ ...ordering(1 + random.int(20), count) });
      const order = random.shuffle(item.steps.map((s) => s.id));
      const result = gradeOrdering(item, { order });
      inRange(result, item.points);
      if (result.status !== 'graded') continue;
      const pairs = (result.score * (count - 1)) / item.points;
      expect(Math.abs(pairs - Math.round(pairs))).toBeLessThan(0.01);
      if (order.join() === item.steps.map((s) => s.id).join()) expect(result.score).toBe(item.points);
      if (order.join() === item.steps.map((s) => s.id).reverse().join()) expect(result.score).toBe(0);
    }
  });

  it('matching: any assignment of conclusions, distractors or nothing', () => {
    const random = seededRandom(404);
    const item = matching();
    for (let run = 0; run < 500; run++) {
      const ids = conclusionIdMap(item, random.int(2 ** 32));
      const choices = ['', ...ids.keys()];
      const matches = Object.fromEntries(item.pairs.filter(() => random.next() < 0.9).map((p) => [p.id, random.pick(choices)]));
      const points = 1 + random.int(20);
      const result = gradeMatching({ ...item, points }, { matches }, ids);
      inRange(result, points);
      const right = item.pairs.filter((p) => matches[p.id] !== undefined && ids.get(matches[p.id] as string) === p.conclusion).length;
      expect(result.status === 'graded' && result.score).toBeCloseTo((points * right) / item.pairs.length, 2);
    }
  });

  it('branching: any walk through the conversation, finished or not', () => {
    const random = seededRandom(505);
    for (let run = 0; run < 500; run++) {
      const item = random.pick([branching(), diamond()]);
      const path: { stepId: string; optionId: string }[] = [];
      let stepId: string | undefined = item.start;
      while (stepId !== undefined && random.next() < 0.85) {
        const step = item.steps.find((s) => s.id === stepId);
        if (!step) break;
        const option = random.pick(step.options);
        path.push({ stepId, optionId: option.id });
        stepId = option.next;
      }
      const result = gradeBranching(item, { path });
      inRange(result, item.points);
    }
  });
});
