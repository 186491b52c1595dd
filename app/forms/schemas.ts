// One schema per form, shared by the browser (react-hook-form) and the action that parses it again.
// The server also refuses common passwords (app/domain/password-policy.ts): that list is too big to ship.
import { z } from 'zod';
import { ROLES } from '~db/schema';

const email = z.string().trim().min(1, 'Enter an email address.').max(254).pipe(z.email('Enter an email address such as name@example.com.'));
const name = z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.');
const newPassword = z.string().min(12, 'Use at least 12 characters.').max(128, 'Use at most 128 characters.');

const passwordsMatch = {
  check: (v: { password: string; confirmPassword: string }) => v.password === v.confirmPassword,
  params: { path: ['confirmPassword'], message: 'The passwords do not match.' },
};

export const loginSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password.').max(1024),
  redirectTo: z.string().optional(),
});

export const setupSchema = z
  .object({ name, email, password: newPassword, confirmPassword: z.string() })
  .refine(passwordsMatch.check, passwordsMatch.params);

export const setPasswordSchema = z
  .object({ password: newPassword, confirmPassword: z.string() })
  .refine(passwordsMatch.check, passwordsMatch.params);

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.');

/** Who a person is: used by invitations and by the CLI's user:create. */
export const identitySchema = z.object({ email, name });

export const invitationSchema = identitySchema.extend({
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role.'),
  cohortId: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .pipe(z.number().int().positive().nullable()),
}).refine((v) => v.cohortId === null || v.roles.includes('learner'), {
  path: ['cohortId'],
  message: 'Only learners join a cohort: add the learner role or choose "No cohort yet".',
});

export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Choose a time zone from the list (e.g. Asia/Shanghai).');

export const cohortSchema = z.object({
  name: z.string().trim().min(2, 'Enter a cohort name.').max(80, 'Use at most 80 characters.'),
  startDate: isoDate,
  timeZone,
  managerIds: z.array(z.coerce.number().int().positive()).default([]),
});

export const rolesSchema = z.object({
  roles: z.array(z.enum(ROLES)),
});
