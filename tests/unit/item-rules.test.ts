import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { branchingItem, itemSchema, matchingItem, multipleItem, orderingItem, scenarioSchema, singleItem, writtenItem } from '~/content/scenario-schema';
import { branchingProblems, itemProblems } from '~/domain/item-rules';
import { branching, diamond, matching, multiple, ordering, single, written } from './scenario-items';

const problem = (pathInItem: (string | number)[], message: string | RegExp = /./) => ({
  path: pathInItem,
  message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
});

const option = (id: string, extra: Record<string, unknown> = {}) => ({ id, text: `Option ${id}`, feedback: `Because ${id}`, ...extra });
const choice = (id: string, next?: string, points = 1, extra: Record<string, unknown> = {}) => ({
  id,
  text: `Say ${id}`,
  points,
  feedback: `Because ${id}`,
  ...(next === undefined ? {} : { next }),
  ...extra,
});
const chat = (start: string, steps: { id: string; options: ReturnType<typeof choice>[] }[], extra: Record<string, unknown> = {}) =>
  branchingItem.parse({ ...diamond(), start, steps: steps.map((s) => ({ ...s, prompt: `Customer at ${s.id}` })), ...extra });

describe('itemProblems accepts well-formed items', () => {
  it.each([
    ['single', single],
    ['multiple', () => multiple()],
    ['ordering', () => ordering()],
    ['matching', matching],
    ['written', written],
    ['branching', branching],
    ['branching (diamond)', diamond],
  ])('%s', (_type, make) => {
    expect(itemProblems(make())).toEqual([]);
  });

  it('every item of the shipped example case', () => {
    const example = scenarioSchema.parse(
      parse(fs.readFileSync(path.join(process.cwd(), 'content/scenarios/week-3/seller-denies-signed-return.yaml'), 'utf8')),
    );
    for (const item of example.items) expect(itemProblems(item), item.id).toEqual([]);
  });
});

describe('itemProblems for single and multiple choice', () => {
  it('refuses a single-choice item with no correct option', () => {
    const item = singleItem.parse({ ...single(), critical: false, options: [option('a'), option('b'), option('c')] });
    expect(itemProblems(item)).toEqual([problem(['options'], 'it has 0')]);
  });

  it('refuses a single-choice item with two correct options', () => {
    const item = singleItem.parse({ ...single(), critical: false, options: [option('a', { correct: true }), option('b', { correct: true }), option('c')] });
    expect(itemProblems(item)).toEqual([problem(['options'], 'it has 2')]);
  });

  it('refuses a multiple-response item with no correct option', () => {
    const item = multipleItem.parse({ ...multiple(), critical: false, options: [option('a'), option('b'), option('c')] });
    expect(itemProblems(item)).toEqual([problem(['options'], 'at least one option correct')]);
  });

  it('refuses a multiple-response item where every option is correct', () => {
    const item = multipleItem.parse({
      ...multiple(),
      critical: false,
      options: [option('a', { correct: true }), option('b', { correct: true }), option('c', { correct: true })],
    });
    expect(itemProblems(item)).toEqual([problem(['options'], 'must be wrong')]);
  });

  it('accepts a multiple-response item with a single correct option', () => {
    const item = multipleItem.parse({ ...multiple(), critical: false, options: [option('a', { correct: true }), option('b'), option('c')] });
    expect(itemProblems(item)).toEqual([]);
  });

  it('points at every option whose id is used twice', () => {
    const item = singleItem.parse({ ...single(), critical: false, options: [option('a', { correct: true }), option('b'), option('a'), option('c')] });
    expect(itemProblems(item)).toEqual([problem(['options', 0, 'id'], '"a"'), problem(['options', 2, 'id'], '"a"')]);
    const many = multipleItem.parse({ ...multiple(), critical: false, options: [option('a', { correct: true }), option('b'), option('b'), option('b')] });
    expect(itemProblems(many)).toEqual([problem(['options', 1, 'id']), problem(['options', 2, 'id']), problem(['options', 3, 'id'])]);
  });

  it('refuses an option that is both unsafe and correct', () => {
    const item = singleItem.parse({ ...single(), critical: true, options: [option('a', { correct: true, unsafe: true }), option('b')] });
    expect(itemProblems(item)).toEqual([problem(['options', 0, 'unsafe'], 'cannot be correct')]);
    const many = multipleItem.parse({
      ...multiple(),
      critical: true,
      options: [option('a', { correct: true }), option('b'), option('c', { correct: true, unsafe: true })],
    });
    expect(itemProblems(many)).toEqual([problem(['options', 2, 'unsafe'], 'cannot be correct')]);
  });

  it('refuses a critical item with no unsafe option', () => {
    const item = singleItem.parse({ ...single(), critical: true, options: single().options.map((o) => ({ ...o, unsafe: false })) });
    expect(itemProblems(item)).toEqual([problem(['critical'], 'unsafe: true')]);
    const many = multipleItem.parse({ ...multiple(), critical: true, options: multiple().options.map((o) => ({ ...o, unsafe: false })) });
    expect(itemProblems(many)).toEqual([problem(['critical'], 'unsafe: true')]);
  });

  it('refuses an unsafe option on an item not marked critical', () => {
    expect(itemProblems(singleItem.parse({ ...single(), critical: false }))).toEqual([problem(['critical'], 'critical: true')]);
    expect(itemProblems(multipleItem.parse({ ...multiple(), critical: false }))).toEqual([problem(['critical'], 'critical: true')]);
  });

  it('reports every problem of an item at once', () => {
    const item = singleItem.parse({ ...single(), critical: false, options: [option('a'), option('a', { unsafe: true })] });
    expect(itemProblems(item)).toEqual([
      problem(['options', 0, 'id']),
      problem(['options', 1, 'id']),
      problem(['options'], 'it has 0'),
      problem(['critical'], 'critical: true'),
    ]);
  });
});

describe('itemProblems for ordering, matching and written', () => {
  it.each([
    ['ordering', () => orderingItem.parse({ ...ordering(), critical: true })],
    ['matching', () => matchingItem.parse({ ...matching(), critical: true })],
    ['written', () => writtenItem.parse({ ...written(), critical: true })],
  ])('refuses a critical %s item', (type, make) => {
    expect(itemProblems(make())).toEqual([problem(['critical'], `${type} item cannot be critical`)]);
  });

  it('points at every ordering step whose id is used twice', () => {
    const item = orderingItem.parse({ ...ordering(), steps: [{ id: 'x', text: 'One' }, { id: 'y', text: 'Two' }, { id: 'x', text: 'Three' }] });
    expect(itemProblems(item)).toEqual([problem(['steps', 0, 'id'], '"x"'), problem(['steps', 2, 'id'], '"x"')]);
  });

  it('points at every matching pair whose id is used twice', () => {
    const item = matchingItem.parse({ ...matching(), pairs: matching().pairs.map((p, i) => ({ ...p, id: i === 2 ? 'e1' : p.id })) });
    expect(itemProblems(item)).toEqual([problem(['pairs', 0, 'id'], '"e1"'), problem(['pairs', 2, 'id'], '"e1"')]);
  });

  it('refuses two pairs with the same conclusion, pointing at both', () => {
    const pairs = matching().pairs.map((p, i) => ({ ...p, conclusion: i === 2 ? 'Delivered to the return address' : p.conclusion }));
    const item = matchingItem.parse({ ...matching(), pairs });
    expect(itemProblems(item)).toEqual([problem(['pairs', 0, 'conclusion'], 'different'), problem(['pairs', 2, 'conclusion'], 'different')]);
  });

  it('refuses a distractor that repeats a conclusion', () => {
    const item = matchingItem.parse({ ...matching(), distractors: ['The buyer kept the speaker', 'Delivered to the return address'] });
    expect(itemProblems(item)).toEqual([problem(['pairs', 0, 'conclusion'], 'different'), problem(['distractors', 1], 'different')]);
  });

  it('refuses two identical distractors', () => {
    const item = matchingItem.parse({ ...matching(), distractors: ['The buyer kept the speaker', 'The buyer kept the speaker'] });
    expect(itemProblems(item)).toEqual([problem(['distractors', 0], 'different'), problem(['distractors', 1], 'different')]);
  });

  it('accepts a matching item without distractors', () => {
    expect(itemProblems(matchingItem.parse({ ...matching(), distractors: undefined }))).toEqual([]);
  });
});

describe('itemProblems for branching', () => {
  it('accepts a conversation that splits and joins again', () => {
    expect(itemProblems(diamond())).toEqual([]);
    expect(branchingProblems(branching())).toEqual([]);
  });

  it('refuses a choice leading to a step that does not exist', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('lost', 'nowhere'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 1, 'options', 0, 'next'], '"nowhere"')]);
  });

  it('refuses a choice leading back to its own step', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('again', 'b'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 1, 'options', 0, 'next'], 'its own step')]);
  });

  it('refuses a cycle between two steps (a → b → a), pointing at the choice that closes it', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('back', 'a'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 1, 'options', 0, 'next'], 'loop')]);
  });

  it('refuses a longer cycle that does not pass through the start', () => {
    const item = chat('s', [
      { id: 's', options: [choice('go', 'a'), choice('stop')] },
      { id: 'a', options: [choice('on', 'b'), choice('stop')] },
      { id: 'b', options: [choice('stop'), choice('on', 'c')] },
      { id: 'c', options: [choice('back', 'a'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 3, 'options', 0, 'next'], '"a"')]);
  });

  it('still follows the other choices of a step after finding a cycle', () => {
    // b's first choice closes a loop; its second choice is the only way to c, which is reachable.
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('back', 'a'), choice('on', 'c')] },
      { id: 'c', options: [choice('stop'), choice('end')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 1, 'options', 0, 'next'], 'loop')]);
  });

  it('reports a loop once, at the choice that closes it, when another branch joins the loop later', () => {
    const item = chat('s', [
      { id: 's', options: [choice('left', 'a'), choice('right', 'x')] },
      { id: 'a', options: [choice('on', 'b'), choice('stop')] },
      { id: 'b', options: [choice('back', 'a'), choice('stop')] },
      { id: 'x', options: [choice('join', 'b'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 2, 'options', 0, 'next'], 'loop')]);
  });

  it('refuses a step no path reaches, pointing at its id', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('stop'), choice('end')] },
      { id: 'orphan', options: [choice('go', 'b'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 2, 'id'], '"orphan"')]);
  });

  it('refuses a start that is not a step, and stops there', () => {
    const item = chat('nowhere', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('stop'), choice('end')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['start'], '"nowhere"')]);
  });

  it('refuses a conversation where no choice ends it', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('go2', 'b')] },
      { id: 'b', options: [choice('back', 'a'), choice('back2', 'a')] },
    ]);
    const problems = itemProblems(item);
    expect(problems).toContainEqual(problem(['steps'], 'ends the conversation'));
    expect(problems).toContainEqual(problem(['steps', 1, 'options', 0, 'next'], 'loop'));
  });

  it('refuses an unsafe choice that earns points', () => {
    const item = chat(
      'a',
      [
        { id: 'a', options: [choice('go', 'b'), choice('leak', undefined, 2, { unsafe: true })] },
        { id: 'b', options: [choice('stop'), choice('end')] },
      ],
      { critical: true },
    );
    expect(itemProblems(item)).toEqual([problem(['steps', 0, 'options', 1, 'points'], 'no points')]);
  });

  it('points at every step whose id is used twice', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('stop'), choice('end')] },
      { id: 'b', options: [choice('stop'), choice('end')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 1, 'id'], '"b"'), problem(['steps', 2, 'id'], '"b"')]);
  });

  it('points at every option whose id is used twice in a step', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('stop'), choice('end'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([problem(['steps', 1, 'options', 0, 'id'], '"stop"'), problem(['steps', 1, 'options', 2, 'id'], '"stop"')]);
  });

  it('allows the same option id in different steps', () => {
    const item = chat('a', [
      { id: 'a', options: [choice('go', 'b'), choice('stop')] },
      { id: 'b', options: [choice('go'), choice('stop')] },
    ]);
    expect(itemProblems(item)).toEqual([]);
  });

  it('refuses a critical conversation with no unsafe choice', () => {
    expect(itemProblems(branchingItem.parse({ ...diamond(), critical: true }))).toEqual([problem(['critical'], 'unsafe: true')]);
  });

  it('refuses an unsafe choice in a conversation not marked critical', () => {
    expect(itemProblems(branchingItem.parse({ ...branching(), critical: false }))).toEqual([problem(['critical'], 'critical: true')]);
  });

  it('checks items that went through the union schema the same way', () => {
    expect(itemProblems(itemSchema.parse({ ...branching(), start: 'nowhere' }))).toEqual([problem(['start'])]);
  });
});
