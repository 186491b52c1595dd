import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  afterFailedAttempt,
  GIVE_UP_AFTER_MS,
  nextRetryDelay,
  parseSignatureHeader,
  signPayload,
  verifySignature,
} from '~/domain/webhook-signature';
import { WEBHOOK_EVENT_CHOICES, webhookUrlProblem } from '~/forms/webhook';
import { WEBHOOK_EVENTS } from '~/models/outbox.server';

const SECRET = 'whsec_test_secret_0123456789';
const BODY = '{"id":"evt_1","type":"certification.granted","createdAt":"2026-11-24T10:00:00.000Z","data":{"credentialId":"c-1"}}';
const T = 1_795_000_000;

describe('signPayload', () => {
  it('gives t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signPayload(SECRET, T, BODY)).toBe(`t=${T},v1=${expected}`);
  });

  it('matches a vector computed with openssl', () => {
    // printf '1700000000.{}' | openssl dgst -sha256 -hmac 'secret'
    expect(signPayload('secret', 1_700_000_000, '{}')).toBe('t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163');
    expect(signPayload('secret', 1_700_000_000.9, '{}')).toMatch(/^t=1700000000,/);
  });
});

describe('verifySignature', () => {
  const header = signPayload(SECRET, T, BODY);

  it('accepts its own signature within five minutes either way', () => {
    expect(verifySignature(SECRET, header, BODY, T)).toBe(true);
    expect(verifySignature(SECRET, header, BODY, T + 300)).toBe(true);
    expect(verifySignature(SECRET, header, BODY, T - 300)).toBe(true);
  });

  it('refuses a changed body, a wrong secret or a changed timestamp', () => {
    expect(verifySignature(SECRET, header, BODY.replace('c-1', 'c-2'), T)).toBe(false);
    expect(verifySignature('whsec_other', header, BODY, T)).toBe(false);
    expect(verifySignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, T)).toBe(false);
  });

  it('refuses an old (replayed) timestamp, even with a valid signature', () => {
    expect(verifySignature(SECRET, header, BODY, T + 301)).toBe(false);
    expect(verifySignature(SECRET, header, BODY, T + 3600, 7200)).toBe(true);
  });

  it('accepts any one of several v1 signatures (secret rotation) and refuses malformed headers', () => {
    const other = signPayload('whsec_old', T, BODY).split(',')[1];
    expect(verifySignature(SECRET, `${header},${other}`, BODY, T)).toBe(true);
    expect(verifySignature(SECRET, `t=${T},${other},v0=abc`, BODY, T)).toBe(false);
    expect(verifySignature(SECRET, '', BODY, T)).toBe(false);
    expect(verifySignature(SECRET, `t=${T}`, BODY, T)).toBe(false);
    expect(verifySignature(SECRET, `t=${T},v1=zz`, BODY, T)).toBe(false);
    expect(parseSignatureHeader(` t=${T} , v1=${'A'.repeat(64)}, v2=x`)).toEqual({ timestamp: T, signatures: ['a'.repeat(64)] });
  });
});

describe('retry schedule', () => {
  const noJitter = () => 0.5;

  it('doubles from 30 seconds and stops growing at an hour', () => {
    const delays = Array.from({ length: 12 }, (_, i) => nextRetryDelay(i + 1, noJitter) / 1000);
    expect(delays.slice(0, 8)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(delays.slice(8)).toEqual([3600, 3600, 3600, 3600]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
  });

  it('jitters each step by at most 10%, never past the hour', () => {
    expect(nextRetryDelay(1, () => 0)).toBe(27_000);
    expect(nextRetryDelay(1, () => 1)).toBe(33_000);
    expect(nextRetryDelay(3, () => 0.999_999)).toBeLessThanOrEqual(132_000);
    expect(nextRetryDelay(20, () => 1)).toBe(3_600_000);
    expect(nextRetryDelay(20, () => 0)).toBe(3_240_000);
  });

  it('retries for under 24 hours after the event, then gives up', () => {
    for (const random of [noJitter, () => 0, () => 1, Math.random]) {
      const queuedAt = new Date('2026-11-24T10:00:00Z');
      let now = queuedAt;
      let attempts = 0;
      let outcome: 'pending' | 'failed' = 'pending';
      while (outcome === 'pending') {
        attempts += 1; // the attempt at `now` failed
        const decision = afterFailedAttempt({ attempts, queuedAt, now, random });
        outcome = decision.status;
        if (decision.status === 'pending') {
          expect(decision.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
          expect(decision.nextAttemptAt.getTime() - queuedAt.getTime()).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
          now = decision.nextAttemptAt;
        }
        expect(attempts).toBeLessThan(100);
      }
      // Gave up close to the end of the day, after many tries (not at the first failure).
      expect(now.getTime() - queuedAt.getTime()).toBeGreaterThan(GIVE_UP_AFTER_MS - 2 * 3_600_000);
      expect(attempts).toBeGreaterThan(20);
    }
  });
});

describe('webhook form rules', () => {
  it('offers exactly the events the outbox writes', () => {
    expect([...WEBHOOK_EVENT_CHOICES].sort()).toEqual([...WEBHOOK_EVENTS].sort());
  });

  it('requires https except for this machine', () => {
    expect(webhookUrlProblem('https://helpdesk.example.com/hooks/frontline')).toBeNull();
    expect(webhookUrlProblem('http://localhost:8080/hook')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9000/')).toBeNull();
    expect(webhookUrlProblem('http://[::1]:9000/')).toBeNull();
    expect(webhookUrlProblem('http://helpdesk.example.com/hook')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://helpdesk.example.com/')).toMatch(/https/);
    expect(webhookUrlProblem('helpdesk.example.com')).toMatch(/full URL/);
    expect(webhookUrlProblem('https://user:pw@helpdesk.example.com/')).toMatch(/password/);
  });
});
