import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioSchema, type ScenarioItem } from '~/content/scenario-schema';
import { gradeMatching } from '~/domain/grading';
import { matchingItem } from '~/content/scenario-schema';
import { conclusionIdMap, matchingConclusions, presentItem, type Choice, type PublicItem } from '~/domain/presentation';
import { branching, diamond, matching, multiple, ordering, SECRET, single, written } from './scenario-items';
import { keyPaths, secretTexts } from '../support/answer-secrets';

const SEEDS = Array.from({ length: 40 }, (_, i) => i * 7919 + 1);

const example = scenarioSchema.parse(
  parse(fs.readFileSync(path.join(process.cwd(), 'content/scenarios/week-3/seller-denies-signed-return.yaml'), 'utf8')),
);

const FORBIDDEN_KEYS = ['correct', 'unsafe', 'feedback', 'explanation', 'next', 'modelReply', 'rubric', 'pairs', 'conclusion', 'distractors', 'start'];

function expectNothingGivenAway(item: ScenarioItem, shown: PublicItem) {
  const json = JSON.stringify(shown);
  for (const text of secretTexts(item)) expect(json, `gives away "${text}"`).not.toContain(text);
  expect(json).not.toContain(SECRET);
  for (const keyPath of keyPaths(JSON.parse(json))) {
    const key = keyPath[keyPath.length - 1] as string;
    expect(FORBIDDEN_KEYS, keyPath.join('.')).not.toContain(key);
    // The item's own points are public; points per option or per step are not.
    if (key === 'points') expect(keyPath, keyPath.join('.')).toEqual(['points']);
  }
}

const ids = (choices: Choice[]) => choices.map((c) => c.id);

describe('presentItem gives nothing away', () => {
  const cases: [string, () => ScenarioItem][] = [
    ['single', single],
    ['multiple', () => multiple()],
    ['ordering', () => ordering()],
    ['matching', matching],
    ['written', written],
    ['branching', branching],
  ];

  it.each(cases)('%s: no correctness, points per choice, feedback, explanation or model answer', (_type, make) => {
    const item = make();
    for (const seed of SEEDS) expectNothingGivenAway(item, presentItem(item, seed));
  });

  it('branching: nothing given away at any point of the conversation', () => {
    const item = branching();
    const paths = [
      [],
      [{ stepId: 'greet', optionId: 'calm' }],
      [{ stepId: 'greet', optionId: 'blunt' }, { stepId: 'verify', optionId: 'skip' }],
      [{ stepId: 'greet', optionId: 'calm' }, { stepId: 'verify', optionId: 'ask-order' }, { stepId: 'close', optionId: 'summarise' }],
      [{ stepId: 'greet', optionId: 'password' }],
    ];
    for (const seed of SEEDS.slice(0, 5)) for (const path of paths) expectNothingGivenAway(item, presentItem(item, seed, { path }));
  });

  it('the check above does catch a leak', () => {
    const item = single();
    const shown = presentItem(item, 1);
    expect(() => expectNothingGivenAway(item, { ...shown, options: item.options } as PublicItem)).toThrow();
    const chat = branching();
    const step = presentItem(chat, 1);
    if (step.type !== 'branching' || !step.current) throw new Error('expected a current step');
    const withPoints = { ...step, current: { ...step.current, options: step.current.options.map((o) => ({ ...o, points: 1 })) } };
    expect(() => expectNothingGivenAway(chat, withPoints)).toThrow();
  });

  it('the shipped example case gives nothing away either', () => {
    expect(example.items.map((i) => i.type).sort()).toEqual(['multiple', 'ordering', 'single', 'written']);
    for (const item of example.items) {
      for (const seed of SEEDS.slice(0, 5)) expectNothingGivenAway(item, presentItem(item, seed));
    }
  });

  it('keeps what the learner needs: id, prompt, points and the texts to choose from', () => {
    const item = single();
    const shown = presentItem(item, 1);
    expect(shown).toMatchObject({ id: 'first-move', type: 'single', prompt: item.prompt, points: 2 });
    expect(shown.type === 'single' && [...shown.options].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      item.options.map(({ id, text }) => ({ id, text })),
    );
    expect(presentItem(written(), 1)).toEqual({ id: 'reply-to-seller', type: 'written', prompt: written().prompt, points: 4 });
  });
});

describe('presentItem option order', () => {
  const shownOrder = (item: ScenarioItem, seed: number, response: unknown = null): string[] => {
    const shown = presentItem(item, seed, response);
    switch (shown.type) {
      case 'single':
      case 'multiple':
        return ids(shown.options);
      case 'ordering':
        return ids(shown.steps);
      case 'matching':
        return shown.conclusions.map((c) => c.text);
      case 'branching':
        return shown.current ? ids(shown.current.options) : [];
      case 'written':
        return [];
    }
  };
  const cases: [string, () => ScenarioItem, string[]][] = [
    ['single', single, ['a', 'b', 'c', 'd']],
    ['multiple', () => multiple(), ['a', 'b', 'c', 'd', 'e']],
    ['ordering', () => ordering(), ['s1', 's2', 's3', 's4', 's5']],
    ['matching', matching, [...matching().pairs.map((p) => p.conclusion), ...matching().distractors]],
    ['branching', branching, ['calm', 'blunt', 'password']],
  ];

  it.each(cases)('%s: is a permutation of the choices', (_type, make, original) => {
    for (const seed of SEEDS) expect([...shownOrder(make(), seed)].sort()).toEqual([...original].sort());
  });

  it.each(cases)('%s: is the same every time for one seed (a reload or a resume)', (_type, make) => {
    for (const seed of SEEDS) expect(shownOrder(make(), seed)).toEqual(shownOrder(make(), seed));
  });

  it.each(cases)('%s: changes with the seed', (_type, make) => {
    const orders = new Set(SEEDS.map((seed) => shownOrder(make(), seed).join('|')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('single and multiple: do not always show the options in the authored order', () => {
    for (const make of [single, () => multiple()]) {
      const authored = make().options.map((o) => o.id).join('|');
      expect(SEEDS.some((seed) => shownOrder(make(), seed).join('|') !== authored)).toBe(true);
    }
  });

  it('differs between items with the same choices in one attempt', () => {
    const other = { ...single(), id: 'second-move' };
    expect(SEEDS.some((seed) => shownOrder(single(), seed).join() !== shownOrder(other, seed).join())).toBe(true);
  });

  it('ordering: never shows the steps in the correct order', () => {
    for (const count of [3, 4, 5, 7]) {
      const item = ordering(3, count);
      const correct = item.steps.map((s) => s.id).join('|');
      for (let seed = 0; seed < 1000; seed++) expect(shownOrder(item, seed).join('|'), `seed ${seed}`).not.toBe(correct);
    }
  });

  it('ordering: shows each step with its text', () => {
    const item = ordering();
    const shown = presentItem(item, 3);
    expect(shown.type === 'ordering' && [...shown.steps].sort((a, b) => a.id.localeCompare(b.id))).toEqual(item.steps);
  });
});

describe('presentItem for matching', () => {
  const item = matching();
  const allConclusions = [...item.pairs.map((p) => p.conclusion), ...item.distractors];

  it('shows the evidence and every conclusion under opaque ids k1…kn', () => {
    for (const seed of SEEDS) {
      const shown = presentItem(item, seed);
      if (shown.type !== 'matching') throw new Error('expected matching');
      expect(shown.evidence).toEqual(item.pairs.map((p) => ({ id: p.id, text: p.evidence })));
      expect(ids(shown.conclusions)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
      expect(shown.conclusions.map((c) => c.text).sort()).toEqual([...allConclusions].sort());
    }
  });

  it('gives a conclusion a different id in different attempts', () => {
    const idOfFirst = (seed: number) => matchingConclusions(item, seed).find((c) => c.text === item.pairs[0]?.conclusion)?.id;
    expect(new Set(SEEDS.map(idOfFirst)).size).toBeGreaterThan(1);
  });

  it('never lists the conclusions in the order of their evidence, even with two pairs and no distractors', () => {
    const two = matchingItem.parse({ ...item, pairs: item.pairs.slice(0, 2), distractors: [] });
    for (let seed = 0; seed < 500; seed++) {
      const shown = matchingConclusions(two, seed).map((c) => c.text);
      expect(shown).not.toEqual(two.pairs.map((p) => p.conclusion));
    }
  });

  it('maps the ids shown back to their conclusions with conclusionIdMap', () => {
    for (const seed of SEEDS) {
      const shown = presentItem(item, seed);
      if (shown.type !== 'matching') throw new Error('expected matching');
      expect(conclusionIdMap(item, seed)).toEqual(new Map(shown.conclusions.map((c) => [c.id, c.text])));
    }
  });

  it('lets a learner who matches what they see score full marks', () => {
    for (const seed of SEEDS) {
      const shown = presentItem(item, seed);
      if (shown.type !== 'matching') throw new Error('expected matching');
      const matches = Object.fromEntries(
        item.pairs.map((p) => [p.id, shown.conclusions.find((c) => c.text === p.conclusion)?.id ?? '']),
      );
      expect(gradeMatching(item, { matches }, conclusionIdMap(item, seed))).toMatchObject({ status: 'graded', score: 6 });
    }
  });

  it('has no conclusion ids for other types', () => {
    for (const other of [single(), multiple(), ordering(), written(), branching()]) expect(conclusionIdMap(other, 1).size).toBe(0);
  });
});

describe('presentItem for branching', () => {
  const item = branching();
  const step = (id: string) => {
    const found = item.steps.find((s) => s.id === id);
    if (!found) throw new Error(id);
    return found;
  };
  const present = (response: unknown, seed = 11) => {
    const shown = presentItem(item, seed, response);
    if (shown.type !== 'branching') throw new Error('expected branching');
    return shown;
  };
  const choicesOf = (id: string) => step(id).options.map(({ id, text }) => ({ id, text }));
  const sorted = (choices: Choice[]) => [...choices].sort((a, b) => a.id.localeCompare(b.id));

  it('starts at the start step with no history', () => {
    for (const response of [null, undefined, { path: [] }]) {
      const shown = present(response);
      expect(shown.history).toEqual([]);
      expect(shown.current).toMatchObject({ id: 'greet', prompt: step('greet').prompt });
      expect(sorted(shown.current?.options ?? [])).toEqual(sorted(choicesOf('greet')));
    }
  });

  it('shows the choices made so far and the step now waiting', () => {
    const shown = present({ path: [{ stepId: 'greet', optionId: 'calm' }] });
    expect(shown.history).toEqual([{ prompt: step('greet').prompt, choice: 'I understand, let me look at this with you.' }]);
    expect(shown.current).toMatchObject({ id: 'verify', prompt: step('verify').prompt });
    expect(sorted(shown.current?.options ?? [])).toEqual(sorted(choicesOf('verify')));

    const later = present({ path: [{ stepId: 'greet', optionId: 'blunt' }, { stepId: 'verify', optionId: 'skip' }] });
    expect(later.history).toEqual([
      { prompt: step('greet').prompt, choice: 'The tracking says delivered.' },
      { prompt: step('verify').prompt, choice: 'I will pass it on.' },
    ]);
    expect(later.current?.id).toBe('close');
  });

  it('shows only the current step: no prompt or choice of a step not reached', () => {
    const json = JSON.stringify(present({ path: [{ stepId: 'greet', optionId: 'calm' }] }));
    expect(json).not.toContain(step('close').prompt);
    for (const option of step('close').options) expect(json).not.toContain(option.text);
    // Choices not taken at an earlier step are gone too.
    expect(json).not.toContain('The tracking says delivered.');
    expect(json).not.toContain('Send me your account password.');
  });

  it('has no current step once the conversation has ended', () => {
    const done = present({
      path: [
        { stepId: 'greet', optionId: 'calm' },
        { stepId: 'verify', optionId: 'ask-order' },
        { stepId: 'close', optionId: 'summarise' },
      ],
    });
    expect(done.current).toBeNull();
    expect(done.history.map((h) => h.prompt)).toEqual(item.steps.map((s) => s.prompt));

    const cutShort = present({ path: [{ stepId: 'greet', optionId: 'password' }] });
    expect(cutShort.current).toBeNull();
    expect(cutShort.history).toEqual([{ prompt: step('greet').prompt, choice: 'Send me your account password.' }]);
  });

  it('falls back to the start when the saved path is not one the conversation allows', () => {
    const invalidPaths = [
      [{ stepId: 'greet', optionId: 'calm' }, { stepId: 'close', optionId: 'summarise' }], // skips a step
      [{ stepId: 'verify', optionId: 'ask-order' }], // does not start at the start
      [{ stepId: 'greet', optionId: 'ask-order' }], // an option of another step
      [{ stepId: 'greet', optionId: 'password' }, { stepId: 'verify', optionId: 'skip' }], // after the end
    ];
    for (const path of invalidPaths) {
      const shown = present({ path });
      expect(shown.history, JSON.stringify(path)).toEqual([]);
      expect(shown.current?.id, JSON.stringify(path)).toBe('greet');
    }
  });

  it('falls back to the start for a saved response of the wrong shape', () => {
    for (const response of ['greet', 42, { path: 'greet' }, { optionId: 'calm' }, [{ stepId: 'greet', optionId: 'calm' }]]) {
      const shown = present(response);
      expect(shown.history).toEqual([]);
      expect(shown.current?.id).toBe('greet');
    }
  });

  it('shows the same order of choices for a step on every reload, and other orders in other attempts', () => {
    const response = { path: [{ stepId: 'greet', optionId: 'calm' }] };
    for (const seed of SEEDS) expect(present(response, seed).current?.options).toEqual(present(response, seed).current?.options);
    expect(new Set(SEEDS.map((seed) => ids(present(null, seed).current?.options ?? []).join())).size).toBeGreaterThan(1);
  });

  it('works on a conversation that joins up again (diamond)', () => {
    const shown = presentItem(diamond(), 5, { path: [{ stepId: 'top', optionId: 'right' }, { stepId: 'r', optionId: 'y' }] });
    expect(shown).toMatchObject({ type: 'branching', history: [{ prompt: 'Top', choice: 'Right' }, { prompt: 'Right side', choice: 'Y' }], current: { id: 'bottom' } });
  });
});
