// Certification rules. Pure: who may sit the exam now, what a certification's status is at an
// instant, whether a user may take live chats on a queue, when recertification opens and which
// expiry reminder is due. Nothing here reads a clock or a database; instants come in as Dates (or
// ISO strings, as the database stores them) and every boundary is stated with the function.
//
// Validity is the half-open interval [issuedAt, expiresAt): at the instant of expiry a certification
// is expired. Queue access is derived from certifications each time it is asked for, never stored.
import type { ExamBlueprint } from '~/content/exam-schema';

export type Instant = Date | string;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function ms(instant: Instant): number {
  const value = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(value)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return value;
}

export interface CertificationDates {
  issuedAt: Instant;
  expiresAt: Instant;
  revokedAt: Instant | null;
}

export type CertificationStatus = 'valid' | 'expired' | 'revoked';

/**
 * Revoked once `revokedAt` has passed (a revocation outranks expiry: a verifier should learn it was
 * withdrawn), else expired from the instant `expiresAt`, else valid.
 */
export function certificationStatus(certification: CertificationDates, now: Date): CertificationStatus {
  const at = now.getTime();
  if (certification.revokedAt !== null && ms(certification.revokedAt) <= at) return 'revoked';
  if (at >= ms(certification.expiresAt)) return 'expired';
  return 'valid';
}

/** When a certification issued at `issuedAt` under `blueprint` expires. */
export function certificationExpiry(issuedAt: Instant, blueprint: Pick<ExamBlueprint, 'validityDays'>): Date {
  return new Date(ms(issuedAt) + blueprint.validityDays * DAY_MS);
}

export interface RecertificationWindow {
  /** From this instant the exam may be sat again (included). */
  opensAt: Date;
  /** The certification's expiry; after it the exam is still open, as to anyone uncertified. */
  closesAt: Date;
}

export function recertificationWindow(
  expiresAt: Instant,
  blueprint: Pick<ExamBlueprint, 'recertificationOpensDaysBefore'>,
): RecertificationWindow {
  const closes = ms(expiresAt);
  return { opensAt: new Date(closes - blueprint.recertificationOpensDaysBefore * DAY_MS), closesAt: new Date(closes) };
}

/** Days before expiry on which the learner's dashboard starts each reminder. */
export const REMINDER_DAYS = [30, 7] as const;
export type ReminderThreshold = (typeof REMINDER_DAYS)[number];

export interface ExpiryReminder {
  /** The nearest threshold already reached: 30 from 30 days before expiry, 7 from 7 days before. */
  threshold: ReminderThreshold;
  /** Whole days left, rounded up (1 in the last day). */
  daysLeft: number;
  expiresAt: Date;
}

/**
 * The reminder due for a certification at `now`: none before 30 days remain, the 30-day reminder from
 * exactly 30 days before expiry, the 7-day one from exactly 7 days before, and none once it has
 * expired or been revoked (the status says so instead).
 */
export function expiryReminder(certification: CertificationDates, now: Date): ExpiryReminder | null {
  if (certificationStatus(certification, now) !== 'valid') return null;
  const expires = ms(certification.expiresAt);
  const left = expires - now.getTime();
  let threshold: ReminderThreshold | null = null;
  for (const days of REMINDER_DAYS) if (left <= days * DAY_MS) threshold = days;
  if (threshold === null) return null;
  return { threshold, daysLeft: Math.ceil(left / DAY_MS), expiresAt: new Date(expires) };
}

export type QueueAccessStatus = 'granted' | 'expired' | 'revoked' | 'not_certified' | 'inactive';

export interface QueueAccess<C> {
  /**
   * granted: active, with a valid certification; inactive: the account is disabled, whatever its
   * certifications; otherwise the status of the latest certification, or not_certified without one.
   */
  status: QueueAccessStatus;
  granted: boolean;
  /** The certification the status is about (the valid one expiring last when granted), or null. */
  certification: C | null;
  /** While granted: when access ends by itself unless something else changes. */
  until: Date | null;
}

/**
 * Whether a user may take live chats on a queue, from their certifications for that queue.
 * Access is granted while the user is active and holds a certification that is issued, unexpired
 * and not revoked; with several, the one expiring last counts. Nothing is stored: ask again later
 * and an expiry has taken effect by itself.
 */
export function queueAccess<C extends CertificationDates>(user: { active: boolean }, certifications: readonly C[], now: Date): QueueAccess<C> {
  const valid = certifications
    .filter((c) => certificationStatus(c, now) === 'valid')
    .sort((a, b) => ms(b.expiresAt) - ms(a.expiresAt));
  const best = valid[0];
  if (best && user.active) return { status: 'granted', granted: true, certification: best, until: new Date(ms(best.expiresAt)) };
  if (best) return { status: 'inactive', granted: false, certification: best, until: null };
  const latest = [...certifications].sort((a, b) => ms(b.issuedAt) - ms(a.issuedAt))[0];
  if (!user.active) return { status: 'inactive', granted: false, certification: latest ?? null, until: null };
  if (!latest) return { status: 'not_certified', granted: false, certification: null, until: null };
  const status = certificationStatus(latest, now);
  return { status: status === 'revoked' ? 'revoked' : 'expired', granted: false, certification: latest, until: null };
}

export interface ExamAttemptSummary {
  status: 'in_progress' | 'submitted';
  /** null until graded (open, or written replies awaiting a trainer). */
  passed: boolean | null;
  submittedAt: Instant | null;
}

export interface EligibilityInput {
  /** Every module of the track complete (see isModuleComplete in schedule.ts). */
  modulesComplete: boolean;
  /** The learner's day of the track today (trackDay in schedule.ts). */
  trackDay: number;
  blueprint: Pick<ExamBlueprint, 'attemptLimit' | 'cooldownHours' | 'eligibility' | 'recertificationOpensDaysBefore'>;
  /** The learner's attempts at this exam since a manager last reset them. */
  attempts: readonly ExamAttemptSummary[];
  now: Date;
  /** Attempts a manager granted on top of the limit since the last reset. */
  extraAttempts?: number;
  /** The learner's latest certification for the exam's queue, if any. */
  certification?: CertificationDates | null;
  /** A manager waived the cooldown: failures submitted up to this instant start none. */
  cooldownWaivedAt?: Instant | null;
}

export type EligibilityCheck =
  | 'modules'
  | 'day'
  | 'certified'
  | 'passed'
  | 'awaiting-review'
  | 'attempts'
  | 'cooldown';

export interface ExamEligibility {
  /** May start (or resume) an attempt now. */
  eligible: boolean;
  /** An attempt is open: "start" resumes it (it was counted when it began). */
  resume: boolean;
  /** What stands in the way, in words for the learner; empty when eligible. */
  missing: string[];
  /** The same, as stable keys for the checklist on /exam. */
  failed: EligibilityCheck[];
  attemptsUsed: number;
  attemptsLeft: number;
  /** While a cooldown after a failed attempt is running (and an attempt is left to use): when it ends. */
  cooldownEndsAt: Date | null;
  /** For a certified learner: when the recertification exam opens. */
  recertificationOpensAt: Date | null;
}

/**
 * Who may sit the exam now, and if not, everything that is missing (not only the first thing).
 *
 * - Eligibility: all modules complete (when the blueprint asks) and at least day `notBeforeDay` of the track.
 * - Attempts count per cycle: the caller passes those since the last manager reset; a valid or expired
 *   certification starts a new cycle at its issue, so recertification has the full limit again. A revoked
 *   certification does not: its passing attempt still counts, and the learner cannot simply sit again
 *   until a manager reinstates the certification or resets the attempts.
 * - An open attempt is resumed, never doubled. A passed attempt, or one awaiting a trainer's grading,
 *   blocks a new one.
 * - After a failed attempt the next may start `cooldownHours` after its submission (at that instant exactly),
 *   unless a manager waived the cooldown after that submission.
 * - A valid certification blocks the exam until `recertificationOpensDaysBefore` days before it expires.
 */
export function examEligibility(input: EligibilityInput): ExamEligibility {
  const { blueprint, now } = input;
  const at = now.getTime();
  const failed: EligibilityCheck[] = [];
  const missing: string[] = [];
  const fail = (check: EligibilityCheck, reason: string) => {
    failed.push(check);
    missing.push(reason);
  };

  const certification = input.certification ?? null;
  const certificationState = certification ? certificationStatus(certification, now) : null;
  const cycleStart = certification && certificationState !== 'revoked' ? ms(certification.issuedAt) : null;
  const attempts = input.attempts.filter(
    (a) => cycleStart === null || a.submittedAt === null || ms(a.submittedAt) > cycleStart,
  );

  const open = attempts.some((a) => a.status === 'in_progress');
  const attemptsUsed = attempts.length;
  const attemptsLeft = Math.max(0, blueprint.attemptLimit + (input.extraAttempts ?? 0) - attemptsUsed);

  let recertificationOpensAt: Date | null = null;
  if (certification && certificationState === 'valid') {
    recertificationOpensAt = recertificationWindow(certification.expiresAt, blueprint).opensAt;
  }

  if (open) {
    // Checked when it started; an open attempt is always resumable (the deadline is the caller's to enforce).
    return { eligible: true, resume: true, missing, failed, attemptsUsed, attemptsLeft, cooldownEndsAt: null, recertificationOpensAt };
  }

  if (blueprint.eligibility.modulesComplete && !input.modulesComplete) {
    fail('modules', 'Complete every module of the track: all lessons and each weekly practice quiz.');
  }
  if (input.trackDay < blueprint.eligibility.notBeforeDay) {
    fail('day', `The exam opens on day ${blueprint.eligibility.notBeforeDay} of the track; today is day ${Math.max(input.trackDay, 0)}.`);
  }
  if (recertificationOpensAt && at < recertificationOpensAt.getTime()) {
    fail('certified', 'You are certified: the recertification exam opens before your certification expires.');
  }

  const submitted = attempts.filter((a) => a.status === 'submitted');
  if (submitted.some((a) => a.passed === true)) {
    fail(
      'passed',
      certificationState === 'revoked'
        ? 'You passed this exam, but the certification was revoked: a manager can reinstate it or reset your attempts.'
        : 'You have passed this exam.',
    );
  }
  if (submitted.some((a) => a.passed === null)) fail('awaiting-review', 'Your last attempt is awaiting review by a trainer.');

  let cooldownEndsAt: Date | null = null;
  if (attemptsLeft === 0) {
    fail('attempts', 'No attempts left: a manager can grant another attempt.');
  } else {
    const waivedUntil = input.cooldownWaivedAt ? ms(input.cooldownWaivedAt) : -Infinity;
    const failedAt = submitted.flatMap((a) => (a.passed === false && a.submittedAt !== null && ms(a.submittedAt) > waivedUntil ? [ms(a.submittedAt)] : []));
    const ends = failedAt.length > 0 ? Math.max(...failedAt) + blueprint.cooldownHours * HOUR_MS : null;
    if (ends !== null && at < ends) {
      cooldownEndsAt = new Date(ends);
      fail('cooldown', `After a failed attempt the next one opens ${blueprint.cooldownHours} hours later.`);
    }
  }

  return { eligible: failed.length === 0, resume: false, missing, failed, attemptsUsed, attemptsLeft, cooldownEndsAt, recertificationOpensAt };
}
