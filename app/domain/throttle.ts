// Sign-in throttling: after a few free failures each further failure doubles the wait, and an
// account can fail at most a fixed number of times an hour. One policy for accounts, a looser
// one for client addresses (many people can share an office address).

export interface ThrottlePolicy {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  windowSeconds: number;
  maxFailuresPerWindow: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 3,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 3600,
  maxFailuresPerWindow: 100,
};

export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelaySeconds: 1,
  maxDelaySeconds: 5 * 60,
  windowSeconds: 3600,
  maxFailuresPerWindow: 500,
};

export interface ThrottleState {
  failures: number;
  windowStartedAt: number;
  lockedUntil: number | null;
}

/** Seconds of wait imposed after the n-th failure in a window. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.freeFailures) return 0;
  const doublings = failures - policy.freeFailures - 1;
  return Math.min(policy.baseDelaySeconds * 2 ** Math.min(doublings, 30), policy.maxDelaySeconds);
}

/** The state after one more failure at `now` (epoch ms). */
export function recordFailure(previous: ThrottleState | null, now: number, policy: ThrottlePolicy): ThrottleState {
  const windowMs = policy.windowSeconds * 1000;
  const fresh = !previous || now - previous.windowStartedAt >= windowMs;
  const windowStartedAt = fresh ? now : previous.windowStartedAt;
  const failures = fresh ? 1 : previous.failures + 1;
  const delay = delayAfter(failures, policy);
  let lockedUntil = delay > 0 ? now + delay * 1000 : null;
  // The hourly cap only ever lengthens a lock: reached late in the window, the usual wait still applies.
  if (failures >= policy.maxFailuresPerWindow) lockedUntil = Math.max(lockedUntil ?? 0, windowStartedAt + windowMs);
  return { failures, windowStartedAt, lockedUntil };
}

/** Seconds until another attempt is allowed; 0 when allowed now. */
export function secondsLocked(state: ThrottleState | null, now: number): number {
  if (!state?.lockedUntil || state.lockedUntil <= now) return 0;
  return Math.ceil((state.lockedUntil - now) / 1000);
}
