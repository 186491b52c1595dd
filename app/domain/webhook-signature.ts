// Webhook signatures and the retry schedule. A receiver checks `Frontline-Signature` with the secret it
// was given: HMAC-SHA256 over "<timestamp>.<body>", and refuses an old timestamp so a captured request
// cannot be replayed later. Pure: only node:crypto, no I/O.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** The first retry waits this long; each further one twice as long as the one before. */
export const FIRST_RETRY_SECONDS = 30;
export const MAX_RETRY_STEP_SECONDS = 60 * 60;
/** A delivery still failing this long after it was queued is given up. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
const JITTER = 0.1;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Frontline-Signature` header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const seconds = Math.floor(timestamp);
  return `t=${seconds},v1=${hmacHex(secret, seconds, body)}`;
}

/** `t=…` and every `v1=…` (several while a secret is being rotated); unknown schemes are ignored. */
export function parseSignatureHeader(header: string): { timestamp: number | null; signatures: string[] } {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return { timestamp, signatures };
}

/** True when one v1 signature matches the body and the timestamp is within the tolerance of now. */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const { timestamp, signatures } = parseSignatureHeader(header);
  if (timestamp === null || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  // Compare every candidate, so the time taken does not tell which one (if any) matched.
  let matched = false;
  for (const signature of signatures) {
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched;
}

/**
 * How long to wait after the `attempt`-th failed attempt (1 = the first): 30 s, 1 min, 2, 4, 8 …,
 * at most an hour, each ±10% (so that receivers coming back up are not hit by every sender at once).
 */
export function nextRetryDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.max(1, Math.floor(attempt));
  const baseSeconds = Math.min(FIRST_RETRY_SECONDS * 2 ** Math.min(step - 1, 30), MAX_RETRY_STEP_SECONDS);
  const factor = 1 + (random() * 2 - 1) * JITTER;
  return Math.round(Math.min(baseSeconds * factor, MAX_RETRY_STEP_SECONDS) * 1000);
}

export type RetryDecision = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/**
 * After a failed attempt: when to try again, or give up ('failed') when the next attempt would come
 * more than 24 hours after the delivery was queued.
 */
export function afterFailedAttempt(args: {
  attempts: number;
  queuedAt: Date;
  now: Date;
  random?: () => number;
}): RetryDecision {
  const next = new Date(args.now.getTime() + nextRetryDelay(args.attempts, args.random));
  if (next.getTime() - args.queuedAt.getTime() > GIVE_UP_AFTER_MS) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: next };
}
