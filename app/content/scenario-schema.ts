// The shape of a scenario (a case file) in content/scenarios/**/*.yaml and of the weekly practice
// quizzes in content/quizzes/*.yaml. Checked on load like lessons: errors name file, field and line.
import { z } from 'zod';
import { sectionRef } from './schema';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');
const shortId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a short id: lowercase letters, digits, hyphens');
const text = z.string().trim().min(1);

export const TOPICS = [
  'escalation-handoff',
  'orders-payments',
  'privacy-safety',
  'empathy-deescalation',
  'case-notes',
  'returns-window',
  'logistics-delivery',
  'refund-release',
  'disputed-returns',
  'delisted-refunds',
  'payments',
  'fraud-abuse',
  'escalation-paths',
] as const;
export type Topic = (typeof TOPICS)[number];

/** How each topic is named to people (results, reports, the studio). */
export const TOPIC_LABELS: Record<Topic, string> = {
  'escalation-handoff': 'Escalation and hand-off',
  'orders-payments': 'Orders and payments',
  'privacy-safety': 'Privacy and safety',
  'empathy-deescalation': 'Empathy and de-escalation',
  'case-notes': 'Case notes',
  'returns-window': 'The returns window',
  'logistics-delivery': 'Logistics and delivery',
  'refund-release': 'Refund release',
  'disputed-returns': 'Disputed returns',
  'delisted-refunds': 'Deposits on delisted items',
  payments: 'Payments',
  'fraud-abuse': 'Fraud and abuse',
  'escalation-paths': 'Escalation paths',
};

export function topicLabel(topic: string): string {
  return (TOPIC_LABELS as Record<string, string>)[topic] ?? topic;
}

export const ITEM_TYPES = ['single', 'multiple', 'ordering', 'matching', 'written', 'branching'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

const option = z.strictObject({
  id: shortId,
  text,
  correct: z.boolean().default(false),
  /** Choosing it is a critical error (e.g. asking for a payment password); the item must be critical. */
  unsafe: z.boolean().default(false),
  feedback: text,
});

const itemBase = {
  id: shortId,
  prompt: text,
  points: z.number().int().min(1).max(20),
  topic: z.enum(TOPICS).optional(),
  difficulty: z.number().int().min(1).max(5).optional(),
  critical: z.boolean().default(false),
  explanation: text,
  policies: z.array(sectionRef).min(1),
};

export const singleItem = z.strictObject({ ...itemBase, type: z.literal('single'), options: z.array(option).min(2).max(6) });
export const multipleItem = z.strictObject({ ...itemBase, type: z.literal('multiple'), options: z.array(option).min(3).max(8) });
export const orderingItem = z.strictObject({
  ...itemBase,
  type: z.literal('ordering'),
  /** The steps in the correct order; learners see them shuffled. */
  steps: z.array(z.strictObject({ id: shortId, text })).min(3).max(7),
});
export const matchingItem = z.strictObject({
  ...itemBase,
  type: z.literal('matching'),
  /** Each piece of evidence with the conclusion it supports. */
  pairs: z.array(z.strictObject({ id: shortId, evidence: text, conclusion: text })).min(2).max(6),
  /** Conclusions that match no evidence, offered as distractors. */
  distractors: z.array(text).max(4).default([]),
});
export const writtenItem = z.strictObject({
  ...itemBase,
  type: z.literal('written'),
  modelReply: text,
  rubric: z
    .array(z.strictObject({ criterion: text, levels: z.array(z.strictObject({ points: z.number().int().min(0), description: text })).min(2) }))
    .min(1),
});
export const branchingItem = z.strictObject({
  ...itemBase,
  type: z.literal('branching'),
  start: shortId,
  steps: z
    .array(
      z.strictObject({
        id: shortId,
        /** What the customer says or what happens at this point of the conversation. */
        prompt: text,
        options: z
          .array(
            z.strictObject({
              id: shortId,
              text,
              /** Points for choosing this option; the best path's total is full marks. */
              points: z.number().int().min(0).max(10),
              unsafe: z.boolean().default(false),
              feedback: text,
              /** The step this choice leads to; none ends the conversation. */
              next: shortId.optional(),
            }),
          )
          .min(2)
          .max(5),
      }),
    )
    .min(2)
    .max(8),
});

export const itemSchema = z.discriminatedUnion('type', [singleItem, multipleItem, orderingItem, matchingItem, writtenItem, branchingItem]);
export type ScenarioItem = z.infer<typeof itemSchema>;

const money = z.number().multipleOf(0.01);

export const scenarioSchema = z.strictObject({
  id: slug,
  title: z.string().min(5).max(100),
  /** The week of the track whose topics this case practises (1–4). */
  week: z.number().int().min(1).max(4),
  topic: z.enum(TOPICS),
  difficulty: z.number().int().min(1).max(5),
  summary: z.string().min(10).max(300),
  policies: z.array(sectionRef).min(1),
  handoff: z.strictObject({
    intent: text,
    note: text,
    sentiment: z.enum(['calm', 'frustrated', 'angry', 'distressed']),
    verified: z.boolean(),
    language: z.string().default('English'),
  }),
  customer: z.strictObject({ name: text, role: z.enum(['buyer', 'seller']), mood: text }),
  order: z.strictObject({
    id: z.string().regex(/^ML-\d{4}-\d{6}$/, 'an order id such as ML-7302-118846'),
    item: text,
    type: z.enum(['standard', 'fbm', 'presale']),
    lines: z.array(z.strictObject({ label: text, amount: money })).min(1),
    payments: z.array(z.strictObject({ method: text, amount: money, status: text.optional() })).default([]),
  }),
  timeline: z
    .array(z.strictObject({ at: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'a time as YYYY-MM-DD HH:MM'), event: text, detail: text.optional() }))
    .min(1),
  chat: z.array(z.strictObject({ from: z.enum(['customer', 'bot', 'agent']), at: z.string().regex(/^\d{2}:\d{2}$/).optional(), text })).min(1),
  items: z.array(itemSchema).min(1).max(6),
});
export type ScenarioFile = z.infer<typeof scenarioSchema>;

export const quizSchema = z.strictObject({
  id: slug,
  module: slug,
  title: z.string().min(3),
  /** The day of the track the quiz opens. */
  day: z.number().int().min(1),
  /** Percent needed to pass. */
  passMark: z.number().int().min(1).max(100).default(70),
  scenarios: z.array(slug).min(1).max(10),
});
export type QuizFile = z.infer<typeof quizSchema>;

/** An item's topic and difficulty: its own when it sets them, else its scenario's. */
export function itemTopicAndDifficulty(
  scenario: { topic: string; difficulty: number },
  item: { topic?: string; difficulty?: number },
): { topic: string; difficulty: number } {
  return { topic: item.topic ?? scenario.topic, difficulty: item.difficulty ?? scenario.difficulty };
}
