// The shape of an exam blueprint in content/exams/<id>.yaml: how a certification exam is drawn from
// the published scenario pool, how it is sat and what a pass is worth. Checked on load like the other
// content: an error names the file, the field and the line. Not a server module, so the studio's
// blueprint editor can use the same schema in the browser.
import { z } from 'zod';
import { TOPICS } from './scenario-schema';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

const difficulty = z.number().int().min(1).max(5);

/** An exam longer than this is a mistake in the blueprint, not a test anyone should sit. */
export const MAX_EXAM_ITEMS = 100;

export const SHOW_ANSWERS = ['never', 'after-passing', 'always'] as const;
export type ShowAnswers = (typeof SHOW_ANSWERS)[number];

export const examSectionSchema = z.strictObject({
  topic: z.enum(TOPICS),
  /** How many items of this topic the exam draws, each from a different scenario. */
  items: z.number().int().min(1).max(40),
  /** Lowest and highest difficulty drawn, both included. */
  difficulty: z
    .tuple([difficulty, difficulty])
    .refine(([min, max]) => min <= max, 'the lower difficulty comes first, e.g. [2, 4]'),
});
export type ExamSection = z.infer<typeof examSectionSchema>;

const examBlueprintShape = z.strictObject({
  id: slug,
  title: z.string().trim().min(3).max(120),
  /** The onboarding track (track.yaml's id) whose learners sit this exam. */
  track: slug,
  /** The live queue a pass unlocks, e.g. returns-refunds. */
  queue: slug,
  sections: z.array(examSectionSchema).min(1).max(20),
  durationMinutes: z.number().int().min(5).max(240),
  /** Percent of the points needed to pass (a wrong critical item fails whatever the score). */
  passMark: z.number().int().min(1).max(100),
  /** Attempts per certification cycle; a manager can grant more. */
  attemptLimit: z.number().int().min(1).max(10),
  /** Hours after a failed attempt before the next may start (0: straight away). */
  cooldownHours: z.number().int().min(0).max(720),
  eligibility: z.strictObject({
    /** Every module of the track (lessons and weekly practice quiz) must be complete. */
    modulesComplete: z.boolean(),
    /** The first day of the learner's track on which the exam opens. */
    notBeforeDay: z.number().int().min(1),
  }),
  /** How long a certification is valid after it is issued. */
  validityDays: z.number().int().min(1).max(1095),
  /** How many days before expiry a certified learner may sit the exam again. */
  recertificationOpensDaysBefore: z.number().int().min(0),
  /** When a learner may see the correct answers and feedback of a submitted exam. */
  showAnswers: z.enum(SHOW_ANSWERS),
});

export const examBlueprintSchema = examBlueprintShape.superRefine((blueprint, ctx) => {
  const total = examLength(blueprint);
  if (total > MAX_EXAM_ITEMS) {
    ctx.addIssue({ code: 'custom', path: ['sections'], message: `the sections add up to ${total} items; an exam has at most ${MAX_EXAM_ITEMS}` });
  }
  // Refinements run even when a field failed its own check; compare only two sound numbers.
  const validity = examBlueprintShape.shape.validityDays.safeParse(blueprint.validityDays).success;
  if (validity && blueprint.recertificationOpensDaysBefore >= blueprint.validityDays) {
    ctx.addIssue({
      code: 'custom',
      path: ['recertificationOpensDaysBefore'],
      message: `must be fewer than validityDays (${blueprint.validityDays}): recertification opens before expiry, not before issue`,
    });
  }
});
export type ExamBlueprint = z.infer<typeof examBlueprintSchema>;

/** The total number of items an exam drawn from `blueprint` has. */
export function examLength(blueprint: Pick<ExamBlueprint, 'sections'>): number {
  return blueprint.sections.reduce((n, s) => n + s.items, 0);
}
