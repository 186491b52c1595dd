// Where a learner stands, as a manager sees it on the roster. Pure: the caller reads the learner's
// records and the clock; this decides "at risk" and the one status shown per learner.
//
// Days behind: the track day of the earliest lesson not completed (weeks a manager excused do not
// count) compared with today's track day; behind = today − that day, and 0 when no such lesson has
// opened before today (today's own lessons are not late yet) or the track has not started.
//
// At risk (any of):
// - at least 3 days behind;
// - a weekly quiz failed twice: two submitted practice attempts of one quiz not passed, and the quiz
//   never passed (a pass at any time makes the week's quiz done; an excused week does not count);
// - no activity for 5 days: last activity at least 5×24 h ago, or never active although the track
//   started at least 5 days ago (day 6 or later; a learner enrolled yesterday is not "inactive").
// Nobody is at risk before their track has started, nor once a certification decides the status.
//
// Status precedence (the first that applies):
// 1. certification (the latest for the exam's queue): certified (valid, until its expiry) → revoked → expired;
// 2. the exam: an attempt open → exam-in-progress; a submitted attempt waiting for a trainer →
//    awaiting-review (both also for attempts from before a manager's reset: they still happened);
//    a failed attempt counted since the last reset → failed-no-attempts (none left), failed-cooldown
//    (the cooldown is running), failed-attempts-left;
// 3. learning: not-started (no start date, or it is in the future) → eligible (may sit the exam now) →
//    at-risk → behind (at least 1 day) → on-track.
import { certificationStatus, examEligibility, type CertificationDates, type EligibilityInput, type ExamAttemptSummary, type Instant } from './certification';

export const AT_RISK_DAYS_BEHIND = 3;
export const AT_RISK_QUIZ_FAILURES = 2;
export const AT_RISK_INACTIVE_DAYS = 5;

const DAY_MS = 86_400_000;

export interface RosterLesson {
  id: string;
  moduleId: string;
  day: number;
}

export interface RosterQuiz {
  id: string;
  moduleId: string;
  /** The module's week, for saying which quiz. */
  week: number;
}

export interface QuizRecord {
  /** Submitted attempts not passed. */
  failures: number;
  /** Passed at least once. */
  passed: boolean;
}

export interface LearningInput {
  /** Today's day of the learner's track (trackDay in schedule.ts); null without a start date. */
  trackDay: number | null;
  /** The track's lessons (retired ones left out). */
  lessons: readonly RosterLesson[];
  /** Lesson ids completed (a Set will do; only `has` is asked). */
  completed: Pick<ReadonlySet<string>, 'has'>;
  /** Modules (weeks) a manager excused: they count as complete. */
  excusedModules: Pick<ReadonlySet<string>, 'has'>;
  /** The track's weekly practice quizzes. */
  quizzes: readonly RosterQuiz[];
  /** By quiz id; a quiz never submitted is absent. */
  quizResults: Pick<ReadonlyMap<string, QuizRecord>, 'get'>;
  lastActiveAt: Instant | null;
  now: Date;
}

export type AtRiskReason =
  | { kind: 'behind'; days: number }
  | { kind: 'quiz-failed'; quizId: string; week: number; failures: number }
  /** days: whole days since the last activity (or since the track started, when `never`). */
  | { kind: 'inactive'; days: number; never: boolean };

function ms(instant: Instant): number {
  return typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
}

function hasStarted(trackDay: number | null): trackDay is number {
  return trackDay !== null && trackDay >= 1;
}

/** How many days behind schedule (see the top of this file); 0 before the track starts. */
export function daysBehind(input: Pick<LearningInput, 'trackDay' | 'lessons' | 'completed' | 'excusedModules'>): number {
  if (!hasStarted(input.trackDay)) return 0;
  let earliest = Infinity;
  for (const lesson of input.lessons) {
    if (lesson.day < earliest && !input.completed.has(lesson.id) && !input.excusedModules.has(lesson.moduleId)) earliest = lesson.day;
  }
  return earliest === Infinity ? 0 : Math.max(0, input.trackDay - earliest);
}

/** Why the learner is at risk (see the top of this file); empty when they are not. */
export function atRisk(input: LearningInput): AtRiskReason[] {
  if (!hasStarted(input.trackDay)) return [];
  const reasons: AtRiskReason[] = [];
  const behind = daysBehind(input);
  if (behind >= AT_RISK_DAYS_BEHIND) reasons.push({ kind: 'behind', days: behind });
  for (const quiz of input.quizzes) {
    if (input.excusedModules.has(quiz.moduleId)) continue;
    const result = input.quizResults.get(quiz.id);
    if (result && !result.passed && result.failures >= AT_RISK_QUIZ_FAILURES) {
      reasons.push({ kind: 'quiz-failed', quizId: quiz.id, week: quiz.week, failures: result.failures });
    }
  }
  if (input.lastActiveAt === null) {
    const sinceStart = input.trackDay - 1;
    if (sinceStart >= AT_RISK_INACTIVE_DAYS) reasons.push({ kind: 'inactive', days: sinceStart, never: true });
  } else {
    const idle = input.now.getTime() - ms(input.lastActiveAt);
    if (idle >= AT_RISK_INACTIVE_DAYS * DAY_MS) reasons.push({ kind: 'inactive', days: Math.floor(idle / DAY_MS), never: false });
  }
  return reasons;
}

/** Every module of the track complete: its lessons done and its quiz passed, or excused. */
export function allModulesComplete(input: Pick<LearningInput, 'lessons' | 'completed' | 'excusedModules' | 'quizzes' | 'quizResults'>): boolean {
  for (const lesson of input.lessons) {
    if (!input.completed.has(lesson.id) && !input.excusedModules.has(lesson.moduleId)) return false;
  }
  for (const quiz of input.quizzes) {
    if (!input.excusedModules.has(quiz.moduleId) && !input.quizResults.get(quiz.id)?.passed) return false;
  }
  return true;
}

export const LEARNER_STATUSES = [
  'not-started',
  'at-risk',
  'behind',
  'on-track',
  'eligible',
  'exam-in-progress',
  'awaiting-review',
  'failed-attempts-left',
  'failed-cooldown',
  'failed-no-attempts',
  'certified',
  'expired',
  'revoked',
] as const;
export type LearnerStatusKind = (typeof LEARNER_STATUSES)[number];

export function isLearnerStatusKind(value: unknown): value is LearnerStatusKind {
  return typeof value === 'string' && (LEARNER_STATUSES as readonly string[]).includes(value);
}

/** Dates are ISO strings, so a status travels to the page and into a CSV as it is. */
export type LearnerStatus =
  | { kind: 'certified'; until: string }
  | { kind: 'revoked' }
  | { kind: 'expired'; at: string }
  | { kind: 'exam-in-progress' }
  | { kind: 'awaiting-review' }
  | { kind: 'failed-no-attempts' }
  | { kind: 'failed-cooldown'; until: string; attemptsLeft: number }
  | { kind: 'failed-attempts-left'; attemptsLeft: number }
  | { kind: 'not-started'; startsInDays: number | null }
  | { kind: 'eligible' }
  | { kind: 'at-risk' }
  | { kind: 'behind'; days: number }
  | { kind: 'on-track' };

export interface StatusInput extends LearningInput {
  /** The track's certification exam; null when it has none (then no exam or eligible state applies). */
  exam: {
    blueprint: EligibilityInput['blueprint'];
    /** Attempts counted since a manager's last reset (countedAttempts in exam.server). */
    attempts: readonly ExamAttemptSummary[];
    /** Attempts from before the last reset: they no longer count, but one may still be open or ungraded. */
    uncounted: readonly ExamAttemptSummary[];
    extraAttempts: number;
    cooldownWaivedAt: Instant | null;
  } | null;
  /** The latest certification for the exam's queue, if any. */
  certification: CertificationDates | null;
}

function iso(instant: Instant): string {
  return new Date(ms(instant)).toISOString();
}

/** The one status shown for a learner, by the precedence at the top of this file. */
export function learnerStatus(input: StatusInput): LearnerStatus {
  return learnerStanding(input).status;
}

export interface LearnerStanding {
  status: LearnerStatus;
  /** The at-risk reasons; empty once a certification decides the status (the learning is behind them). */
  reasons: AtRiskReason[];
}

/** The status and the at-risk reasons together, each rule evaluated once (the roster does this for thousands). */
export function learnerStanding(input: StatusInput): LearnerStanding {
  const { certification, exam, now } = input;
  if (certification) {
    const state = certificationStatus(certification, now);
    if (state === 'valid') return { status: { kind: 'certified', until: iso(certification.expiresAt) }, reasons: [] };
    if (state === 'revoked') return { status: { kind: 'revoked' }, reasons: [] };
    return { status: { kind: 'expired', at: iso(certification.expiresAt) }, reasons: [] };
  }
  const reasons = atRisk(input);
  const standing = (status: LearnerStatus): LearnerStanding => ({ status, reasons });

  let eligible = false;
  if (exam) {
    const every = [...exam.attempts, ...exam.uncounted];
    if (every.some((a) => a.status === 'in_progress')) return standing({ kind: 'exam-in-progress' });
    if (every.some((a) => a.status === 'submitted' && a.passed === null)) return standing({ kind: 'awaiting-review' });
    const failed = exam.attempts.some((a) => a.status === 'submitted' && a.passed === false);
    // examEligibility is the judge; it is only asked when its answer can matter (it builds messages).
    const mayBeEligible = hasStarted(input.trackDay) && input.trackDay >= exam.blueprint.eligibility.notBeforeDay;
    if (failed || mayBeEligible) {
      const eligibility = examEligibility({
        modulesComplete: allModulesComplete(input),
        trackDay: input.trackDay ?? 0,
        blueprint: exam.blueprint,
        attempts: exam.attempts,
        extraAttempts: exam.extraAttempts,
        cooldownWaivedAt: exam.cooldownWaivedAt,
        certification: null,
        now,
      });
      if (failed) {
        if (eligibility.attemptsLeft === 0) return standing({ kind: 'failed-no-attempts' });
        if (eligibility.cooldownEndsAt) return standing({ kind: 'failed-cooldown', until: eligibility.cooldownEndsAt.toISOString(), attemptsLeft: eligibility.attemptsLeft });
        return standing({ kind: 'failed-attempts-left', attemptsLeft: eligibility.attemptsLeft });
      }
      eligible = eligibility.eligible;
    }
  }

  if (!hasStarted(input.trackDay)) return standing({ kind: 'not-started', startsInDays: input.trackDay === null ? null : 1 - input.trackDay });
  if (eligible) return standing({ kind: 'eligible' });
  if (reasons.length > 0) return standing({ kind: 'at-risk' });
  const behind = daysBehind(input);
  if (behind > 0) return standing({ kind: 'behind', days: behind });
  return standing({ kind: 'on-track' });
}

/** Certification states: past the learning, so "at risk" no longer applies to them. */
export function isCertificationStatus(kind: LearnerStatusKind): boolean {
  return kind === 'certified' || kind === 'expired' || kind === 'revoked';
}

export const STATUS_LABELS: Record<LearnerStatusKind, string> = {
  'not-started': 'Not started',
  'at-risk': 'At risk',
  behind: 'Behind',
  'on-track': 'On track',
  eligible: 'Eligible for the exam',
  'exam-in-progress': 'Exam in progress',
  'awaiting-review': 'Exam awaiting review',
  'failed-attempts-left': 'Failed, attempts left',
  'failed-cooldown': 'Failed, cooldown',
  'failed-no-attempts': 'Failed, no attempts left',
  certified: 'Certified',
  expired: 'Certification expired',
  revoked: 'Certification revoked',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The status in words; `formatDate` shows an ISO instant (by default as its UTC date, YYYY-MM-DD). */
export function statusText(status: LearnerStatus, formatDate: (iso: string) => string = (value) => value.slice(0, 10)): string {
  switch (status.kind) {
    case 'certified':
      return `Certified until ${formatDate(status.until)}`;
    case 'expired':
      return `Certification expired on ${formatDate(status.at)}`;
    case 'failed-cooldown':
      return `Failed, next attempt from ${formatDate(status.until)} (${plural(status.attemptsLeft, 'attempt')} left)`;
    case 'failed-attempts-left':
      return `Failed, ${plural(status.attemptsLeft, 'attempt')} left`;
    case 'behind':
      return `Behind by ${plural(status.days, 'day')}`;
    case 'not-started':
      return status.startsInDays === null ? 'Not started (no start date)' : `Not started (starts in ${plural(status.startsInDays, 'day')})`;
    default:
      return STATUS_LABELS[status.kind];
  }
}

export function atRiskReasonText(reason: AtRiskReason): string {
  switch (reason.kind) {
    case 'behind':
      return `${plural(reason.days, 'day')} behind schedule`;
    case 'quiz-failed':
      return `Week ${reason.week} quiz failed ${reason.failures === 2 ? 'twice' : `${reason.failures} times`}`;
    case 'inactive':
      return reason.never ? `Not active since the start (${plural(reason.days, 'day')})` : `No activity for ${plural(reason.days, 'day')}`;
  }
}
