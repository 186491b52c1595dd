// The trainer's grade of a written exam reply: one level per rubric criterion and an optional comment.
// The rubric differs from item to item, so the schema is built from it.
import { z } from 'zod';

export const COMMENT_MAX = 2000;

/** The form field holding the chosen level's points of the criterion at `index`. */
export const levelField = (index: number) => `level-${index}`;

export interface RubricCriterion {
  criterion: string;
  levels: readonly { points: number }[];
}

export function gradingSchema(rubric: readonly RubricCriterion[]) {
  const levels: Record<string, z.ZodType<number, string>> = {};
  rubric.forEach((criterion, index) => {
    const message = `Choose a level for “${criterion.criterion}”.`;
    const allowed = new Set(criterion.levels.map((l) => String(l.points)));
    levels[levelField(index)] = z
      .string({ error: message })
      .refine((v) => allowed.has(v), message)
      .transform(Number);
  });
  const comment = z.string().trim().max(COMMENT_MAX, `Keep the comment to at most ${COMMENT_MAX} characters.`).default('');
  return z.intersection(z.object(levels), z.object({ comment })).transform((form) => ({
    // Rubric order, as gradeWrittenReply wants them.
    levels: rubric.map((_, index) => form[levelField(index)] ?? Number.NaN),
    comment: form.comment,
  }));
}

/** What `?graded=` after a saved grade tells the trainer about the attempt. */
export type GradedOutcome = 'final' | 'certified' | 'waiting';

export function gradedMessage(outcome: string | null): string | null {
  switch (outcome) {
    case 'certified':
      return 'Grade saved. That was the last reply waiting in the attempt: its result is now final, and the learner passed and is certified.';
    case 'final':
      return 'Grade saved. That was the last reply waiting in the attempt: its result is now final.';
    case 'waiting':
      return 'Grade saved. Other replies of the same attempt are still waiting, so its result is not final yet.';
    default:
      return null;
  }
}
