// What a manager or admin does to one learner (/manage/learners/:userId): their exam, certifications,
// schedule and excused weeks. One form per act, told apart by the submit button's `intent`. Every act
// is audited with its reason.
import { z } from 'zod';

const reason = z
  .string('Give a reason: it is kept in the audit trail.')
  .trim()
  .min(5, 'Give a reason of at least 5 characters: it is kept in the audit trail.')
  .max(500, 'Use at most 500 characters.');

/** A destructive act is confirmed with a ticked checkbox, so it works without JavaScript. */
const confirm = z.literal('on', 'Tick the box to confirm.');

const id = (what: string) => z.coerce.number(`Choose ${what}.`).int(`Choose ${what}.`).positive(`Choose ${what}.`);

const moduleId = z.string('Choose a week.').trim().min(1, 'Choose a week.').max(200, 'Choose a week.');

/** How far one extension may move a learner's schedule: up to four weeks at a time. */
export const EXTEND_DAYS = { min: 1, max: 28 } as const;

export const MANAGE_INTENTS = [
  'revoke',
  'reinstate',
  'reset-attempts',
  'extra-attempt',
  'extend-deadline',
  'waive-cooldown',
  'extend-schedule',
  'excuse-week',
  'unexcuse-week',
] as const;
export type ManageIntent = (typeof MANAGE_INTENTS)[number];

export const manageLearnerSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('revoke'), certificationId: id('a certification'), reason, confirm }),
  z.object({ intent: z.literal('reinstate'), certificationId: id('a certification'), reason }),
  z.object({ intent: z.literal('reset-attempts'), reason, confirm }),
  z.object({ intent: z.literal('extra-attempt'), reason }),
  z.object({
    intent: z.literal('extend-deadline'),
    attemptId: id('the exam in progress'),
    minutes: z.coerce
      .number('Enter a number of minutes.')
      .int('Enter whole minutes.')
      .min(5, 'Give at least 5 minutes.')
      .max(120, 'Give at most 120 minutes.'),
    reason,
  }),
  z.object({ intent: z.literal('waive-cooldown'), reason }),
  z.object({
    intent: z.literal('extend-schedule'),
    days: z.coerce
      .number('Enter a number of days.')
      .int('Enter whole days.')
      .min(EXTEND_DAYS.min, `Move the schedule by at least ${EXTEND_DAYS.min} day.`)
      .max(EXTEND_DAYS.max, `Move the schedule by at most ${EXTEND_DAYS.max} days at a time.`),
    reason,
  }),
  z.object({ intent: z.literal('excuse-week'), moduleId, reason }),
  z.object({ intent: z.literal('unexcuse-week'), moduleId, reason, confirm }),
]);

export type ManageLearnerInput = z.infer<typeof manageLearnerSchema>;

export function isManageIntent(value: unknown): value is ManageIntent {
  return typeof value === 'string' && (MANAGE_INTENTS as readonly string[]).includes(value);
}
