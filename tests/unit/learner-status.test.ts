import { describe, expect, it } from 'vitest';
import type { ExamAttemptSummary } from '~/domain/certification';
import {
  allModulesComplete,
  atRisk,
  atRiskReasonText,
  daysBehind,
  isLearnerStatusKind,
  LEARNER_STATUSES,
  learnerStatus,
  STATUS_LABELS,
  statusText,
  type LearningInput,
  type QuizRecord,
  type StatusInput,
} from '~/domain/learner-status';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-06-15T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const ahead = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

// Two weeks: lessons on days 1, 1, 2, 4 (week 1, quiz q1) and 8, 9 (week 2, quiz q2).
const LESSONS = [
  { id: 'l1', moduleId: 'w1', day: 1 },
  { id: 'l2', moduleId: 'w1', day: 1 },
  { id: 'l3', moduleId: 'w1', day: 2 },
  { id: 'l4', moduleId: 'w1', day: 4 },
  { id: 'l5', moduleId: 'w2', day: 8 },
  { id: 'l6', moduleId: 'w2', day: 9 },
];
const QUIZZES = [
  { id: 'q1', moduleId: 'w1', week: 1 },
  { id: 'q2', moduleId: 'w2', week: 2 },
];
const ALL = LESSONS.map((l) => l.id);

const BLUEPRINT = { attemptLimit: 3, cooldownHours: 24, eligibility: { modulesComplete: true, notBeforeDay: 10 }, recertificationOpensDaysBefore: 30 };

function learning(overrides: Partial<LearningInput> & { done?: string[]; results?: Record<string, QuizRecord>; excused?: string[] } = {}): LearningInput {
  const { done = [], results = {}, excused = [], ...rest } = overrides;
  return {
    trackDay: 1,
    lessons: LESSONS,
    completed: new Set(done),
    excusedModules: new Set(excused),
    quizzes: QUIZZES,
    quizResults: new Map(Object.entries(results)),
    lastActiveAt: ago(HOUR),
    now: NOW,
    ...rest,
  };
}

const passed: QuizRecord = { failures: 0, passed: true };
const bothPassed = { q1: passed, q2: passed };

type ExamOverrides = Partial<NonNullable<StatusInput['exam']>>;

function status(
  overrides: Parameters<typeof learning>[0] & { exam?: ExamOverrides | null; certification?: StatusInput['certification'] } = {},
) {
  const { exam, certification = null, ...rest } = overrides;
  return learnerStatus({
    ...learning(rest),
    exam: exam === null ? null : { blueprint: BLUEPRINT, attempts: [], uncounted: [], extraAttempts: 0, cooldownWaivedAt: null, ...exam },
    certification,
  });
}

const failedAt = (when: string): ExamAttemptSummary => ({ status: 'submitted', passed: false, submittedAt: when });
const OPEN: ExamAttemptSummary = { status: 'in_progress', passed: null, submittedAt: null };
const UNGRADED: ExamAttemptSummary = { status: 'submitted', passed: null, submittedAt: ago(HOUR) };
const certified = (overrides: { expiresAt?: string; revokedAt?: string | null } = {}) => ({
  issuedAt: ago(10 * DAY),
  expiresAt: overrides.expiresAt ?? ahead(170 * DAY),
  revokedAt: overrides.revokedAt ?? null,
});

describe('daysBehind', () => {
  it('is 0 before the track starts or without a start date, whatever is open', () => {
    expect(daysBehind(learning({ trackDay: null }))).toBe(0);
    expect(daysBehind(learning({ trackDay: 0 }))).toBe(0);
    expect(daysBehind(learning({ trackDay: -5 }))).toBe(0);
  });

  it('counts from the day of the earliest lesson not completed to today', () => {
    expect(daysBehind(learning({ trackDay: 1 }))).toBe(0); // today's lessons are not late
    expect(daysBehind(learning({ trackDay: 2 }))).toBe(1);
    expect(daysBehind(learning({ trackDay: 4 }))).toBe(3);
    expect(daysBehind(learning({ trackDay: 4, done: ['l1'] }))).toBe(3); // l2 is also day 1
    expect(daysBehind(learning({ trackDay: 4, done: ['l1', 'l2'] }))).toBe(2);
    expect(daysBehind(learning({ trackDay: 9, done: ['l1', 'l2', 'l3', 'l4'] }))).toBe(1);
  });

  it('uses the earliest open lesson even when later ones are done', () => {
    expect(daysBehind(learning({ trackDay: 9, done: ['l1', 'l2', 'l4', 'l5', 'l6'] }))).toBe(7);
  });

  it('is 0 when every lesson is done, or none before today is open', () => {
    expect(daysBehind(learning({ trackDay: 30, done: ALL }))).toBe(0);
    expect(daysBehind(learning({ trackDay: 4, done: ['l1', 'l2', 'l3'] }))).toBe(0);
  });

  it('keeps counting after the last day of the track', () => {
    expect(daysBehind(learning({ trackDay: 40, done: ['l1', 'l2', 'l3', 'l4', 'l5'] }))).toBe(31);
  });

  it('skips the lessons of an excused week', () => {
    expect(daysBehind(learning({ trackDay: 9, done: ['l5'], excused: ['w1'] }))).toBe(0);
    expect(daysBehind(learning({ trackDay: 12, excused: ['w1'] }))).toBe(4);
  });
});

describe('atRisk', () => {
  it('is empty for a learner on schedule, active, with no failed quiz', () => {
    expect(atRisk(learning({ trackDay: 3, done: ['l1', 'l2', 'l3'] }))).toEqual([]);
  });

  it('flags 3 days behind, not 2', () => {
    expect(atRisk(learning({ trackDay: 3 }))).toEqual([]);
    expect(atRisk(learning({ trackDay: 4 }))).toEqual([{ kind: 'behind', days: 3 }]);
  });

  it('flags a weekly quiz failed twice and never passed', () => {
    const base = { trackDay: 7, done: ['l1', 'l2', 'l3', 'l4'] };
    expect(atRisk(learning({ ...base, results: { q1: { failures: 1, passed: false } } }))).toEqual([]);
    expect(atRisk(learning({ ...base, results: { q1: { failures: 2, passed: false } } }))).toEqual([
      { kind: 'quiz-failed', quizId: 'q1', week: 1, failures: 2 },
    ]);
    expect(atRisk(learning({ ...base, results: { q1: { failures: 3, passed: false } } }))).toEqual([
      { kind: 'quiz-failed', quizId: 'q1', week: 1, failures: 3 },
    ]);
  });

  it('does not flag a quiz passed after failing it twice, nor one of an excused week', () => {
    const base = { trackDay: 7, done: ['l1', 'l2', 'l3', 'l4'] };
    expect(atRisk(learning({ ...base, results: { q1: { failures: 2, passed: true } } }))).toEqual([]);
    expect(atRisk(learning({ ...base, excused: ['w1'], results: { q1: { failures: 2, passed: false } } }))).toEqual([]);
  });

  it('flags no activity for 5 days (at exactly 5×24 h), not for less', () => {
    const base = { trackDay: 3, done: ['l1', 'l2', 'l3'] };
    expect(atRisk(learning({ ...base, lastActiveAt: ago(5 * DAY - 1) }))).toEqual([]);
    expect(atRisk(learning({ ...base, lastActiveAt: ago(5 * DAY) }))).toEqual([{ kind: 'inactive', days: 5, never: false }]);
    expect(atRisk(learning({ ...base, lastActiveAt: new Date(NOW.getTime() - 8 * DAY - HOUR) }))).toEqual([{ kind: 'inactive', days: 8, never: false }]);
  });

  it('flags a learner never active once the track started at least 5 days ago', () => {
    expect(atRisk(learning({ trackDay: 5, lastActiveAt: null, excused: ['w1'] }))).toEqual([]);
    expect(atRisk(learning({ trackDay: 6, lastActiveAt: null, excused: ['w1'] }))).toEqual([{ kind: 'inactive', days: 5, never: true }]);
  });

  it('is empty before the track starts, whatever else holds', () => {
    expect(atRisk(learning({ trackDay: 0, lastActiveAt: null, results: { q1: { failures: 2, passed: false } } }))).toEqual([]);
    expect(atRisk(learning({ trackDay: null, lastActiveAt: ago(30 * DAY) }))).toEqual([]);
  });

  it('gives every reason that applies, in a stable order', () => {
    const reasons = atRisk(
      learning({
        trackDay: 12,
        done: ['l1', 'l2', 'l3', 'l4'],
        lastActiveAt: ago(6 * DAY),
        results: { q1: { failures: 2, passed: false }, q2: { failures: 2, passed: false } },
      }),
    );
    expect(reasons.map((r) => r.kind)).toEqual(['behind', 'quiz-failed', 'quiz-failed', 'inactive']);
    expect(reasons.map(atRiskReasonText)).toEqual([
      '4 days behind schedule',
      'Week 1 quiz failed twice',
      'Week 2 quiz failed twice',
      'No activity for 6 days',
    ]);
  });
});

describe('allModulesComplete', () => {
  it('needs every lesson done and every quiz passed, an excused week counting as complete', () => {
    expect(allModulesComplete(learning({ done: ALL, results: bothPassed }))).toBe(true);
    expect(allModulesComplete(learning({ done: ALL, results: { q1: passed } }))).toBe(false);
    expect(allModulesComplete(learning({ done: ALL.slice(1), results: bothPassed }))).toBe(false);
    expect(allModulesComplete(learning({ done: ['l5', 'l6'], results: { q2: passed }, excused: ['w1'] }))).toBe(true);
  });
});

describe('learnerStatus: learning states', () => {
  it('is not-started without a start date or before day 1', () => {
    expect(status({ trackDay: null })).toEqual({ kind: 'not-started', startsInDays: null });
    expect(status({ trackDay: 0 })).toEqual({ kind: 'not-started', startsInDays: 1 });
    expect(status({ trackDay: -2 })).toEqual({ kind: 'not-started', startsInDays: 3 });
  });

  it('is on-track with nothing late, behind when a lesson is late, at-risk by any rule', () => {
    expect(status({ trackDay: 2, done: ['l1', 'l2'] })).toEqual({ kind: 'on-track' });
    expect(status({ trackDay: 3, done: ['l1', 'l2'] })).toEqual({ kind: 'behind', days: 1 });
    expect(status({ trackDay: 4, done: ['l1', 'l2'] })).toEqual({ kind: 'behind', days: 2 });
    expect(status({ trackDay: 4 })).toEqual({ kind: 'at-risk' });
    expect(status({ trackDay: 2, done: ['l1', 'l2'], lastActiveAt: ago(5 * DAY) })).toEqual({ kind: 'at-risk' });
    expect(status({ trackDay: 7, done: ['l1', 'l2', 'l3', 'l4'], results: { q1: { failures: 2, passed: false } } })).toEqual({
      kind: 'at-risk',
    });
  });

  it('is eligible with every module complete from the exam’s first day, even when inactive', () => {
    expect(status({ trackDay: 10, done: ALL, results: bothPassed })).toEqual({ kind: 'eligible' });
    expect(status({ trackDay: 10, done: ALL, results: bothPassed, lastActiveAt: ago(9 * DAY) })).toEqual({ kind: 'eligible' });
    expect(status({ trackDay: 9, done: ALL, results: bothPassed })).toEqual({ kind: 'on-track' });
    expect(status({ trackDay: 10, done: ALL, results: { q1: passed } })).toEqual({ kind: 'on-track' });
  });

  it('has no eligible state when the track has no exam', () => {
    expect(status({ trackDay: 10, done: ALL, results: bothPassed, exam: null })).toEqual({ kind: 'on-track' });
  });
});

describe('learnerStatus: exam states', () => {
  const ready = { trackDay: 12, done: ALL, results: bothPassed };

  it('shows an open attempt, then one awaiting review, before anything else about the exam', () => {
    expect(status({ ...ready, exam: { attempts: [OPEN] } })).toEqual({ kind: 'exam-in-progress' });
    expect(status({ ...ready, exam: { attempts: [failedAt(ago(2 * DAY)), OPEN] } })).toEqual({ kind: 'exam-in-progress' });
    expect(status({ ...ready, exam: { attempts: [UNGRADED] } })).toEqual({ kind: 'awaiting-review' });
    expect(status({ ...ready, exam: { attempts: [failedAt(ago(3 * DAY)), failedAt(ago(2 * DAY)), UNGRADED] } })).toEqual({ kind: 'awaiting-review' });
  });

  it('still shows an open or ungraded attempt from before a reset', () => {
    expect(status({ ...ready, exam: { uncounted: [OPEN] } })).toEqual({ kind: 'exam-in-progress' });
    expect(status({ ...ready, exam: { uncounted: [UNGRADED] } })).toEqual({ kind: 'awaiting-review' });
  });

  it('after a failure: cooldown while it runs, then attempts left, and none left at the limit', () => {
    expect(status({ ...ready, exam: { attempts: [failedAt(ago(HOUR))] } })).toEqual({ kind: 'failed-cooldown', until: ahead(23 * HOUR), attemptsLeft: 2 });
    expect(status({ ...ready, exam: { attempts: [failedAt(ago(24 * HOUR))] } })).toEqual({ kind: 'failed-attempts-left', attemptsLeft: 2 });
    const three = [failedAt(ago(5 * DAY)), failedAt(ago(3 * DAY)), failedAt(ago(HOUR))];
    expect(status({ ...ready, exam: { attempts: three } })).toEqual({ kind: 'failed-no-attempts' });
  });

  it('honours an extra attempt and a waived cooldown', () => {
    const three = [failedAt(ago(5 * DAY)), failedAt(ago(3 * DAY)), failedAt(ago(HOUR))];
    expect(status({ ...ready, exam: { attempts: three, extraAttempts: 1 } })).toEqual({ kind: 'failed-cooldown', until: ahead(23 * HOUR), attemptsLeft: 1 });
    expect(status({ ...ready, exam: { attempts: three, extraAttempts: 1, cooldownWaivedAt: ago(30 * 60_000) } })).toEqual({
      kind: 'failed-attempts-left',
      attemptsLeft: 1,
    });
  });

  it('ignores failures from before a reset: back to the learning states', () => {
    expect(status({ ...ready, exam: { attempts: [], uncounted: [failedAt(ago(2 * DAY)), failedAt(ago(DAY))] } })).toEqual({ kind: 'eligible' });
  });

  it('puts exam states before learning ones', () => {
    expect(status({ ...ready, lastActiveAt: ago(7 * DAY), exam: { attempts: [failedAt(ago(7 * DAY))] } })).toEqual({
      kind: 'failed-attempts-left',
      attemptsLeft: 2,
    });
  });
});

describe('learnerStatus: certification states first', () => {
  it('is certified until the expiry while valid, whatever else holds', () => {
    const certification = certified();
    expect(status({ trackDay: 40, certification })).toEqual({ kind: 'certified', until: certification.expiresAt });
    expect(status({ trackDay: 40, certification, exam: { attempts: [OPEN] } })).toEqual({ kind: 'certified', until: certification.expiresAt });
  });

  it('is revoked once revoked, even before the expiry; expired from the instant of expiry', () => {
    expect(status({ certification: certified({ revokedAt: ago(HOUR) }), exam: { attempts: [UNGRADED] } })).toEqual({ kind: 'revoked' });
    expect(status({ certification: certified({ revokedAt: ahead(HOUR) }) })).toMatchObject({ kind: 'certified' });
    expect(status({ certification: certified({ expiresAt: NOW.toISOString() }) })).toEqual({ kind: 'expired', at: NOW.toISOString() });
    expect(status({ certification: certified({ expiresAt: ago(DAY), revokedAt: ago(2 * DAY) }) })).toEqual({ kind: 'revoked' });
  });
});

describe('labels', () => {
  it('names every status, and says the dates and counts that matter', () => {
    for (const kind of LEARNER_STATUSES) {
      expect(STATUS_LABELS[kind].length).toBeGreaterThan(0);
      expect(isLearnerStatusKind(kind)).toBe(true);
    }
    expect(isLearnerStatusKind('nonsense')).toBe(false);
    expect(statusText({ kind: 'certified', until: '2027-01-31T10:00:00.000Z' })).toBe('Certified until 2027-01-31');
    expect(statusText({ kind: 'failed-attempts-left', attemptsLeft: 1 })).toBe('Failed, 1 attempt left');
    expect(statusText({ kind: 'failed-cooldown', until: '2026-06-16T11:00:00.000Z', attemptsLeft: 2 })).toBe('Failed, next attempt from 2026-06-16 (2 attempts left)');
    expect(statusText({ kind: 'behind', days: 2 })).toBe('Behind by 2 days');
    expect(statusText({ kind: 'not-started', startsInDays: 1 })).toBe('Not started (starts in 1 day)');
    expect(statusText({ kind: 'certified', until: '2027-01-31T10:00:00.000Z' }, () => '31 Jan')).toBe('Certified until 31 Jan');
    expect(statusText({ kind: 'on-track' })).toBe('On track');
    expect(atRiskReasonText({ kind: 'inactive', days: 6, never: true })).toBe('Not active since the start (6 days)');
    expect(atRiskReasonText({ kind: 'quiz-failed', quizId: 'q', week: 3, failures: 4 })).toBe('Week 3 quiz failed 4 times');
    expect(atRiskReasonText({ kind: 'behind', days: 1 })).toBe('1 day behind schedule');
  });
});
