// GIFT, Moodle's plain-text question format (https://docs.moodle.org/en/GIFT_format), read the way
// Moodle's own importer (qformat_gift) reads it, so a file behaves here as it did there:
// - questions are separated by blank lines; a line starting with // is a comment;
// - ::Title:: names a question; $CATEGORY: a/b sets the category of the questions after it;
// - the answers are in one {…} block: {} essay, {T}/{F}/{TRUE}/{FALSE} true/false (#wrong#right
//   feedback), =right ~wrong multiple choice (single answer when one answer has =, multiple answers
//   with ~%50% weights when none has), =a -> b matching, =answer short answer, {#…} numerical;
//   #feedback follows an answer and ####general feedback closes the block;
// - text before and after the block is a "missing word" question: the block becomes _____;
// - \: \# \= \{ \} \~ escape the special characters, \n is a line break and \\ a backslash;
// - [html], [markdown], [plain] or [moodle] before a text gives its format.
// Two small departures, both kinder to authors: =%50%answer keeps its weight in a multiple-choice
// question (Moodle would read "%50%answer" as the text), and a question with a second answer block
// is skipped with a reason instead of keeping the block as text.
import { toPlainText, hasMedia, type TextFormat } from './text';
import {
  defaultName,
  ImportFileError,
  topicForCategory,
  type ImportedChoice,
  type ImportedQuestion,
  type ImportResult,
  type SkippedQuestion,
} from './types';

// Escaped characters become private-use code points while the structure is parsed, then come back.
const ESCAPES: Record<string, string> = {
  '\\': '\uE000',
  ':': '\uE001',
  '#': '\uE002',
  '=': '\uE003',
  '{': '\uE004',
  '}': '\uE005',
  '~': '\uE006',
  n: '\uE007',
};
const UNESCAPED: Record<string, string> = {
  '\uE000': '\\',
  '\uE001': ':',
  '\uE002': '#',
  '\uE003': '=',
  '\uE004': '{',
  '\uE005': '}',
  '\uE006': '~',
  '\uE007': '\n',
};

function hideEscapes(text: string): string {
  return text.replace(/\\([\\:#={}~n])/g, (_, c: string) => ESCAPES[c] ?? c);
}

function restoreEscapes(text: string): string {
  return text.replace(/[\uE000-\uE007]/g, (c) => UNESCAPED[c] ?? c);
}

const FORMAT_TAG = /^\[(html|moodle|plain|markdown)\]/;
const WEIGHT = /^%(-?\d+(?:\.\d+)?)%/;

interface Formatted {
  text: string;
  format: TextFormat;
  media: boolean;
}

/** A part of a question (text, answer, feedback) in its own [format] or the question's. */
function formatted(raw: string, defaultFormat: TextFormat): Formatted {
  let text = raw.trim();
  let format = defaultFormat;
  const tag = FORMAT_TAG.exec(text);
  if (tag) {
    format = tag[1] as TextFormat;
    text = text.slice(tag[0].length);
  }
  const restored = restoreEscapes(text);
  return { text: toPlainText(restored, format), format, media: format !== 'plain' && hasMedia(restored) };
}

interface Block {
  line: number;
  lines: string[];
  category: string | null;
}

/** The file as question blocks: blank lines separate them, comment lines are left out. */
function blocks(text: string): Block[] {
  const found: Block[] = [];
  let category: string | null = null;
  let current: { line: number; lines: string[] } | null = null;
  const flush = () => {
    if (current) found.push({ ...current, category });
    current = null;
  };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return flush();
    if (line.startsWith('//')) return;
    // A category line changes the category from here on; a question may follow it on the next line.
    if (current === null && line.startsWith('$CATEGORY:')) {
      category = line.slice('$CATEGORY:'.length).trim() || null;
      return;
    }
    current ??= { line: index + 1, lines: [] };
    current.lines.push(line);
  });
  flush();
  return found;
}

type Parsed = { question: ImportedQuestion } | { skipped: SkippedQuestion };

/** Reads a GIFT file. Questions that cannot become an item are listed in `skipped` with their line. */
export function parseGift(source: string): ImportResult {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/[\uE000-\uE007]/g, '');
  if (/^\s*<(\?xml|quiz\b)/.test(text)) throw new ImportFileError('This is an XML file, not GIFT: import it as Moodle XML.');
  const result: ImportResult = { questions: [], skipped: [] };
  for (const block of blocks(text)) {
    const parsed = parseQuestion(block);
    if ('question' in parsed) result.questions.push(parsed.question);
    else result.skipped.push(parsed.skipped);
  }
  return result;
}

function parseQuestion(block: Block): Parsed {
  const skip = (reason: string): Parsed => ({ skipped: { line: block.line, reason } });
  let text = hideEscapes(block.lines.join('\n'));

  let name: string | null = null;
  if (text.startsWith('::')) {
    const end = text.indexOf('::', 2);
    if (end !== -1) {
      name = restoreEscapes(text.slice(2, end)).replace(/\s+/g, ' ').trim() || null;
      text = text.slice(end + 2).trim();
    } else {
      text = text.slice(2).trim();
    }
  }

  const open = text.indexOf('{');
  const close = text.indexOf('}');
  if (open === -1 && close === -1) return skip('no answer block in braces: a description or instructions, not a question');
  if (open === -1 || close === -1 || close < open) {
    return skip('unbalanced braces: the answers go between { and } (write \\{ and \\} for braces in the text)');
  }
  const after = text.slice(close + 1);
  if (/[{}]/.test(after)) return skip('more than one answer block: a GIFT question has one {…} block');
  let answers = text.slice(open + 1, close).trim();
  const before = text.slice(0, open);
  const questionRaw = after.trim() === '' ? before : `${before}_____${after}`;

  let generalRaw = '';
  const general = answers.lastIndexOf('####');
  if (general !== -1) {
    generalRaw = answers.slice(general + 4);
    answers = answers.slice(0, general).trim();
  }

  const question = formatted(questionRaw, 'moodle');
  const format = question.format;
  const generalFeedback = formatted(generalRaw, format);
  const notes: string[] = [];
  if (question.media) notes.push('The question text shows an image or other media, which was left out: describe it in the prompt.');
  const base = {
    name: name ?? defaultName(question.text),
    line: block.line,
    category: block.category,
    topic: topicForCategory(block.category),
    prompt: question.text,
    generalFeedback: generalFeedback.text,
    points: null,
    notes,
  };
  if (question.text === '') return skip('the question has no text');

  if (answers === '') return { question: { ...base, type: 'written', sourceType: 'essay', acceptedAnswers: [], graderInfo: '' } };
  if (answers.startsWith('#')) return skip('a numerical question ({#…}): Frontline has no item that accepts a number within a tolerance');

  if (answers.includes('~')) {
    const parts = answers.replaceAll('=', '~=').split('~');
    if (parts[0]?.trim() === '') parts.shift();
    const choices: ImportedChoice[] = [];
    for (const [index, part] of parts.entries()) {
      let answer = part.trim();
      let weight = 0;
      if (answer.startsWith('=')) {
        weight = 100;
        answer = answer.slice(1).trim();
      }
      const explicit = WEIGHT.exec(answer);
      if (explicit) {
        weight = Number(explicit[1]);
        answer = answer.slice(explicit[0].length);
      }
      if (Math.abs(weight) > 100) return skip(`answer ${index + 1} has the weight ${weight}%: weights go from -100% to 100%`);
      const [answerText = '', feedbackText = ''] = splitOnce(answer, '#');
      const choice = formatted(answerText, format);
      if (choice.text === '') return skip(`answer ${index + 1} is empty`);
      if (choice.media) notes.push(`Answer ${index + 1} shows an image, which was left out.`);
      choices.push({ text: choice.text, weight, feedback: formatted(feedbackText, format).text });
    }
    if (choices.length < 2) return skip('a multiple-choice question needs at least two answers');
    const single = answers.includes('=');
    return { question: { ...base, type: single ? 'single' : 'multiple', sourceType: 'multichoice', choices } };
  }

  if (answers.includes('=') && answers.includes('->')) {
    const parts = answers.split('=');
    if (parts[0]?.trim() === '') parts.shift();
    const pairs: { prompt: string; answer: string }[] = [];
    const distractors: string[] = [];
    for (const [index, part] of parts.entries()) {
      const arrow = part.indexOf('->');
      if (arrow === -1) return skip(`matching pair ${index + 1} has no "->" between the item and its match`);
      const prompt = formatted(part.slice(0, arrow), format).text;
      const answer = toPlainText(restoreEscapes(part.slice(arrow + 2)), 'plain');
      if (answer === '') return skip(`matching pair ${index + 1} has nothing after "->"`);
      if (prompt === '') distractors.push(answer);
      else pairs.push({ prompt, answer });
    }
    if (pairs.length + distractors.length < 2) return skip('a matching question needs at least two pairs');
    return { question: { ...base, type: 'matching', sourceType: 'matching', pairs, distractors } };
  }

  const hash = answers.indexOf('#');
  const trueFalse = (hash > 0 ? answers.slice(0, hash) : answers).trim();
  if (['T', 'TRUE', 'F', 'FALSE'].includes(trueFalse)) {
    const [, rest = ''] = splitOnce(answers, '#');
    const [wrongRaw, rightRaw] = splitOnce(rest, '#');
    const isTrue = trueFalse.startsWith('T');
    const right = formatted(rightRaw, format).text;
    const wrong = formatted(wrongRaw, format).text;
    const choices: ImportedChoice[] = [
      { text: 'True', weight: isTrue ? 100 : 0, feedback: isTrue ? right : wrong },
      { text: 'False', weight: isTrue ? 0 : 100, feedback: isTrue ? wrong : right },
    ];
    return { question: { ...base, type: 'single', sourceType: 'truefalse', choices } };
  }

  // Short answer: one or more accepted answers, each =answer or =%50%answer, with #feedback.
  const parts = answers.split('=');
  if (parts[0]?.trim() === '') parts.shift();
  const accepted: ImportedChoice[] = [];
  for (const [index, part] of parts.entries()) {
    let answer = part.trim();
    let weight = 100;
    const explicit = WEIGHT.exec(answer);
    if (explicit) {
      weight = Number(explicit[1]);
      answer = answer.slice(explicit[0].length);
    }
    if (Math.abs(weight) > 100) return skip(`answer ${index + 1} has the weight ${weight}%: weights go from -100% to 100%`);
    const [answerText = '', feedbackText = ''] = splitOnce(answer, '#');
    const text = formatted(answerText, format).text;
    if (text === '') return skip(`answer ${index + 1} is empty`);
    accepted.push({ text, weight, feedback: formatted(feedbackText, format).text });
  }
  if (accepted.length === 0) return skip('a short-answer question needs at least one accepted answer');
  return { question: { ...base, type: 'written', sourceType: 'shortanswer', acceptedAnswers: accepted, graderInfo: '' } };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}
