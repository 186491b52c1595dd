// Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): <quiz> holding <question type="…">
// elements. Mapped: multichoice (single or multiple answers, fraction weights in percent, negative
// ones too), truefalse, matching, shortanswer, essay and the ordering plugin; category "questions"
// set the category of those after them. Everything else (numerical, calculated, cloze, drag and drop…)
// is listed as skipped with its name and the reason.
//
// Safety: a file with a DOCTYPE is refused before parsing (no external or expanding entities), and
// the parser decodes no entities at all: the five XML ones and character references are decoded
// here, once, so text in CDATA sections stays exactly as written.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeEntities, hasMedia, toPlainText, type TextFormat } from './text';
import {
  defaultName,
  ImportFileError,
  topicForCategory,
  type ImportedChoice,
  type ImportedQuestion,
  type ImportResult,
} from './types';

const CDATA = '#cdata';
const ATTRIBUTE = '@';
const REPEATED = new Set(['question', 'answer', 'subquestion']);

/** A parsed element: text, or an object of child elements, attributes (@name), text (#text) and CDATA. */
type XmlNode = string | { [key: string]: XmlNode | XmlNode[] | undefined };

const FORMATS: Record<string, TextFormat> = { html: 'html', moodle_auto_format: 'moodle', plain_text: 'plain', markdown: 'markdown' };

const SKIP_REASONS: Record<string, string> = {
  numerical: 'a numerical question: Frontline has no item that accepts a number within a tolerance',
  calculated: 'a calculated question: its numbers are generated from a formula, which Frontline cannot do',
  calculatedsimple: 'a calculated question: its numbers are generated from a formula, which Frontline cannot do',
  calculatedmulti: 'a calculated multichoice question: its numbers are generated from a formula, which Frontline cannot do',
  multianswer: 'an embedded-answers (cloze) question: several answers inside one text have no Frontline item',
  description: 'a description: text without a question',
  ddwtos: 'a drag-and-drop into text question: not a Frontline item type',
  gapselect: 'a select-missing-words question: not a Frontline item type',
  ddimageortext: 'a drag-and-drop onto image question: images are not imported',
  ddmarker: 'a drag-and-drop markers question: images are not imported',
  randomsamatch: 'a random short-answer matching question: drawn from other questions at random',
  random: 'a random question: a placeholder drawn from a category, not a question',
};

function textOf(node: XmlNode | XmlNode[] | undefined): string {
  if (node === undefined) return '';
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (typeof node === 'string') return decodeEntities(node);
  const cdata = node[CDATA];
  const text = node['#text'];
  return `${textOf(text)}${cdata === undefined ? '' : Array.isArray(cdata) ? cdata.map(String).join('') : String(cdata)}`;
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string') return [];
  const value = node[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const value = child(node, `${ATTRIBUTE}${name}`);
  return typeof value === 'string' ? value : undefined;
}

interface Formatted {
  text: string;
  media: boolean;
}

/** An element holding <text> in a format attribute: its plain text. */
function formattedText(node: XmlNode | undefined, defaultFormat: TextFormat = 'moodle'): Formatted {
  const raw = textOf(child(node, 'text'));
  const format = FORMATS[attribute(node, 'format') ?? ''] ?? defaultFormat;
  return { text: toPlainText(raw, format), media: format !== 'plain' && (hasMedia(raw) || raw.includes('@@PLUGINFILE@@')) };
}

function fraction(node: XmlNode): number {
  const value = Number(attribute(node, 'fraction') ?? '0');
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The validator reports unclosed tags as "Invalid '[\"quiz\", \"question\"]' found.": said plainly. */
function describeXmlError(message: string): string {
  const unclosed = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(message)?.[1];
  if (unclosed === undefined) return message;
  try {
    const tags = JSON.parse(unclosed) as unknown;
    if (Array.isArray(tags) && tags.length > 0) return `never closed: ${tags.map((t) => `<${String(t)}>`).join(', ')}`;
  } catch {
    // not the list it looked like
  }
  return message;
}

/** Reads a Moodle XML file; throws ImportFileError when the file is not one. */
export function parseMoodleXml(source: string): ImportResult {
  const xml = source.replace(/^\uFEFF/, '');
  if (!/^\s*</.test(xml)) throw new ImportFileError('This is not XML (it does not start with "<"): a GIFT file is imported as GIFT.');
  if (/<!DOCTYPE/i.test(xml)) throw new ImportFileError('The file has a DOCTYPE declaration, which Moodle XML files never have: it is refused for safety.');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ImportFileError(`The file is not well-formed XML (line ${valid.err.line}): ${describeXmlError(valid.err.msg)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    cdataPropName: CDATA,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => REPEATED.has(name),
  });
  const document = parser.parse(xml) as Record<string, XmlNode | undefined>;
  const quiz = document.quiz;
  if (quiz === undefined) throw new ImportFileError('There is no <quiz> element: this is not a Moodle XML question file.');

  const result: ImportResult = { questions: [], skipped: [] };
  let category: string | null = null;
  children(quiz, 'question').forEach((element, index) => {
    const type = attribute(element, 'type') ?? '';
    if (type === 'category') {
      category = textOf(child(child(element, 'category'), 'text')).trim() || null;
      return;
    }
    const name = formattedText(child(element, 'name'), 'plain').text.replace(/\s+/g, ' ');
    const outcome = readQuestion(element, type, { name, category });
    if (typeof outcome === 'string') result.skipped.push({ name: name || `question ${index + 1}`, reason: outcome });
    else result.questions.push(outcome);
  });
  return result;
}

/** The question, or why it cannot be imported. */
function readQuestion(element: XmlNode, type: string, context: { name: string; category: string | null }): ImportedQuestion | string {
  const skipReason = SKIP_REASONS[type];
  if (skipReason) return skipReason;
  const question = formattedText(child(element, 'questiontext'));
  if (question.text === '') return 'the question has no text';
  const notes: string[] = [];
  if (question.media) notes.push('The question text shows an image or other media, which was left out: describe it in the prompt.');
  const grade = Number(textOf(child(element, 'defaultgrade')));
  const points = Number.isFinite(grade) && grade > 0 ? Math.min(20, Math.max(1, Math.round(grade))) : null;
  if (points !== null && points !== grade) notes.push(`The mark ${grade} became ${points} point${points === 1 ? '' : 's'}: items score whole points from 1 to 20.`);
  const base = {
    name: context.name || defaultName(question.text),
    category: context.category,
    topic: topicForCategory(context.category),
    prompt: question.text,
    generalFeedback: formattedText(child(element, 'generalfeedback')).text,
    points,
    sourceType: type,
    notes,
  };
  const answers = children(element, 'answer');
  const choices = (): ImportedChoice[] | string => {
    const read: ImportedChoice[] = [];
    for (const [index, answer] of answers.entries()) {
      const weight = fraction(answer);
      if (Number.isNaN(weight) || Math.abs(weight) > 100) return `answer ${index + 1} has the fraction "${attribute(answer, 'fraction') ?? ''}": fractions go from -100 to 100`;
      const text = formattedText(answer);
      if (text.text === '') return `answer ${index + 1} is empty`;
      if (text.media) notes.push(`Answer ${index + 1} shows an image, which was left out.`);
      read.push({ text: text.text, weight, feedback: formattedText(child(answer, 'feedback')).text });
    }
    return read;
  };

  switch (type) {
    case 'multichoice': {
      const read = choices();
      if (typeof read === 'string') return read;
      if (read.length < 2) return 'a multiple-choice question needs at least two answers';
      const single = !['false', '0'].includes(textOf(child(element, 'single')).trim().toLowerCase());
      return { ...base, type: single ? 'single' : 'multiple', choices: read };
    }
    case 'truefalse': {
      const read = choices();
      if (typeof read === 'string') return read;
      const byValue = (value: string) => read.find((c) => c.text.toLowerCase() === value);
      const yes = byValue('true');
      const no = byValue('false');
      if (!yes || !no || read.length !== 2) return 'a true/false question needs one "true" and one "false" answer';
      return {
        ...base,
        type: 'single',
        choices: [
          { ...yes, text: 'True', weight: yes.weight > no.weight ? 100 : 0 },
          { ...no, text: 'False', weight: no.weight > yes.weight ? 100 : 0 },
        ],
      };
    }
    case 'shortanswer': {
      const read = choices();
      if (typeof read === 'string') return read;
      if (!read.some((c) => c.weight > 0)) return 'a short-answer question needs at least one answer worth marks';
      return { ...base, type: 'written', acceptedAnswers: read, graderInfo: '' };
    }
    case 'essay':
      return { ...base, type: 'written', acceptedAnswers: [], graderInfo: formattedText(child(element, 'graderinfo')).text };
    case 'matching':
    case 'match': {
      const pairs: { prompt: string; answer: string }[] = [];
      const distractors: string[] = [];
      for (const [index, sub] of children(element, 'subquestion').entries()) {
        const prompt = formattedText(sub);
        const answer = toPlainText(textOf(child(child(sub, 'answer'), 'text')), 'plain');
        if (answer === '') return `matching pair ${index + 1} has no answer`;
        if (prompt.media) notes.push(`Matching item ${index + 1} shows an image, which was left out.`);
        if (prompt.text === '') distractors.push(answer);
        else pairs.push({ prompt: prompt.text, answer });
      }
      if (pairs.length < 2) return 'a matching question needs at least two pairs';
      return { ...base, type: 'matching', sourceType: 'matching', pairs, distractors };
    }
    case 'ordering': {
      const read = answers.map((a) => formattedText(a).text);
      if (read.some((t) => t === '')) return 'a step of the ordering question is empty';
      if (read.length < 2) return 'an ordering question needs at least two steps';
      return { ...base, type: 'ordering', steps: read };
    }
    default:
      return type === '' ? 'the question has no type' : `Moodle's "${type}" question type has no Frontline item type`;
  }
}
