// An imported question becomes a studio draft: a scenario with the question as its one item, shaped
// like content/scenarios/*.yaml (app/content/scenario-schema.ts). The question gives the item; the case
// file around it (hand-off note, customer, order, timeline, chat) and the handbook sections it cites
// do not exist in a question bank, so those fields are left empty for the trainer to write, which
// keeps the draft from being published until they have been. Everything the question does give maps:
// - single: the 100% answer is correct, the others wrong (their feedback kept);
// - multiple: answers with a positive weight are correct, zero or negative ones wrong;
// - true/false: a single choice between True and False;
// - matching: prompt → answer pairs, answers without a prompt as distractors;
// - short answer: a written reply whose model reply and rubric list the accepted answers;
// - essay: a written reply (the grader information, if any, as the model reply);
// - general feedback: the item's explanation; per-answer feedback: each option's feedback.
import { TOPICS, type ScenarioFile, type ScenarioItem, type Topic } from '~/content/scenario-schema';
import { FORMAT_LABELS, type ImportedChoice, type ImportedQuestion, type ImportFormat } from './types';

export const DEFAULT_IMPORT_TOPIC: Topic = TOPICS[0];
/** A placeholder difficulty (1–5) for the trainer to set. */
export const IMPORT_DIFFICULTY = 3;

/** The week of the track whose lessons teach each topic: the draft's first guess at its week. */
export const TOPIC_WEEK: Record<Topic, number> = {
  'escalation-handoff': 1,
  'orders-payments': 1,
  'privacy-safety': 1,
  'empathy-deescalation': 1,
  'case-notes': 1,
  'returns-window': 2,
  'logistics-delivery': 2,
  'refund-release': 2,
  'disputed-returns': 3,
  'delisted-refunds': 3,
  payments: 3,
  'fraud-abuse': 4,
  'escalation-paths': 4,
};

export interface DraftContext {
  format: ImportFormat;
  fileName: string;
  /** The scenario id (unique among scenarios: see uniqueScenarioIds). */
  id: string;
  /** For questions whose category names no topic. */
  defaultTopic: Topic;
}

export interface ScenarioDraft {
  /** The editor's body: the shape of a scenario file, with the case file left to write. */
  body: ScenarioFile;
  /** What the source had that the draft could not keep, in words for the trainer. */
  notes: string[];
}

/** Lowercase words joined by hyphens, at most `max` characters: "Who's buried?" → "who-s-buried". */
export function slugFor(text: string, max: number): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

/** A scenario id per question, from its name, different from `taken` and from each other. */
export function uniqueScenarioIds(names: readonly string[], taken: ReadonlySet<string>): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    const base = slugFor(name, 60) || 'imported-question';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

const clampPoints = (points: number) => Math.min(20, Math.max(1, Math.round(points)));
const optionId = (index: number) => (index < 26 ? String.fromCharCode(97 + index) : `o${index + 1}`);
const percent = (weight: number) => `${Number(weight.toFixed(2))}%`;

function fitTitle(name: string): string {
  const title = name.trim().length >= 5 ? name.trim() : `Imported question: ${name.trim() || 'untitled'}`;
  return title.length <= 100 ? title : `${title.slice(0, 99).trimEnd()}…`;
}

function summaryFor(question: ImportedQuestion, context: DraftContext): string {
  const file = context.fileName.length > 60 ? `${context.fileName.slice(0, 59)}…` : context.fileName;
  const where = [question.line ? `line ${question.line}` : null, question.category ? `category “${question.category}”` : null].filter(Boolean).join(', ');
  const text = `Imported from the ${FORMAT_LABELS[context.format]} file “${file}”${where ? ` (${where})` : ''}. Draft: write the case file around this question and cite the handbook before publishing.`;
  return text.length <= 300 ? text : `${text.slice(0, 299)}…`;
}

function choiceItem(question: ImportedQuestion & { type: 'single' | 'multiple' }, base: ItemBase, notes: string[]): ScenarioItem {
  const options = question.choices.map((choice: ImportedChoice, index) => ({
    id: optionId(index),
    text: choice.text,
    correct: question.type === 'single' ? choice.weight >= 100 : choice.weight > 0,
    unsafe: false,
    feedback: choice.feedback,
  }));
  if (question.type === 'single') {
    for (const choice of question.choices.filter((c) => c.weight > 0 && c.weight < 100)) {
      notes.push(`“${choice.text}” earned ${percent(choice.weight)} in the source: a single-choice item has one correct option, so it now counts as wrong.`);
    }
  } else {
    const positive = [...new Set(question.choices.filter((c) => c.weight > 0).map((c) => c.weight))];
    if (positive.length > 1) notes.push(`The correct answers had different weights (${positive.map(percent).join(', ')}): here each correct option earns an equal share.`);
    if (question.choices.some((c) => c.weight === 0)) notes.push('Answers worth 0% in the source take a share away here, like every wrong option.');
  }
  const correct = options.filter((o) => o.correct).length;
  const points = question.points ?? (question.type === 'single' ? 1 : clampPoints(correct));
  return question.type === 'single' ? { ...base, type: 'single', points, options } : { ...base, type: 'multiple', points, options };
}

/** Short answers as a rubric: one criterion whose levels are the accepted answers by their weight. */
function shortAnswerRubric(accepted: readonly ImportedChoice[], points: number) {
  const byPoints = new Map<number, string[]>();
  for (const answer of accepted.filter((a) => a.weight > 0)) {
    const earned = Math.max(1, Math.round((points * answer.weight) / 100));
    byPoints.set(earned, [...(byPoints.get(earned) ?? []), `“${answer.text}”`]);
  }
  const levels = [
    { points: 0, description: 'Gives none of the accepted answers' },
    ...[...byPoints.entries()].sort(([a], [b]) => a - b).map(([earned, answers]) => ({ points: earned, description: `Gives an accepted answer: ${answers.join(' or ')}` })),
  ];
  return [{ criterion: 'Gives an accepted answer', levels }];
}

type ItemBase = {
  id: string;
  prompt: string;
  critical: boolean;
  explanation: string;
  policies: string[];
};

function itemFor(question: ImportedQuestion, notes: string[]): ScenarioItem {
  const base: ItemBase = {
    id: slugFor(question.name, 32) || 'question',
    prompt: question.prompt,
    critical: false,
    explanation: question.generalFeedback,
    policies: [],
  };
  const pointsOr = (fallback: number) => (question.points === null ? clampPoints(fallback) : question.points);
  switch (question.type) {
    case 'single':
    case 'multiple':
      return choiceItem(question, base, notes);
    case 'matching':
      return {
        ...base,
        type: 'matching',
        points: pointsOr(question.pairs.length),
        pairs: question.pairs.map((pair, index) => ({ id: `p${index + 1}`, evidence: pair.prompt, conclusion: pair.answer })),
        distractors: question.distractors,
      };
    case 'ordering':
      return { ...base, type: 'ordering', points: pointsOr(question.steps.length - 1), steps: question.steps.map((text, index) => ({ id: `s${index + 1}`, text })) };
    case 'written': {
      if (question.acceptedAnswers.length === 0) {
        if (question.graderInfo === '') notes.push('An essay: write the model reply and the rubric.');
        else notes.push('An essay: its grader information became the model reply; write the rubric.');
        return { ...base, type: 'written', points: pointsOr(4), modelReply: question.graderInfo, rubric: [] };
      }
      const points = pointsOr(1);
      const best = [...question.acceptedAnswers].sort((a, b) => b.weight - a.weight)[0];
      notes.push('A short answer: learners now write a reply that a trainer grades; the accepted answers are in the model reply and the rubric.');
      return { ...base, type: 'written', points, modelReply: best?.text ?? '', rubric: shortAnswerRubric(question.acceptedAnswers, points) };
    }
  }
}

/** The draft scenario for one imported question. */
export function questionToDraft(question: ImportedQuestion, context: DraftContext): ScenarioDraft {
  const notes = [...question.notes];
  const topic = question.topic ?? context.defaultTopic;
  const item = itemFor(question, notes);
  const body: ScenarioFile = {
    id: context.id,
    title: fitTitle(question.name),
    week: TOPIC_WEEK[topic],
    topic,
    difficulty: IMPORT_DIFFICULTY,
    summary: summaryFor(question, context),
    policies: [],
    handoff: { intent: '', note: '', sentiment: 'calm', verified: false, language: 'English' },
    customer: { name: '', role: 'buyer', mood: '' },
    // One empty row each, as the studio's blank scenario has, for the editor to fill in.
    order: { id: '', item: '', type: 'standard', lines: [{ label: 'Item price', amount: 0 }], payments: [] },
    timeline: [{ at: '', event: '' }],
    chat: [{ from: 'customer', text: '' }],
    items: [item],
  };
  return { body, notes };
}
