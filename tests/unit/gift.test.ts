// GIFT as the Moodle documentation writes it (tests/fixtures/import/spec-examples.gift copies the
// examples of https://docs.moodle.org/en/GIFT_format) and the edge cases around it (edge-cases.gift).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGift } from '~/domain/import/gift';
import { categoryLeaf, countByType, ImportFileError, topicForCategory, type ImportedQuestion } from '~/domain/import/types';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'import');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function byLine(questions: ImportedQuestion[], line: number): ImportedQuestion {
  const found = questions.find((q) => q.line === line);
  if (!found) throw new Error(`no question on line ${line}: ${questions.map((q) => q.line).join(', ')}`);
  return found;
}

function choicesOf(question: ImportedQuestion) {
  if (question.type !== 'single' && question.type !== 'multiple') throw new Error(`${question.name} is a ${question.type} question`);
  return question.choices.map((c) => [c.text, c.weight, c.feedback]);
}

describe('the examples of the GIFT documentation', () => {
  const { questions, skipped } = parseGift(read('spec-examples.gift'));

  it('imports every question type the page shows except numerical, which is listed with its line', () => {
    expect(questions).toHaveLength(26);
    expect(countByType(questions)).toEqual({ single: 16, written: 7, matching: 2, multiple: 1 });
    expect(skipped).toEqual([
      { line: 41, reason: expect.stringMatching(/^a numerical question/) },
      { line: 43, reason: expect.stringMatching(/^a numerical question/) },
      { line: 121, reason: expect.stringMatching(/^a numerical question/) },
    ]);
  });

  it('reads multiple choice: = is the right answer, ~ the wrong ones, on one line or several', () => {
    expect(byLine(questions, 5)).toMatchObject({ type: 'single', sourceType: 'multichoice', prompt: "Who's buried in Grant's tomb?" });
    expect(choicesOf(byLine(questions, 5))).toEqual([['Grant', 0, ''], ['Jefferson', 0, ''], ['no one', 100, '']]);
    expect(choicesOf(byLine(questions, 15))).toEqual([['India', 0, ''], ['China', 100, ''], ['Korea', 0, ''], ['Egypt', 0, '']]);
  });

  it('puts a blank where the answers stand inside a sentence (missing word)', () => {
    expect(byLine(questions, 7).prompt).toBe("Grant is _____ in Grant's tomb.");
    expect(byLine(questions, 9).prompt).toBe('The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.');
    expect(byLine(questions, 24).prompt).toBe('Two plus two equals _____.');
    // The closing punctuation after the block makes it a missing-word question too.
    expect(byLine(questions, 91).prompt).toBe('Jesus Christ was from _____.');
  });

  it('reads short answers (= answers only) as written replies with their accepted answers', () => {
    const grant = byLine(questions, 22);
    expect(grant).toMatchObject({ type: 'written', sourceType: 'shortanswer' });
    expect(grant.type === 'written' && grant.acceptedAnswers.map((a) => [a.text, a.weight])).toEqual([
      ['Grant', 100],
      ['Ulysses S. Grant', 100],
      ['Ulysses Grant', 100],
    ]);
    const hometown = byLine(questions, 98);
    expect(hometown.type === 'written' && hometown.acceptedAnswers.map((a) => [a.text, a.weight, a.feedback])).toEqual([
      ['Nazareth', 100, "Yes! That's right!"],
      ['Nazereth', 75, 'Right, but misspelled.'],
      ['Bethlehem', 25, 'He was born here, but not raised here.'],
    ]);
  });

  it('reads true/false as a choice between True and False, the first feedback going to the wrong answer', () => {
    expect(byLine(questions, 27)).toMatchObject({ type: 'single', sourceType: 'truefalse' });
    expect(choicesOf(byLine(questions, 27))).toEqual([['True', 0, ''], ['False', 100, '']]);
    expect(choicesOf(byLine(questions, 29))).toEqual([['True', 100, ''], ['False', 0, '']]);
    expect(choicesOf(byLine(questions, 62))).toEqual([['True', 0, "No one is buried in Grant's tomb."], ['False', 100, '']]);
  });

  it('reads matching pairs and the general feedback after ####', () => {
    const capitals = byLine(questions, 32);
    expect(capitals).toMatchObject({ type: 'matching', generalFeedback: "It's good to know the capitals", distractors: [] });
    expect(capitals.type === 'matching' && capitals.pairs).toEqual([
      { prompt: 'Canada', answer: 'Ottawa' },
      { prompt: 'Italy', answer: 'Rome' },
      { prompt: 'Japan', answer: 'Tokyo' },
      { prompt: 'India', answer: 'New Delhi' },
    ]);
    expect(byLine(questions, 126)).toMatchObject({ name: 'Q9', generalFeedback: 'The answer is yellow' });
  });

  it('reads an empty block as an essay', () => {
    expect(byLine(questions, 46)).toMatchObject({ type: 'written', sourceType: 'essay', prompt: 'Write a short biography of Dag Hammarskjöld.', acceptedAnswers: [] });
    expect(byLine(questions, 124)).toMatchObject({ type: 'written', sourceType: 'essay', name: 'Q8', prompt: 'How are you?' });
  });

  it('reads weights: no = answer makes a multiple-answer question, negative weights included', () => {
    expect(byLine(questions, 49).type).toBe('multiple');
    expect(choicesOf(byLine(questions, 49))).toEqual([['No one', -100, ''], ['Grant', 50, ''], ["Grant's wife", 50, ''], ["Grant's father", -100, '']]);
    // With an = answer it stays single choice, partial weights kept for the mapping to decide.
    expect(byLine(questions, 89).type).toBe('single');
    expect(choicesOf(byLine(questions, 89))).toEqual([['wrong answer', 0, ''], ['half credit answer', 50, ''], ['full credit answer', 100, '']]);
  });

  it('keeps the feedback of each answer', () => {
    expect(choicesOf(byLine(questions, 57))).toEqual([
      ['wrong answer', 0, 'feedback comment on the wrong answer'],
      ['another wrong answer', 0, 'feedback comment on this wrong answer'],
      ['right answer', 100, 'Very good!'],
    ]);
    expect(choicesOf(byLine(questions, 111))).toEqual([['yellow', 100, 'right; good!'], ['red', 0, "wrong, it's yellow"], ['blue', 0, "wrong, it's yellow"]]);
  });

  it('reads escaped special characters as text', () => {
    expect(choicesOf(byLine(questions, 65))).toEqual([['= 2 + 2', 0, ''], ['= 2 + 3', 100, ''], ['= 2 + 4', 0, '']]);
  });

  it('takes names from ::title::, else from the start of the text, and keeps lines of a multi-line question', () => {
    expect(byLine(questions, 72)).toMatchObject({ name: 'Kanji-Origin', prompt: 'Japanese characters originally\ncame from what country?' });
    expect(byLine(questions, 75).name).toBe('Thanksgiving Date');
    expect(byLine(questions, 9).name).toBe('The American holiday of Thanksgiving is celebrated on the…');
    expect(byLine(questions, 108)).toMatchObject({ name: 'Q1', prompt: '1+1=2' });
  });

  it('keeps Markdown as written, since it reads as text', () => {
    expect(byLine(questions, 82).prompt).toBe('The **American holiday of Thanksgiving** is celebrated on the _____ Thursday of November.');
  });

  it('applies $CATEGORY to the questions after it, naming a topic only when its last part is one', () => {
    expect(byLine(questions, 5)).toMatchObject({ category: null, topic: null });
    expect(byLine(questions, 82)).toMatchObject({ category: 'tom/dick/harry', topic: null });
    expect(byLine(questions, 108)).toMatchObject({ category: '$course$/top/Privacy and safety', topic: 'privacy-safety' });
  });
});

describe('edge cases', () => {
  const { questions, skipped } = parseGift(read('edge-cases.gift'));

  it('reads every escape: \\: \\# \\= \\{ \\} \\~ \\n and \\\\', () => {
    const q = byLine(questions, 6);
    expect(q.name).toBe('Escapes: all of them');
    expect(q.prompt).toBe('A colon: a hash # an equals = braces { and } a tilde ~,\na new line and a backslash \\ too.');
    expect(choicesOf(q)).toEqual([
      ['The answer has {braces} and 50% off', 100, 'Feedback with = and #'],
      ['Wrong ~ answer', 0, 'Nope: wrong'],
    ]);
  });

  it('leaves out comment lines, also inside a question and between its answers', () => {
    const q = byLine(questions, 11);
    expect(q).toMatchObject({ name: 'Multi line question text', prompt: 'First line of the question,\nsecond line of the question,\nthird line.' });
    expect(choicesOf(q)).toEqual([['right', 100, ''], ['wrong', 0, '']]);
  });

  it('turns [html] into its text without tags or scripts, notes the image, and honours [plain] per part', () => {
    const q = byLine(questions, 22);
    expect(q.prompt).toBe('Is this bold & safe?');
    expect(q.notes).toEqual([expect.stringMatching(/image/)]);
    expect(choicesOf(q)).toEqual([['<b>Yes</b>, shown as written', 100, 'Right'], ['No', 0, '']]);
    const plain = byLine(questions, 27);
    expect(plain.prompt).toBe('2 < 3 and <b>not bold</b>');
    expect(choicesOf(plain)).toEqual([['True', 100, 'right feedback'], ['False', 0, 'wrong feedback']]);
  });

  it('keeps negative weights of a multiple-answer question', () => {
    expect(choicesOf(byLine(questions, 29))).toEqual([
      ['Original payment method', 50, 'Yes'],
      ['Marketlane wallet', 50, 'Yes'],
      ['Cash by post', -100, 'Never'],
      ['A gift card from the seller', -50, 'No'],
    ]);
  });

  it('lists what it cannot read with the line and the reason', () => {
    expect(skipped).toEqual([
      { line: 36, reason: expect.stringMatching(/no answer block/) },
      { line: 38, reason: expect.stringMatching(/unbalanced braces/) },
      { line: 40, reason: expect.stringMatching(/more than one answer block/) },
      { line: 42, reason: expect.stringMatching(/numerical/) },
      { line: 44, reason: 'answer 1 has the weight 150%: weights go from -100% to 100%' },
      { line: 46, reason: 'answer 2 is empty' },
      { line: 48, reason: 'a multiple-choice question needs at least two answers' },
      { line: 57, reason: 'matching pair 2 has no "->" between the item and its match' },
    ]);
  });

  it('reads "= -> answer" as a matching distractor', () => {
    expect(byLine(questions, 50)).toMatchObject({
      type: 'matching',
      pairs: [
        { prompt: 'Card', answer: '10 business days' },
        { prompt: 'Bank app', answer: '1 to 3 business days' },
      ],
      distractors: ['Same day'],
      generalFeedback: 'Timings from the handbook, §2.5.',
    });
  });

  it('reads weighted short answers, and {true} in lower case as a short answer (as Moodle does)', () => {
    const q = byLine(questions, 59);
    expect(q.type === 'written' && q.acceptedAnswers).toEqual([
      { text: '2.5', weight: 100, feedback: 'Exactly' },
      { text: 'Section two', weight: 50, feedback: 'Close: which subsection?' },
    ]);
    expect(byLine(questions, 64)).toMatchObject({ type: 'written', sourceType: 'shortanswer', prompt: 'Is lower-case _____ a true/false answer?' });
  });

  it('maps categories to topics by their last part, whatever the case and spacing', () => {
    expect(byLine(questions, 6)).toMatchObject({ category: '$course$/top/Default for Frontline/Refund Release', topic: 'refund-release' });
    expect(byLine(questions, 66).topic).toBe('refund-release');
    expect(byLine(questions, 70)).toMatchObject({ category: 'Policies//Procedures/Unknown topic', topic: null });
    // A question may follow its $CATEGORY line without a blank line between.
    expect(byLine(questions, 73)).toMatchObject({ category: '$course$/top/Payments', topic: 'payments', prompt: 'Category and question without a blank line' });
  });
});

describe('the file as a whole', () => {
  it('reads Windows line ends and a byte-order mark, and reports lines as an editor numbers them', () => {
    const { questions } = parseGift('\uFEFF// comment\r\n\r\n::A::First {=a ~b}\r\n\r\n\r\n::B::Second {T}\r\n');
    expect(questions.map((q) => [q.name, q.line, q.prompt])).toEqual([
      ['A', 3, 'First'],
      ['B', 6, 'Second'],
    ]);
  });

  it('returns nothing for an empty file or one with comments only', () => {
    expect(parseGift('')).toEqual({ questions: [], skipped: [] });
    expect(parseGift('// just a comment\n   \n// another\n')).toEqual({ questions: [], skipped: [] });
  });

  it('refuses an XML file with a message that says what to do', () => {
    expect(() => parseGift('<?xml version="1.0"?>\n<quiz></quiz>')).toThrow(ImportFileError);
    expect(() => parseGift('<quiz>\n</quiz>')).toThrow(/Moodle XML/);
  });

  it('does not take "//" inside a line for a comment', () => {
    const { questions } = parseGift('Where is the handbook? {=https\\://example.com/handbook ~nowhere}');
    expect(choicesOf(questions[0] as ImportedQuestion)[0]).toEqual(['https://example.com/handbook', 100, '']);
  });

  it('keeps a backslash before a character GIFT does not escape', () => {
    const { questions } = parseGift('Path C\\\\temp and \\d {=a ~b}');
    expect(questions[0]?.prompt).toBe('Path C\\temp and \\d');
  });
});

describe('categories and topics', () => {
  it('finds a topic by its id or its label in the last part of the path', () => {
    expect(categoryLeaf('$course$/top/Payments')).toBe('Payments');
    expect(categoryLeaf('a/b//c')).toBe('b/c');
    expect(categoryLeaf('a/b/')).toBe('b');
    expect(topicForCategory('$module$/top/Empathy & De-escalation')).toBe('empathy-deescalation');
    expect(topicForCategory('top/deposits on delisted items')).toBe('delisted-refunds');
    expect(topicForCategory('fraud-abuse')).toBe('fraud-abuse');
    expect(topicForCategory('Payments/Other')).toBeNull();
    expect(topicForCategory(null)).toBeNull();
  });
});
