// Export to GIFT and read it back: every item type that GIFT can hold comes back as the same item.
// Run over the whole shipped scenario bank, plus a scenario full of GIFT's special characters.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scenarioSchema, type ScenarioFile, type ScenarioItem } from '~/content/scenario-schema';
import { escapeGift, scenariosToGift } from '~/domain/export/gift';
import { parseGift } from '~/domain/import/gift';
import { questionToDraft } from '~/domain/import/to-scenario';

const CONTENT = path.resolve(import.meta.dirname, '..', '..', 'content', 'scenarios');

let shipped: ScenarioFile[] | undefined;
function shippedScenarios(): ScenarioFile[] {
  return (shipped ??= fs
    .readdirSync(CONTENT, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => scenarioSchema.parse(parse(fs.readFileSync(path.join(CONTENT, f), 'utf8')))));
}

const tricky: ScenarioFile = scenarioSchema.parse({
  id: 'tricky-characters',
  title: 'Braces {like} these: #1 = ~ \\ all',
  week: 3,
  topic: 'payments',
  difficulty: 2,
  summary: 'A case whose texts use every character GIFT treats specially.',
  policies: ['2.5'],
  handoff: { intent: 'x', note: 'x', sentiment: 'calm', verified: true },
  customer: { name: 'A', role: 'buyer', mood: 'calm' },
  order: { id: 'ML-7302-118846', item: 'x', type: 'standard', lines: [{ label: 'Item', amount: 1 }] },
  timeline: [{ at: '2026-10-01 10:00', event: 'x' }],
  chat: [{ from: 'customer', text: 'x' }],
  items: [
    {
      id: 'specials',
      type: 'single',
      prompt: 'Which reply is right?\nRead: "a = b" {not code} #2 ~ C:\\temp',
      points: 2,
      explanation: 'Because of §2.5: refunds ~ 3 days; see {the} #handbook.',
      policies: ['2.5'],
      options: [
        { id: 'a', text: '%50% off is not a weight', correct: true, feedback: 'Right = good' },
        { id: 'b', text: '[html] is not a format here', feedback: 'No: {really}' },
        { id: 'c', text: 'Plain', feedback: 'Backslash \\ kept' },
      ],
    },
    {
      id: 'pairs',
      type: 'matching',
      topic: 'refund-release',
      prompt: 'Match the channels: each to its time.',
      points: 3,
      explanation: 'Handbook §2.5.',
      policies: ['2.5'],
      pairs: [
        { id: 'p1', evidence: 'Card = plastic', conclusion: 'Up to 10 business days ~ slow' },
        { id: 'p2', evidence: 'Bank app', conclusion: '1–3 business days -> fast' },
      ],
      distractors: ['Same day #never'],
    },
    {
      id: 'several',
      type: 'multiple',
      prompt: 'Which three apply?',
      points: 3,
      explanation: 'Three of five.',
      policies: ['2.5'],
      options: [
        { id: 'a', text: 'One', correct: true, feedback: 'Yes' },
        { id: 'b', text: 'Two', correct: true, feedback: 'Yes' },
        { id: 'c', text: 'Three', correct: true, feedback: 'Yes' },
        { id: 'd', text: 'Four', feedback: 'No' },
        { id: 'e', text: 'Five', feedback: 'No' },
      ],
    },
    {
      id: 'order',
      type: 'ordering',
      prompt: 'Order them.',
      points: 2,
      explanation: 'In order.',
      policies: ['2.5'],
      steps: [
        { id: 's1', text: 'One' },
        { id: 's2', text: 'Two' },
        { id: 's3', text: 'Three' },
      ],
    },
  ],
});

/** What of an item GIFT carries (not its ids: GIFT has none), in the shape the draft gives it back. */
function carried(item: ScenarioItem) {
  const common = { type: item.type, prompt: item.prompt, explanation: item.explanation };
  switch (item.type) {
    case 'single':
    case 'multiple':
      return { ...common, options: item.options.map((o) => ({ text: o.text, correct: o.correct, feedback: o.feedback })) };
    case 'matching':
      return { ...common, pairs: item.pairs.map((p) => ({ evidence: p.evidence, conclusion: p.conclusion })), distractors: item.distractors };
    case 'written':
      return common;
    default:
      return null;
  }
}

function roundTrip(scenarios: ScenarioFile[], caseSummary: boolean) {
  const exported = scenariosToGift(scenarios, { caseSummary });
  const parsed = parseGift(exported.text);
  const expected = scenarios.flatMap((s) =>
    s.items.flatMap((item) => {
      const c = carried(item);
      return c ? [{ ...c, prompt: caseSummary ? `${s.summary.trim()}\n\n${item.prompt}` : item.prompt, topic: item.topic ?? s.topic }] : [];
    }),
  );
  const back = parsed.questions.map((q, i) => {
    const { body } = questionToDraft(q, { format: 'gift', fileName: 'export.gift', id: `s${i}`, defaultTopic: 'case-notes' });
    const item = body.items[0] as ScenarioItem;
    return { ...carried(item), topic: body.topic };
  });
  return { exported, parsed, expected, back };
}

describe('export to GIFT and import again', () => {
  it('gives back every single, multiple, matching and written item of the shipped bank', () => {
    const scenarios = shippedScenarios();
    const { exported, parsed, expected, back } = roundTrip(scenarios, false);
    expect(parsed.skipped).toEqual([]);
    expect(exported.exported).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(50);
    expect(back).toEqual(expected);
    const orderingAndBranching = scenarios.flatMap((s) => s.items).filter((i) => i.type === 'ordering' || i.type === 'branching').length;
    expect(exported.notExported).toHaveLength(orderingAndBranching);
  });

  it('keeps GIFT special characters, format-like and weight-like texts, and line breaks', () => {
    const { parsed, expected, back, exported } = roundTrip([tricky], true);
    expect(parsed.skipped).toEqual([]);
    expect(back).toEqual(expected);
    expect(parsed.questions.map((q) => q.name)).toEqual(['Braces {like} these: #1 = ~ \\ all — specials', 'Braces {like} these: #1 = ~ \\ all — pairs', 'Braces {like} these: #1 = ~ \\ all — several']);
    expect(exported.notExported).toEqual([{ scenarioId: 'tricky-characters', itemId: 'order', reason: 'GIFT has no ordering question' }]);
  });

  it('writes multiple-choice weights that share 100% among the correct options and -100% among the wrong', () => {
    const text = scenariosToGift([tricky]).text;
    expect(text).toContain('\t~%33.33333%One#Yes\n');
    expect(text).toContain('\t~%-50%Four#No\n');
    const several = parseGift(text).questions.find((q) => q.name.endsWith('several'));
    expect(several?.type === 'multiple' && several.choices.map((c) => c.weight)).toEqual([33.33333, 33.33333, 33.33333, -50, -50]);
  });

  it('writes each topic once as a $CATEGORY that reads back as the topic', () => {
    const text = scenariosToGift([tricky]).text;
    expect(text.match(/^\$CATEGORY: .*$/gm)).toEqual(['$CATEGORY: $course$/top/Payments', '$CATEGORY: $course$/top/Refund release', '$CATEGORY: $course$/top/Payments']);
  });

  it('writes written replies as essays and says what they lose', () => {
    const scenarios = shippedScenarios().filter((s) => s.items.some((i) => i.type === 'written')).slice(0, 1);
    const exported = scenariosToGift(scenarios);
    const written = scenarios[0]?.items.find((i) => i.type === 'written');
    expect(exported.notes).toContainEqual({ scenarioId: scenarios[0]?.id, itemId: written?.id, note: expect.stringMatching(/model reply/) });
    const essay = parseGift(exported.text).questions.find((q) => q.sourceType === 'essay');
    expect(essay).toMatchObject({ type: 'written', acceptedAnswers: [], generalFeedback: written?.explanation.trim() });
  });
});

describe('escapeGift', () => {
  it('escapes the special characters and line breaks as Moodle writes them', () => {
    expect(escapeGift('a:b#c=d~e{f}g\\h\r\ni')).toBe('a\\:b\\#c\\=d\\~e\\{f\\}g\\\\h\\ni');
  });
});
