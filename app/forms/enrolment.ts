// Forms of the cohort pages (/manage/cohorts…) and of a learner's enrolment page. Each route's forms
// are told apart by the submit button's `intent`.
import { z } from 'zod';
import { isIsoDate } from '~/domain/calendar';
import { identitySchema, isoDate } from './schemas';

const calendarDate = isoDate.refine(isIsoDate, 'This is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-02.');
/** An optional date field: empty means "none". */
const optionalDate = z
  .union([z.literal(''), calendarDate])
  .optional()
  .transform((v) => v || null);
const checkbox = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on');
const id = (what: string) => z.coerce.number(`Choose ${what}.`).int(`Choose ${what}.`).positive(`Choose ${what}.`);

export { cohortSchema as newCohortSchema } from './schemas';

/** One learner by email, written at once (no preview). */
export const enrolOneSchema = z.object({
  intent: z.literal('enrol-one'),
  email: identitySchema.shape.email,
  name: z.string().trim().max(100, 'Use at most 100 characters.').optional().transform((v) => v || null),
  startDate: optionalDate,
  allowMove: checkbox,
});

export const pasteSchema = z.object({
  intent: z.literal('preview-paste'),
  emails: z.string().trim().min(1, 'Paste at least one email address.'),
});

/** The confirm step carries the raw text of the preview, which is parsed and planned again. */
export const confirmSchema = z.object({
  intent: z.literal('confirm'),
  format: z.enum(['paste', 'csv']),
  text: z.string().min(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});

export const moveSchema = z.object({
  intent: z.literal('move'),
  cohortId: id('a cohort'),
  keepPersonalStart: checkbox,
});

export const startDateSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('set-start'), startDate: calendarDate }),
  z.object({ intent: z.literal('clear-start') }),
]);

export const learnerEnrolmentSchema = z.discriminatedUnion('intent', [moveSchema, ...startDateSchema.options]);
