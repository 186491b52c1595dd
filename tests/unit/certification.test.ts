import { describe, expect, it } from 'vitest';
import {
  certificationExpiry,
  certificationStatus,
  examEligibility,
  expiryReminder,
  queueAccess,
  recertificationWindow,
  REMINDER_DAYS,
  type CertificationDates,
  type EligibilityInput,
  type ExamAttemptSummary,
} from '~/domain/certification';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MS = 1;

const at = (iso: string) => new Date(iso);
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

// The shipped blueprint's rules.
const BLUEPRINT = {
  attemptLimit: 3,
  cooldownHours: 24,
  eligibility: { modulesComplete: true, notBeforeDay: 26 },
  validityDays: 180,
  recertificationOpensDaysBefore: 30,
};

const ISSUED = at('2026-03-01T09:30:00.000Z');
const EXPIRES = certificationExpiry(ISSUED, BLUEPRINT);

function certification(overrides: Partial<CertificationDates> = {}): CertificationDates {
  return { issuedAt: ISSUED, expiresAt: EXPIRES, revokedAt: null, ...overrides };
}

describe('certificationExpiry and recertificationWindow', () => {
  it('expires exactly validityDays after issue', () => {
    expect(EXPIRES.toISOString()).toBe('2026-08-28T09:30:00.000Z');
    expect(certificationExpiry('2026-03-01T09:30:00.000Z', { validityDays: 1 }).toISOString()).toBe('2026-03-02T09:30:00.000Z');
  });

  it('opens recertification exactly recertificationOpensDaysBefore days before expiry and closes at expiry', () => {
    const window = recertificationWindow(EXPIRES, BLUEPRINT);
    expect(window.opensAt.toISOString()).toBe('2026-07-29T09:30:00.000Z');
    expect(window.closesAt).toEqual(EXPIRES);
    expect(recertificationWindow('2026-08-28T09:30:00.000Z', { recertificationOpensDaysBefore: 0 }).opensAt).toEqual(EXPIRES);
  });

  it('refuses a date that is not an instant', () => {
    expect(() => recertificationWindow('next Tuesday', BLUEPRINT)).toThrow(RangeError);
    expect(() => certificationExpiry(new Date('nonsense'), BLUEPRINT)).toThrow(RangeError);
  });
});

describe('certificationStatus', () => {
  it('is valid from issue until the instant before expiry', () => {
    expect(certificationStatus(certification(), ISSUED)).toBe('valid');
    expect(certificationStatus(certification(), plus(EXPIRES, -MS))).toBe('valid');
  });

  it('is expired at the exact instant of expiry, and after', () => {
    expect(certificationStatus(certification(), EXPIRES)).toBe('expired');
    expect(certificationStatus(certification(), plus(EXPIRES, 400 * DAY))).toBe('expired');
  });

  it('is revoked from the instant of revocation, and stays revoked after it would have expired', () => {
    const revokedAt = at('2026-05-10T12:00:00.000Z');
    expect(certificationStatus(certification({ revokedAt }), plus(revokedAt, -MS))).toBe('valid');
    expect(certificationStatus(certification({ revokedAt }), revokedAt)).toBe('revoked');
    expect(certificationStatus(certification({ revokedAt }), plus(EXPIRES, DAY))).toBe('revoked');
  });

  it('reads ISO strings as the database stores them', () => {
    const stored = { issuedAt: ISSUED.toISOString(), expiresAt: EXPIRES.toISOString(), revokedAt: null };
    expect(certificationStatus(stored, plus(EXPIRES, -MS))).toBe('valid');
    expect(certificationStatus(stored, EXPIRES)).toBe('expired');
    expect(certificationStatus({ ...stored, revokedAt: '2026-04-01T00:00:00.000Z' }, at('2026-04-01T00:00:00.000Z'))).toBe('revoked');
  });
});

describe('expiryReminder', () => {
  it('reminds at 30 and 7 days before expiry', () => {
    expect(REMINDER_DAYS).toEqual([30, 7]);
  });

  it('says nothing until exactly 30 days remain', () => {
    expect(expiryReminder(certification(), ISSUED)).toBeNull();
    expect(expiryReminder(certification(), plus(EXPIRES, -30 * DAY - MS))).toBeNull();
    expect(expiryReminder(certification(), plus(EXPIRES, -30 * DAY))).toEqual({ threshold: 30, daysLeft: 30, expiresAt: EXPIRES });
  });

  it('keeps the 30-day reminder until exactly 7 days remain, then the 7-day one', () => {
    expect(expiryReminder(certification(), plus(EXPIRES, -7 * DAY - MS))).toEqual({ threshold: 30, daysLeft: 8, expiresAt: EXPIRES });
    expect(expiryReminder(certification(), plus(EXPIRES, -7 * DAY))).toEqual({ threshold: 7, daysLeft: 7, expiresAt: EXPIRES });
  });

  it('counts the last day as one day left, and stops at expiry', () => {
    expect(expiryReminder(certification(), plus(EXPIRES, -MS))).toMatchObject({ threshold: 7, daysLeft: 1 });
    expect(expiryReminder(certification(), plus(EXPIRES, -DAY - HOUR))).toMatchObject({ threshold: 7, daysLeft: 2 });
    expect(expiryReminder(certification(), EXPIRES)).toBeNull();
  });

  it('does not remind about a revoked certification', () => {
    expect(expiryReminder(certification({ revokedAt: ISSUED }), plus(EXPIRES, -3 * DAY))).toBeNull();
  });
});

describe('queueAccess', () => {
  const active = { active: true };
  type Credential = CertificationDates & { credentialId: string };
  const cred = (credentialId: string, issuedAt: Date, overrides: Partial<CertificationDates> = {}): Credential => ({
    credentialId,
    issuedAt,
    expiresAt: certificationExpiry(issuedAt, BLUEPRINT),
    revokedAt: null,
    ...overrides,
  });
  const first = cred('first', ISSUED);

  it('is not_certified without a certification', () => {
    expect(queueAccess(active, [], ISSUED)).toEqual({ status: 'not_certified', granted: false, certification: null, until: null });
  });

  it('is granted while active with a valid certification, until it expires', () => {
    expect(queueAccess(active, [first], plus(EXPIRES, -MS))).toEqual({ status: 'granted', granted: true, certification: first, until: EXPIRES });
  });

  it('ends by itself at the exact instant of expiry', () => {
    expect(queueAccess(active, [first], EXPIRES)).toEqual({ status: 'expired', granted: false, certification: first, until: null });
  });

  it('ends at revocation', () => {
    const revoked = { ...first, revokedAt: at('2026-04-01T00:00:00.000Z') };
    expect(queueAccess(active, [revoked], at('2026-04-01T00:00:00.000Z'))).toMatchObject({ status: 'revoked', granted: false, certification: revoked });
    expect(queueAccess(active, [revoked], at('2026-03-31T23:59:59.999Z'))).toMatchObject({ status: 'granted', granted: true });
  });

  it('is never granted to a disabled account, whatever it holds', () => {
    expect(queueAccess({ active: false }, [first], ISSUED)).toEqual({ status: 'inactive', granted: false, certification: first, until: null });
    expect(queueAccess({ active: false }, [], ISSUED)).toEqual({ status: 'inactive', granted: false, certification: null, until: null });
    expect(queueAccess({ active: false }, [first], EXPIRES)).toMatchObject({ status: 'inactive', granted: false, certification: first });
  });

  it('counts a renewed certification: an expired one beside a valid one is still granted', () => {
    const renewed = cred('renewed', plus(EXPIRES, -10 * DAY));
    const now = plus(EXPIRES, DAY);
    expect(queueAccess(active, [first, renewed], now)).toMatchObject({ status: 'granted', certification: { credentialId: 'renewed' }, until: renewed.expiresAt });
    expect(queueAccess(active, [renewed, first], now)).toMatchObject({ status: 'granted', certification: { credentialId: 'renewed' } });
  });

  it('with two valid certifications, holds the one expiring last', () => {
    const renewed = cred('renewed', plus(EXPIRES, -10 * DAY));
    expect(queueAccess(active, [renewed, first], plus(EXPIRES, -5 * DAY))).toMatchObject({ certification: { credentialId: 'renewed' }, until: renewed.expiresAt });
  });

  it('is granted on a valid certification even when a later one was revoked, and vice versa', () => {
    const later = cred('later', plus(ISSUED, 10 * DAY), { revokedAt: plus(ISSUED, 20 * DAY) });
    expect(queueAccess(active, [first, later], plus(ISSUED, 30 * DAY))).toMatchObject({ status: 'granted', certification: { credentialId: 'first' } });
    const revokedFirst = { ...first, revokedAt: plus(ISSUED, 5 * DAY) };
    const valid = cred('valid', plus(ISSUED, 10 * DAY));
    expect(queueAccess(active, [revokedFirst, valid], plus(ISSUED, 30 * DAY))).toMatchObject({ status: 'granted', certification: { credentialId: 'valid' } });
  });

  it('without a valid certification, reports the latest one issued', () => {
    const revoked = cred('revoked', ISSUED, { revokedAt: plus(ISSUED, DAY) });
    const expired = cred('expired', plus(ISSUED, 2 * DAY));
    const now = plus(expired.expiresAt as Date, DAY);
    expect(queueAccess(active, [revoked, expired], now)).toMatchObject({ status: 'expired', certification: { credentialId: 'expired' } });
    const laterRevoked = cred('later-revoked', plus(ISSUED, 3 * DAY), { revokedAt: plus(ISSUED, 4 * DAY) });
    expect(queueAccess(active, [expired, laterRevoked, revoked], now)).toMatchObject({ status: 'revoked', certification: { credentialId: 'later-revoked' } });
  });
});

describe('examEligibility', () => {
  const NOW = at('2026-02-26T10:00:00.000Z');
  const failedAt = (iso: string): ExamAttemptSummary => ({ status: 'submitted', passed: false, submittedAt: iso });
  const ready: EligibilityInput = { modulesComplete: true, trackDay: 26, blueprint: BLUEPRINT, attempts: [], now: NOW };
  const check = (overrides: Partial<EligibilityInput>) => examEligibility({ ...ready, ...overrides });

  it('lets a learner who has finished the modules sit from day 26, with 3 attempts', () => {
    expect(check({})).toEqual({
      eligible: true,
      resume: false,
      missing: [],
      failed: [],
      attemptsUsed: 0,
      attemptsLeft: 3,
      cooldownEndsAt: null,
      recertificationOpensAt: null,
    });
  });

  it('opens on day 26, not day 25', () => {
    expect(check({ trackDay: 25 })).toMatchObject({ eligible: false, failed: ['day'], missing: ['The exam opens on day 26 of the track; today is day 25.'] });
    expect(check({ trackDay: 26 }).eligible).toBe(true);
    expect(check({ trackDay: 40 }).eligible).toBe(true);
    expect(check({ trackDay: -3 }).missing).toEqual(['The exam opens on day 26 of the track; today is day 0.']);
  });

  it('needs every module complete, unless the blueprint does not ask for it', () => {
    expect(check({ modulesComplete: false })).toMatchObject({ eligible: false, failed: ['modules'] });
    expect(check({ modulesComplete: false, blueprint: { ...BLUEPRINT, eligibility: { modulesComplete: false, notBeforeDay: 26 } } }).eligible).toBe(true);
  });

  it('lists everything that is missing, not only the first thing', () => {
    const result = check({ modulesComplete: false, trackDay: 12 });
    expect(result.failed).toEqual(['modules', 'day']);
    expect(result.missing).toHaveLength(2);
    expect(result.missing[0]).toMatch(/module/);
  });

  describe('attempts', () => {
    it('counts down the attempts used, open ones included', () => {
      const twoFailed = [failedAt('2026-02-20T10:00:00Z'), failedAt('2026-02-22T10:00:00Z')];
      expect(check({ attempts: twoFailed })).toMatchObject({ eligible: true, attemptsUsed: 2, attemptsLeft: 1 });
      expect(check({ attempts: [{ status: 'in_progress', passed: null, submittedAt: null }] })).toMatchObject({ attemptsUsed: 1, attemptsLeft: 2 });
    });

    it('refuses a fourth attempt, and says a manager can grant one', () => {
      const three = ['2026-02-20T10:00:00Z', '2026-02-22T10:00:00Z', '2026-02-24T10:00:00Z'].map(failedAt);
      expect(check({ attempts: three })).toEqual({
        eligible: false,
        resume: false,
        missing: ['No attempts left: a manager can grant another attempt.'],
        failed: ['attempts'],
        attemptsUsed: 3,
        attemptsLeft: 0,
        cooldownEndsAt: null,
        recertificationOpensAt: null,
      });
    });

    it('adds attempts a manager granted', () => {
      const three = ['2026-02-20T10:00:00Z', '2026-02-22T10:00:00Z', '2026-02-24T10:00:00Z'].map(failedAt);
      expect(check({ attempts: three, extraAttempts: 1 })).toMatchObject({ eligible: true, attemptsLeft: 1 });
      expect(check({ attempts: [...three, failedAt('2026-02-25T08:00:00Z')], extraAttempts: 1 })).toMatchObject({ eligible: false, failed: ['attempts'], attemptsLeft: 0 });
    });

    it('resumes an open attempt instead of starting another, even when the limit is reached', () => {
      const attempts: ExamAttemptSummary[] = [
        failedAt('2026-02-20T10:00:00Z'),
        failedAt('2026-02-22T10:00:00Z'),
        { status: 'in_progress', passed: null, submittedAt: null },
      ];
      expect(check({ attempts })).toMatchObject({ eligible: true, resume: true, attemptsUsed: 3, attemptsLeft: 0, missing: [] });
    });

    it('refuses a new attempt after a pass', () => {
      expect(check({ attempts: [{ status: 'submitted', passed: true, submittedAt: '2026-02-25T10:00:00Z' }] })).toMatchObject({
        eligible: false,
        failed: ['passed'],
        missing: ['You have passed this exam.'],
      });
    });

    it('waits while written replies of the last attempt are being graded', () => {
      expect(check({ attempts: [{ status: 'submitted', passed: null, submittedAt: '2026-02-25T10:00:00Z' }] })).toMatchObject({
        eligible: false,
        failed: ['awaiting-review'],
      });
    });
  });

  describe('cooldown after a failed attempt', () => {
    const FAILED = at('2026-02-25T10:00:00.000Z');
    const ENDS = plus(FAILED, 24 * HOUR);
    const attempts = [failedAt(FAILED.toISOString())];

    it('runs for cooldownHours from the submission, and ends at that instant exactly', () => {
      expect(check({ attempts, now: plus(FAILED, MS) })).toMatchObject({ eligible: false, failed: ['cooldown'], cooldownEndsAt: ENDS });
      expect(check({ attempts, now: plus(ENDS, -MS) })).toMatchObject({ eligible: false, failed: ['cooldown'], cooldownEndsAt: ENDS });
      expect(check({ attempts, now: ENDS })).toMatchObject({ eligible: true, cooldownEndsAt: null, attemptsLeft: 2 });
    });

    it('counts from the latest failure', () => {
      const two = [failedAt('2026-02-24T12:00:00.000Z'), ...attempts];
      expect(check({ attempts: [...two].reverse(), now: plus(FAILED, 23 * HOUR) })).toMatchObject({ cooldownEndsAt: ENDS });
    });

    it('is not shown when no attempt is left to wait for', () => {
      const three = ['2026-02-23T10:00:00Z', '2026-02-24T10:00:00Z', FAILED.toISOString()].map(failedAt);
      expect(check({ attempts: three, now: plus(FAILED, HOUR) })).toMatchObject({ failed: ['attempts'], cooldownEndsAt: null });
    });

    it('is lifted when a manager waives it, and a later failure starts a new one', () => {
      const waived = plus(FAILED, HOUR);
      expect(check({ attempts, now: plus(FAILED, 2 * HOUR), cooldownWaivedAt: waived })).toMatchObject({ eligible: true, cooldownEndsAt: null });
      const later = plus(FAILED, 3 * HOUR);
      const again = [...attempts, failedAt(later.toISOString())];
      expect(check({ attempts: again, now: plus(later, HOUR), cooldownWaivedAt: waived })).toMatchObject({ failed: ['cooldown'], cooldownEndsAt: plus(later, 24 * HOUR) });
    });

    it('does not exist with cooldownHours 0', () => {
      expect(check({ attempts, now: FAILED, blueprint: { ...BLUEPRINT, cooldownHours: 0 } })).toMatchObject({ eligible: true, cooldownEndsAt: null });
    });
  });

  describe('with a certification', () => {
    const passed: ExamAttemptSummary = { status: 'submitted', passed: true, submittedAt: plus(ISSUED, -2 * HOUR).toISOString() };
    const opens = recertificationWindow(EXPIRES, BLUEPRINT).opensAt;

    it('refuses the exam while certified, until recertification opens, and says when', () => {
      expect(check({ attempts: [passed], certification: certification(), now: plus(opens, -MS) })).toMatchObject({
        eligible: false,
        failed: ['certified'],
        recertificationOpensAt: opens,
      });
    });

    it('opens recertification exactly 30 days before expiry, with the full attempt limit again', () => {
      const earlier = [failedAt(plus(ISSUED, -3 * DAY).toISOString()), passed];
      expect(check({ attempts: earlier, certification: certification(), now: opens })).toMatchObject({
        eligible: true,
        attemptsUsed: 0,
        attemptsLeft: 3,
        recertificationOpensAt: opens,
      });
    });

    it('applies the limit and the cooldown to recertification attempts', () => {
      const recertFail = failedAt(plus(opens, DAY).toISOString());
      expect(check({ attempts: [passed, recertFail], certification: certification(), now: plus(opens, DAY + HOUR) })).toMatchObject({
        eligible: false,
        failed: ['cooldown'],
        attemptsLeft: 2,
      });
      const three = [1, 3, 5].map((d) => failedAt(plus(opens, d * DAY).toISOString()));
      expect(check({ attempts: [passed, ...three], certification: certification(), now: plus(opens, 7 * DAY) })).toMatchObject({
        eligible: false,
        failed: ['attempts'],
      });
    });

    it('lets a learner whose certification expired sit again', () => {
      expect(check({ attempts: [passed], certification: certification(), now: plus(EXPIRES, 10 * DAY) })).toMatchObject({
        eligible: true,
        attemptsLeft: 3,
        recertificationOpensAt: null,
      });
    });

    it('does not let a learner sit their way round a revocation', () => {
      const revoked = certification({ revokedAt: plus(ISSUED, 10 * DAY) });
      const result = check({ attempts: [passed], certification: revoked, now: plus(ISSUED, 11 * DAY) });
      expect(result).toMatchObject({ eligible: false, failed: ['passed'] });
      expect(result.missing[0]).toMatch(/revoked: a manager can reinstate it or reset your attempts/);
      // A manager's reset means the caller passes no attempts from before it: the exam opens again.
      expect(check({ attempts: [], certification: revoked, now: plus(ISSUED, 11 * DAY) })).toMatchObject({ eligible: true, attemptsLeft: 3 });
    });
  });
});
