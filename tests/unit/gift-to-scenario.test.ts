// Imported questions (GIFT and Moodle XML) as studio drafts: the item maps as far as it can be
// valid; the case file is left for the trainer, which is what keeps a draft from being published.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '~/content/scenario-schema';
import { parseGift } from '~/domain/import/gift';
import { parseMoodleXml } from '~/domain/import/moodle-xml';
import { questionToDraft, slugFor, uniqueScenarioIds, type DraftContext } from '~/domain/import/to-scenario';
import type { ImportedQuestion } from '~/domain/import/types';

const context: DraftContext = { format: 'gift', fileName: 'bank.gift', id: 'imported-1', defaultTopic: 'case-notes' };
const one = (gift: string): ImportedQuestion => {
  const { questions, skipped } = parseGift(gift);
  if (questions.length !== 1) throw new Error(JSON.stringify(skipped));
  return questions[0] as ImportedQuestion;
};
const itemOf = (question: ImportedQuestion, ctx: Partial<DraftContext> = {}) => questionToDraft(question, { ...context, ...ctx }).body.items[0];

/** The fields zod rejects, as dotted paths. */
function invalidFields(body: unknown): string[] {
  const result = scenarioSchema.safeParse(body);
  return result.success ? [] : [...new Set(result.error.issues.map((i) => i.path.join('.')))].sort();
}

describe('a complete single-choice question', () => {
  const question = one(`$CATEGORY: $course$/top/Refund release

::Refund to a closed card::The buyer's card was closed. Where does the refund go? {
  =Back to the bank, which credits the account#Right: the bank re-routes it.
  ~Nowhere: it is lost#No: money is not lost.
  ~To a new card the buyer names#Never change the channel on request.
  ####Handbook §2.5: a refund to a closed card goes back to the bank.
}`);
  const { body, notes } = questionToDraft(question, context);

  it('becomes a draft scenario named after it, on the topic and week of its category', () => {
    expect(body).toMatchObject({
      id: 'imported-1',
      title: 'Refund to a closed card',
      topic: 'refund-release',
      week: 2,
      difficulty: 3,
      policies: [],
    });
    expect(body.summary).toBe(
      'Imported from the GIFT file “bank.gift” (line 3, category “$course$/top/Refund release”). Draft: write the case file around this question and cite the handbook before publishing.',
    );
    expect(notes).toEqual([]);
  });

  it('maps its answers, feedback and general feedback onto a single-choice item', () => {
    expect(body.items).toEqual([
      {
        id: 'refund-to-a-closed-card',
        type: 'single',
        prompt: "The buyer's card was closed. Where does the refund go?",
        points: 1,
        critical: false,
        explanation: 'Handbook §2.5: a refund to a closed card goes back to the bank.',
        policies: [],
        options: [
          { id: 'a', text: 'Back to the bank, which credits the account', correct: true, unsafe: false, feedback: 'Right: the bank re-routes it.' },
          { id: 'b', text: 'Nowhere: it is lost', correct: false, unsafe: false, feedback: 'No: money is not lost.' },
          { id: 'c', text: 'To a new card the buyer names', correct: false, unsafe: false, feedback: 'Never change the channel on request.' },
        ],
      },
    ]);
  });

  it('is invalid only where the trainer must write: the case file and the handbook citations', () => {
    expect(invalidFields(body)).toEqual([
      'chat.0.text',
      'customer.mood',
      'customer.name',
      'handoff.intent',
      'handoff.note',
      'items.0.policies',
      'order.id',
      'order.item',
      'policies',
      'timeline.0.at',
      'timeline.0.event',
    ]);
  });
});

describe('mapping each question type', () => {
  it('single choice: only the 100% answer is correct, and a partial weight is noted', () => {
    const question = one('Difficult question{~wrong answer ~%50%half credit answer =full credit answer}');
    const { body, notes } = questionToDraft(question, context);
    expect(body.items[0]?.type === 'single' && body.items[0].options.map((o) => o.correct)).toEqual([false, false, true]);
    expect(notes).toEqual(['“half credit answer” earned 50% in the source: a single-choice item has one correct option, so it now counts as wrong.']);
    // Missing feedback stays empty: the editor asks for it.
    expect(invalidFields(body)).toEqual(expect.arrayContaining(['items.0.explanation', 'items.0.options.0.feedback']));
  });

  it('multiple answers: positive weights are correct, zero and negative ones wrong; points are the correct count', () => {
    const question = one(`What two people are entombed in Grant's tomb? {
   ~%-100%No one
   ~%50%Grant
   ~%50%Grant's wife
   ~%-100%Grant's father
   ~Nobody at all
}`);
    const { body, notes } = questionToDraft(question, context);
    const item = body.items[0];
    expect(item?.type).toBe('multiple');
    expect(item?.type === 'multiple' && item.options.map((o) => [o.id, o.correct])).toEqual([
      ['a', false],
      ['b', true],
      ['c', true],
      ['d', false],
      ['e', false],
    ]);
    expect(item?.points).toBe(2);
    expect(notes).toEqual(['Answers worth 0% in the source take a share away here, like every wrong option.']);
  });

  it('multiple answers with different weights: noted, each correct option earning an equal share', () => {
    const { notes } = questionToDraft(one('Pick {~%70%a ~%30%b ~%-100%c}'), context);
    expect(notes).toEqual(['The correct answers had different weights (70%, 30%): here each correct option earns an equal share.']);
  });

  it('true/false: a single choice between True and False with the feedback of each', () => {
    const item = itemOf(one("Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.#Right.}"));
    expect(item).toMatchObject({
      type: 'single',
      options: [
        { id: 'a', text: 'True', correct: false, feedback: "No one is buried in Grant's tomb." },
        { id: 'b', text: 'False', correct: true, feedback: 'Right.' },
      ],
    });
  });

  it('matching: pairs of evidence and conclusion, distractors kept, a point per pair', () => {
    const item = itemOf(one('Match { =Card -> 10 days =Bank app -> 1 to 3 days = -> Same day ####From §2.5. }'));
    expect(item).toEqual({
      id: 'match',
      type: 'matching',
      prompt: 'Match',
      points: 2,
      critical: false,
      explanation: 'From §2.5.',
      policies: [],
      pairs: [
        { id: 'p1', evidence: 'Card', conclusion: '10 days' },
        { id: 'p2', evidence: 'Bank app', conclusion: '1 to 3 days' },
      ],
      distractors: ['Same day'],
    });
  });

  it('short answer: a written reply whose model reply and rubric hold the accepted answers by weight', () => {
    const xml = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'fixtures', 'import', 'moodle-sample.xml'), 'utf8');
    const question = parseMoodleXml(xml).questions.find((q) => q.sourceType === 'shortanswer') as ImportedQuestion;
    const { body, notes } = questionToDraft(question, { ...context, format: 'moodle-xml', fileName: 'bank.xml' });
    expect(body.items[0]).toMatchObject({
      type: 'written',
      points: 2,
      modelReply: 'seven',
      rubric: [
        {
          criterion: 'Gives an accepted answer',
          levels: [
            { points: 0, description: 'Gives none of the accepted answers' },
            { points: 1, description: 'Gives an accepted answer: “a week”' },
            { points: 2, description: 'Gives an accepted answer: “seven” or “7”' },
          ],
        },
      ],
    });
    expect(body.summary).toMatch(/^Imported from the Moodle XML file “bank\.xml” \(category/);
    expect(notes).toEqual([expect.stringMatching(/^A short answer: learners now write a reply/)]);
  });

  it('essay: a written reply, the grader information as model reply, the rubric left to write', () => {
    const graded = parseMoodleXml(
      '<quiz><question type="essay"><name><text>Explain</text></name><questiontext><text>Explain the delay.</text></questiontext><graderinfo><text>Names the hub.</text></graderinfo></question></quiz>',
    ).questions[0] as ImportedQuestion;
    const { body, notes } = questionToDraft(graded, context);
    expect(body.items[0]).toMatchObject({ type: 'written', points: 4, modelReply: 'Names the hub.', rubric: [] });
    expect(notes).toEqual(['An essay: its grader information became the model reply; write the rubric.']);
    expect(questionToDraft(one('How are you? {}'), context).notes).toEqual(['An essay: write the model reply and the rubric.']);
  });
});

describe('names, topics and ids', () => {
  it('gives the default topic and its week when the category names no topic', () => {
    const { body } = questionToDraft(one('$CATEGORY: tom/dick/harry\n\nQ? {T}'), { ...context, defaultTopic: 'fraud-abuse' });
    expect(body).toMatchObject({ topic: 'fraud-abuse', week: 4 });
  });

  it('makes a title of 5 to 100 characters from any name', () => {
    expect(questionToDraft(one('::Q1:: 1+1=2 {T}'), context).body.title).toBe('Imported question: Q1');
    const long = questionToDraft(one(`::${'Long name '.repeat(20)}::Q? {T}`), context).body.title;
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });

  it('makes ids that are unique among the taken ones and each other', () => {
    expect(uniqueScenarioIds(['Refund: the basics', 'Refund — the basics!', '日本語', ''], new Set(['refund-the-basics']))).toEqual([
      'refund-the-basics-2',
      'refund-the-basics-3',
      'imported-question',
      'imported-question-2',
    ]);
    expect(slugFor('Crème brûlée, 2 × 3', 60)).toBe('creme-brulee-2-3');
    expect(slugFor('a'.repeat(40) + ' b', 32)).toBe('a'.repeat(32));
  });
});
