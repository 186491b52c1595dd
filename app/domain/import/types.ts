// What a question bank from another LMS becomes before it touches the database: the questions that
// map onto Frontline's item types, and the ones that do not, each with the reason and where it is.
// GIFT and Moodle XML parse into this same shape; to-scenario.ts turns each question into a draft.
import { TOPIC_LABELS, TOPICS, type Topic } from '~/content/scenario-schema';

export const IMPORT_FORMATS = ['gift', 'moodle-xml'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const FORMAT_LABELS: Record<ImportFormat, string> = { gift: 'GIFT', 'moodle-xml': 'Moodle XML' };

/** One answer of a choice question. `weight` is Moodle's grade in percent, -100 to 100. */
export interface ImportedChoice {
  text: string;
  weight: number;
  feedback: string;
}

interface QuestionBase {
  name: string;
  /** GIFT: the line the question starts on. */
  line?: number;
  /** The category path as written in the file ("$course$/top/Payments"), null when there is none. */
  category: string | null;
  /** The topic the category's last part names, null when it names none. */
  topic: Topic | null;
  prompt: string;
  /** General feedback: shown after answering whatever was chosen. */
  generalFeedback: string;
  /** The mark the file gives the question (Moodle XML defaultgrade), null when it gives none. */
  points: number | null;
  /** The question type in the source system: multichoice, truefalse, matching, shortanswer, essay, ordering. */
  sourceType: string;
  /** What the source had that a Frontline item cannot keep (images, partial credit…), in words. */
  notes: string[];
}

export type ImportedQuestion = QuestionBase &
  (
    | { type: 'single' | 'multiple'; choices: ImportedChoice[] }
    /** Matching: each prompt with its answer; answers that match no prompt are distractors. */
    | { type: 'matching'; pairs: { prompt: string; answer: string }[]; distractors: string[] }
    /** A written reply: short answers give the accepted answers (weights in percent); essays give none. */
    | { type: 'written'; acceptedAnswers: ImportedChoice[]; graderInfo: string }
    /** Steps in their correct order. */
    | { type: 'ordering'; steps: string[] }
  );

export type ImportedItemType = ImportedQuestion['type'];

export interface SkippedQuestion {
  line?: number;
  name?: string;
  reason: string;
}

export interface ImportResult {
  questions: ImportedQuestion[];
  skipped: SkippedQuestion[];
}

/** The file as a whole cannot be read in this format (not XML, a DOCTYPE…): nothing is imported. */
export class ImportFileError extends Error {}

/** "Privacy & Safety", "privacy-safety" and "Privacy and safety" all → "privacy-and-safety"-like keys. */
function topicKey(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const TOPIC_BY_KEY = new Map<string, Topic>(
  TOPICS.flatMap((topic) => [
    [topicKey(topic), topic],
    [topicKey(TOPIC_LABELS[topic]), topic],
  ]),
);

/** The last part of a category path ("$course$/top/Payments" → "Payments"); "//" is a slash inside a name. */
export function categoryLeaf(category: string): string {
  const parts = category.replaceAll('//', '\u0000').split('/');
  const leaf = [...parts].reverse().find((p) => p.trim() !== '') ?? '';
  return leaf.replaceAll('\u0000', '/').trim();
}

/** The topic a category names by its last part (its id or its label, in any case), else null. */
export function topicForCategory(category: string | null): Topic | null {
  if (category === null) return null;
  return TOPIC_BY_KEY.get(topicKey(categoryLeaf(category))) ?? null;
}

/** Imported questions counted by the item type they become. */
export function countByType(questions: readonly ImportedQuestion[]): Partial<Record<ImportedItemType, number>> {
  const counts: Partial<Record<ImportedItemType, number>> = {};
  for (const q of questions) counts[q.type] = (counts[q.type] ?? 0) + 1;
  return counts;
}

/** A name for a question that has none: the start of its text, as Moodle does. */
export function defaultName(prompt: string): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'Untitled question';
  return flat.length <= 60 ? flat : `${flat.slice(0, 57).trimEnd()}…`;
}
