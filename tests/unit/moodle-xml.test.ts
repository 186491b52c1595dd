// Moodle XML as the Moodle documentation describes it and as Moodle 4 exports it
// (tests/fixtures/import/moodle-sample.xml), plus malformed and hostile files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMoodleXml } from '~/domain/import/moodle-xml';
import { detectFormat, parseQuestionBank } from '~/domain/import/parse';
import { countByType, ImportFileError, type ImportedQuestion } from '~/domain/import/types';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'import');
const sample = fs.readFileSync(path.join(FIXTURES, 'moodle-sample.xml'), 'utf8');

function named(questions: ImportedQuestion[], name: string): ImportedQuestion {
  const found = questions.find((q) => q.name === name);
  if (!found) throw new Error(`no question named ${name}: ${questions.map((q) => q.name).join(', ')}`);
  return found;
}

const quiz = (questions: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${questions}\n</quiz>\n`;

describe('a Moodle question bank export', () => {
  const { questions, skipped } = parseMoodleXml(sample);

  it('imports the question types that map and counts them by the item they become', () => {
    expect(questions.map((q) => [q.name, q.sourceType, q.type])).toEqual([
      ['Refund after a return', 'multichoice', 'single'],
      ['Refund channels & timings', 'multichoice', 'multiple'],
      ['Refund on Sunday', 'truefalse', 'single'],
      ['Tracking events', 'matching', 'matching'],
      ['Days in the return window', 'shortanswer', 'written'],
      ['Explain a late parcel', 'essay', 'written'],
    ]);
    expect(countByType(questions)).toEqual({ single: 2, multiple: 1, matching: 1, written: 2 });
  });

  it('lists the others by name with the reason', () => {
    expect(skipped).toEqual([
      { name: 'Refund amount', reason: expect.stringMatching(/^a numerical question/) },
      { name: 'Pro rata voucher', reason: expect.stringMatching(/^a calculated question/) },
      { name: 'Drag the right words', reason: expect.stringMatching(/drag-and-drop/) },
      { name: 'Read this first', reason: expect.stringMatching(/^a description/) },
      { name: 'Bad fraction', reason: 'answer 1 has the fraction "150": fractions go from -100 to 100' },
      { name: 'Cloze question', reason: expect.stringMatching(/cloze/) },
    ]);
  });

  it('turns HTML into text (CDATA and entities decoded once), with answers, feedback and general feedback', () => {
    const q = named(questions, 'Refund after a return');
    expect(q).toMatchObject({
      prompt: 'The return reached the seller on Monday. When is the refund released & to where?',
      generalFeedback: 'Refunds are released 48 hours after the return is delivered (§ 2.3).',
      points: 1,
      category: '$course$/top/Default for Refunds/Refund release',
      topic: 'refund-release',
    });
    expect(q.type === 'single' && q.choices).toEqual([
      { text: 'Wednesday, to the original payment method', weight: 100, feedback: 'Right: 48 hours after delivery.' },
      { text: 'Monday, as cash', weight: 0, feedback: 'Refunds never go out as cash.' },
      { text: 'After the seller agrees', weight: 0, feedback: '' },
    ]);
  });

  it('keeps fraction weights of a multiple-answer question, negative ones included, and the mark as points', () => {
    const q = named(questions, 'Refund channels & timings');
    expect(q.points).toBe(2);
    expect(q.type === 'multiple' && q.choices.map((c) => c.weight)).toEqual([33.33333, 33.33333, 33.33334, -100]);
  });

  it('reads true/false with the feedback of each answer, and plain text as written', () => {
    const q = named(questions, 'Refund on Sunday');
    expect(q.prompt).toBe('A refund can be released on a Sunday <no exceptions>.');
    expect(q.type === 'single' && q.choices).toEqual([
      { text: 'True', weight: 0, feedback: 'No: the release waits for a business day.' },
      { text: 'False', weight: 100, feedback: 'Right.' },
    ]);
  });

  it('reads matching sub-questions, an empty one as a distractor, under the category set before it', () => {
    expect(named(questions, 'Tracking events')).toMatchObject({
      topic: 'logistics-delivery',
      points: 3,
      pairs: [
        { prompt: 'Accepted by carrier', answer: 'The parcel has left the seller' },
        { prompt: 'Delivered, photo', answer: 'Left at the door with a photo' },
        { prompt: 'Held at hub', answer: 'Waiting for customs or a fix of the address' },
      ],
      distractors: ['Refunded to the buyer'],
      generalFeedback: 'See the logistics lesson.',
    });
  });

  it('reads short answers with their fractions and essays with their grader information, noting a left-out image', () => {
    expect(named(questions, 'Days in the return window')).toMatchObject({
      type: 'written',
      acceptedAnswers: [
        { text: 'seven', weight: 100 },
        { text: '7', weight: 100 },
        { text: 'a week', weight: 50, feedback: 'Close: say the number of days.' },
      ],
    });
    const essay = named(questions, 'Explain a late parcel');
    expect(essay).toMatchObject({
      type: 'written',
      acceptedAnswers: [],
      prompt: 'The parcel is stuck at the hub. Write your reply to the buyer.',
      graderInfo: 'A good reply names the hub, the next scan expected and when the agent will check again.',
      points: 4,
    });
    expect(essay.notes).toEqual([expect.stringMatching(/image/)]);
  });
});

describe('single questions', () => {
  it('treats <single>0</single> as multiple answers and a missing <single> as one answer', () => {
    const multi = parseMoodleXml(
      quiz(`<question type="multichoice"><name><text>M</text></name><questiontext><text>Q?</text></questiontext><single>0</single>
        <answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer><answer fraction="-50"><text>c</text></answer></question>
        <question type="multichoice"><name><text>S</text></name><questiontext><text>Q?</text></questiontext>
        <answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>`),
    );
    expect(multi.questions.map((q) => q.type)).toEqual(['multiple', 'single']);
  });

  it('names a nameless question by its text, and a nameless skipped one by its position', () => {
    const result = parseMoodleXml(
      quiz(`<question type="category"><category><text>$course$/top</text></category></question>
        <question type="essay"><questiontext format="html"><text>&lt;p&gt;Describe the hand-off.&lt;/p&gt;</text></questiontext></question>
        <question type="numerical"><questiontext><text>1+1?</text></questiontext></question>`),
    );
    expect(result.questions[0]).toMatchObject({ name: 'Describe the hand-off.', prompt: 'Describe the hand-off.', category: '$course$/top', topic: null });
    expect(result.skipped).toEqual([{ name: 'question 3', reason: expect.stringMatching(/numerical/) }]);
  });

  it('skips an unknown question type and a question without text, naming them', () => {
    const result = parseMoodleXml(
      quiz(`<question type="kprime"><name><text>K</text></name><questiontext><text>Q</text></questiontext></question>
        <question type="multichoice"><name><text>Empty</text></name><questiontext><text></text></questiontext></question>`),
    );
    expect(result.skipped).toEqual([
      { name: 'K', reason: `Moodle's "kprime" question type has no Frontline item type` },
      { name: 'Empty', reason: 'the question has no text' },
    ]);
  });

  it('reads the ordering plugin as steps in their order, and rounds a fractional mark into points with a note', () => {
    const { questions } = parseMoodleXml(
      quiz(`<question type="ordering"><name><text>Steps</text></name><questiontext><text>Order these.</text></questiontext><defaultgrade>2.5</defaultgrade>
        <answer fraction="1"><text>Read the note</text></answer><answer fraction="2"><text>Greet</text></answer><answer fraction="3"><text>Close</text></answer></question>`),
    );
    expect(questions[0]).toMatchObject({ type: 'ordering', steps: ['Read the note', 'Greet', 'Close'], points: 3 });
    expect(questions[0]?.notes).toEqual([expect.stringMatching(/2.5 became 3 points/)]);
  });

  it('refuses a true/false question without both answers', () => {
    const result = parseMoodleXml(
      quiz(`<question type="truefalse"><name><text>TF</text></name><questiontext><text>Q</text></questiontext><answer fraction="100"><text>true</text></answer></question>`),
    );
    expect(result.skipped).toEqual([{ name: 'TF', reason: 'a true/false question needs one "true" and one "false" answer' }]);
  });
});

describe('files that are not a Moodle question bank', () => {
  it('refuses malformed XML with the line of the mistake', () => {
    expect(() => parseMoodleXml('<quiz>\n<question type="essay">\n</quiz>')).toThrow(/not well-formed XML \(line 3\)/);
    expect(() => parseMoodleXml('<quiz><question>')).toThrow('The file is not well-formed XML (line 1): never closed: <quiz>, <question>');
  });

  it('refuses XML without a <quiz>', () => {
    expect(() => parseMoodleXml('<?xml version="1.0"?><questions></questions>')).toThrow(ImportFileError);
  });

  it('refuses a DOCTYPE, so no external entity is ever read and no entity expands', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]><quiz><question type="essay"><name><text>&secret;</text></name><questiontext><text>x</text></questiontext></question></quiz>`;
    expect(() => parseMoodleXml(xxe)).toThrow(/DOCTYPE/);
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><quiz/>`;
    expect(() => parseMoodleXml(laughs)).toThrow(ImportFileError);
  });

  it('leaves unknown entity references as text instead of resolving them', () => {
    const { questions } = parseMoodleXml(quiz(`<question type="essay"><name><text>&unknown; &amp;amp;</text></name><questiontext format="plain_text"><text>x</text></questiontext></question>`));
    expect(questions[0]?.name).toBe('&unknown; &amp;');
  });
});

describe('choosing the format', () => {
  it('takes an .xml name or an XML start for Moodle XML, anything else for GIFT', () => {
    expect(detectFormat('bank.xml', '')).toBe('moodle-xml');
    expect(detectFormat('bank.txt', '\uFEFF<?xml version="1.0"?><quiz/>')).toBe('moodle-xml');
    expect(detectFormat('bank.gift', '::Q::text {T}')).toBe('gift');
    expect(parseQuestionBank('moodle-xml', quiz('')).questions).toEqual([]);
    expect(parseQuestionBank('gift', '::Q::text {T}').questions).toHaveLength(1);
  });
});
