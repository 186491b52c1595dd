import { describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY, ADDRESS_POLICY, delayAfter, recordFailure, secondsLocked, type ThrottlePolicy, type ThrottleState } from '~/domain/throttle';

const T0 = Date.parse('2026-03-01T09:00:00Z');
const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** `count` failures, the i-th at T0 + i × `spacingMs`; returns every state along the way. */
function failures(count: number, spacingMs: number, policy: ThrottlePolicy = ACCOUNT_POLICY, start: ThrottleState | null = null) {
  const states: ThrottleState[] = [];
  let state = start;
  for (let i = 0; i < count; i++) {
    state = recordFailure(state, T0 + i * spacingMs, policy);
    states.push(state);
  }
  return states;
}

describe('delayAfter', () => {
  it('lets the first three account failures through without a wait', () => {
    expect([0, 1, 2, 3].map((n) => delayAfter(n, ACCOUNT_POLICY))).toEqual([0, 0, 0, 0]);
  });

  it('then doubles the wait with each failure', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => delayAfter(n, ACCOUNT_POLICY))).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });

  it('caps the account wait at 15 minutes', () => {
    expect(delayAfter(13, ACCOUNT_POLICY)).toBe(900); // 1024 would be over the cap
    expect(delayAfter(50, ACCOUNT_POLICY)).toBe(900);
    expect(delayAfter(10_000, ACCOUNT_POLICY)).toBe(900); // no overflow to Infinity or NaN
  });

  it('never shrinks as failures grow', () => {
    for (let n = 1; n < 200; n++) expect(delayAfter(n, ACCOUNT_POLICY)).toBeGreaterThanOrEqual(delayAfter(n - 1, ACCOUNT_POLICY));
  });

  it('is looser for a client address: ten free failures, 1 s base, 5-minute cap', () => {
    expect(delayAfter(10, ADDRESS_POLICY)).toBe(0);
    expect(delayAfter(11, ADDRESS_POLICY)).toBe(1);
    expect(delayAfter(12, ADDRESS_POLICY)).toBe(2);
    expect(delayAfter(19, ADDRESS_POLICY)).toBe(256);
    expect(delayAfter(20, ADDRESS_POLICY)).toBe(300);
    expect(delayAfter(1_000, ADDRESS_POLICY)).toBe(300);
  });
});

describe('recordFailure', () => {
  it('starts a window at the first failure, without a lock', () => {
    expect(recordFailure(null, T0, ACCOUNT_POLICY)).toEqual({ failures: 1, windowStartedAt: T0, lockedUntil: null });
  });

  it('counts failures within the window and locks from the fourth', () => {
    const states = failures(5, 10 * SECOND);
    expect(states.map((s) => s.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(states.every((s) => s.windowStartedAt === T0)).toBe(true);
    expect(states.map((s) => s.lockedUntil)).toEqual([null, null, null, T0 + 30 * SECOND + 2 * SECOND, T0 + 40 * SECOND + 4 * SECOND]);
  });

  it('keeps counting up to the last millisecond of the hour', () => {
    const first = recordFailure(null, T0, ACCOUNT_POLICY);
    const second = recordFailure(first, T0 + HOUR - 1, ACCOUNT_POLICY);
    expect(second).toMatchObject({ failures: 2, windowStartedAt: T0 });
  });

  it('starts afresh an hour after the window began, with the free failures back', () => {
    const states = failures(6, 10 * SECOND);
    const last = states.at(-1)!;
    expect(last.failures).toBe(6);
    const next = recordFailure(last, T0 + HOUR, ACCOUNT_POLICY);
    expect(next).toEqual({ failures: 1, windowStartedAt: T0 + HOUR, lockedUntil: null });
    const muchLater = recordFailure(last, T0 + 5 * HOUR, ACCOUNT_POLICY);
    expect(muchLater).toEqual({ failures: 1, windowStartedAt: T0 + 5 * HOUR, lockedUntil: null });
  });

  it('measures the hour from the first failure of the window, not the latest', () => {
    const states = failures(3, 20 * 60 * SECOND); // T0, +20 min, +40 min
    const fourth = recordFailure(states.at(-1)!, T0 + 59 * 60 * SECOND, ACCOUNT_POLICY);
    expect(fourth.failures).toBe(4);
    const fifth = recordFailure(fourth, T0 + 61 * 60 * SECOND, ACCOUNT_POLICY);
    expect(fifth).toMatchObject({ failures: 1, windowStartedAt: T0 + 61 * 60 * SECOND, lockedUntil: null });
  });

  it('locks an account that fails 100 times in an hour until the hour is over', () => {
    const states = failures(100, 10 * SECOND); // the 100th at T0 + 990 s
    const hundredth = states.at(-1)!;
    expect(hundredth.failures).toBe(100);
    expect(hundredth.lockedUntil).toBe(T0 + HOUR);
    expect(secondsLocked(hundredth, T0 + 990 * SECOND)).toBe(3600 - 990);
    expect(secondsLocked(hundredth, T0 + HOUR - 1)).toBe(1);
    expect(secondsLocked(hundredth, T0 + HOUR)).toBe(0);
    // the 99th still had only the usual (capped) wait
    expect(states[98]!.lockedUntil).toBe(T0 + 980 * SECOND + 900 * SECOND);
  });

  it('keeps the account locked to the end of the window for further failures past the cap', () => {
    const states = failures(100, 10 * SECOND);
    const more = recordFailure(states.at(-1)!, T0 + 1500 * SECOND, ACCOUNT_POLICY);
    expect(more.failures).toBe(101);
    expect(more.lockedUntil).toBe(T0 + HOUR);
    // and a new window after it starts with free attempts again
    expect(recordFailure(more, T0 + HOUR, ACCOUNT_POLICY)).toEqual({ failures: 1, windowStartedAt: T0 + HOUR, lockedUntil: null });
  });

  it('never shortens the wait when the cap is reached late in the window', () => {
    // 99 failures spread over the hour, the 100th ten seconds before the window ends: the usual
    // 15-minute wait must still apply, the cap can only make a lock longer.
    const states = failures(99, 36 * SECOND); // the 99th at T0 + 3528 s
    const hundredth = recordFailure(states.at(-1)!, T0 + HOUR - 10 * SECOND, ACCOUNT_POLICY);
    expect(hundredth.failures).toBe(100);
    expect(secondsLocked(hundredth, T0 + HOUR - 10 * SECOND)).toBeGreaterThanOrEqual(900);
  });

  it('lets a client address fail more often before it is locked', () => {
    const states = failures(12, SECOND, ADDRESS_POLICY);
    expect(states.slice(0, 10).every((s) => s.lockedUntil === null)).toBe(true);
    expect(states[10]!.lockedUntil).toBe(T0 + 10 * SECOND + 1 * SECOND);
    expect(states[11]!.lockedUntil).toBe(T0 + 11 * SECOND + 2 * SECOND);
    const capped = failures(500, SECOND, ADDRESS_POLICY).at(-1)!;
    expect(capped.lockedUntil).toBe(T0 + HOUR);
  });

  it('does not change the state it was given', () => {
    const before: ThrottleState = { failures: 5, windowStartedAt: T0, lockedUntil: T0 + 4 * SECOND };
    const copy = { ...before };
    recordFailure(before, T0 + 10 * SECOND, ACCOUNT_POLICY);
    expect(before).toEqual(copy);
  });
});

describe('secondsLocked', () => {
  it('is 0 with no state, no lock, or a lock that has ended', () => {
    expect(secondsLocked(null, T0)).toBe(0);
    expect(secondsLocked({ failures: 2, windowStartedAt: T0, lockedUntil: null }, T0)).toBe(0);
    expect(secondsLocked({ failures: 4, windowStartedAt: T0, lockedUntil: T0 + 2 * SECOND }, T0 + 2 * SECOND)).toBe(0);
    expect(secondsLocked({ failures: 4, windowStartedAt: T0, lockedUntil: T0 + 2 * SECOND }, T0 + 3 * SECOND)).toBe(0);
  });

  it('rounds a partial second up, so it never says 0 while still locked', () => {
    const state: ThrottleState = { failures: 4, windowStartedAt: T0, lockedUntil: T0 + 2 * SECOND };
    expect(secondsLocked(state, T0)).toBe(2);
    expect(secondsLocked(state, T0 + 500)).toBe(2);
    expect(secondsLocked(state, T0 + 1000)).toBe(1);
    expect(secondsLocked(state, T0 + 1999)).toBe(1);
  });

  it('matches the delay imposed by recordFailure', () => {
    const states = failures(13, 0);
    expect(states.map((s) => secondsLocked(s, T0))).toEqual([0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
  });
});
