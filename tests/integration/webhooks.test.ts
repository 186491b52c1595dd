// Webhooks end to end: events written by certification changes are POSTed, signed, to a real HTTP
// receiver on 127.0.0.1, retried while it is down, slow or failing, given up after 24 hours, and sent
// again on request. The signature is checked here with node:crypto, independently of the app's code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '~db/connect';
import { db } from '~/db.server';
import { issueCertification, revokeCertification } from '~/models/certification.server';
import { getExam } from '~/models/exam.server';
import type { WebhookEventType } from '~/models/outbox.server';
import { createWebhook } from '~/models/webhook.server';
import { action as webhookLogAction, loader as webhookLogLoader } from '~/routes/admin.webhooks.$webhookId';
import { action as webhooksAction, loader as webhooksLoader } from '~/routes/admin.webhooks._index';
import { deliverDueWebhooks } from '~/webhook-worker.server';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';

const EXAM_ID = 'returns-refunds-certification';
const ALL_EVENTS: WebhookEventType[] = ['certification.granted', 'certification.revoked', 'certification.expired', 'certification.reinstated'];
const SECRET = 'whsec_integration_test_secret';
const HOUR = 3_600_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

type Behaviour = 'ok' | 'error' | 'slow';

/** A webhook receiver on 127.0.0.1 that records every request and answers as told. */
class Receiver {
  requests: Received[] = [];
  behaviour: Behaviour = 'ok';
  private server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (this.behaviour === 'error') res.writeHead(500).end('boom');
        else if (this.behaviour === 'slow') setTimeout(() => res.writeHead(200).end('late'), 2_000).unref();
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/frontline`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const receivers: Receiver[] = [];
async function startReceiver(): Promise<Receiver> {
  const receiver = await new Receiver().start();
  receivers.push(receiver);
  return receiver;
}

let adminId = 0;
let adminCookie = '';
let exam: { id: string; trackId: string; queue: string; validityDays: number };

beforeAll(async () => {
  adminId = (await createUser({ roles: ['admin'] })).id;
  adminCookie = await cookieFor(adminId);
  const loaded = await getExam(db(), { examId: EXAM_ID });
  if (!loaded) throw new Error(`${EXAM_ID} is not loaded`);
  exam = { id: loaded.id, trackId: loaded.trackId, queue: loaded.queue, validityDays: loaded.blueprint.validityDays };
});

afterEach(async () => {
  // Each test starts with no active webhook, so earlier tests' endpoints receive nothing more.
  await db().updateTable('webhooks').set({ disabled_at: new Date().toISOString() }).where('disabled_at', 'is', null).execute();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function registerWebhook(url: string, events: WebhookEventType[] = ALL_EVENTS) {
  const { id } = await createWebhook(db(), { url, events, secret: SECRET, actorId: adminId });
  return id;
}

async function certify(now = new Date()) {
  const learner = await createUser({ roles: ['learner'] });
  const certification = await writeTransaction(db(), (trx) => issueCertification(trx, { userId: learner.id, exam, attemptId: null, now }));
  return { learner, certification };
}

function deliveriesOf(webhookId: number) {
  return db().selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id').execute();
}

/** The receiver's check, written from the documentation rather than with the app's helper. */
function signatureIsValid(request: Received, secret: string, nowSeconds: number): boolean {
  const header = String(request.headers['frontline-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1 ?? '';
  const expected = createHmac('sha256', secret).update(`${parts.t}.${request.body}`).digest('hex');
  return Math.abs(nowSeconds - t) <= 300 && v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

type EventBody = { id: string; type: string; createdAt: string; data: { credentialId: string; email: string; status: string; reason?: string } };

describe('admin pages', () => {
  it('registers a webhook, shows its generated secret once, and refuses bad input with the typed values kept', async () => {
    const bad = await call(webhooksAction, makeRequest('/admin/webhooks', { cookie: adminCookie, form: { intent: 'create', url: 'http://helpdesk.example.com/hook', secret: '' } }));
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { errors: Record<string, string[]>; values: { url: string } };
    expect(badBody.errors.url?.[0]).toMatch(/https/);
    expect(badBody.errors.events?.[0]).toMatch(/at least one event/);
    expect(badBody.values.url).toBe('http://helpdesk.example.com/hook');

    const created = await call(
      webhooksAction,
      makeRequest('/admin/webhooks', { cookie: adminCookie, form: { intent: 'create', url: 'https://helpdesk.example.com/hook', events: ['certification.granted', 'certification.revoked'], secret: '' } }),
    );
    expect(created.status).toBe(200);
    const { created: shown } = (await created.json()) as { created: { id: number; secret: string } };
    expect(shown.secret).toMatch(/^whsec_[A-Za-z0-9_-]{24,}$/);
    const stored = await db().selectFrom('webhooks').selectAll().where('id', '=', shown.id).executeTakeFirstOrThrow();
    expect(stored.secret).toBe(shown.secret);
    expect(JSON.parse(stored.events)).toEqual(['certification.granted', 'certification.revoked']);

    const page = await call(webhooksLoader, makeRequest('/admin/webhooks', { cookie: adminCookie }));
    const pageText = await page.text();
    expect(pageText).toContain('https://helpdesk.example.com/hook');
    expect(pageText).not.toContain(shown.secret);

    const audit = await db().selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'webhook.created').execute();
    expect(audit.some((a) => a.actor_id === adminId && JSON.parse(a.details).webhookId === shown.id)).toBe(true);
    expect(audit.every((a) => !a.details.includes(shown.secret))).toBe(true);
  });

  it('refuses pages and actions to someone who is not an admin', async () => {
    const trainer = await createUser({ roles: ['trainer'] });
    const cookie = await cookieFor(trainer.id);
    expect((await call(webhooksLoader, makeRequest('/admin/webhooks', { cookie }))).status).toBe(403);
    const attempt = await call(webhooksAction, makeRequest('/admin/webhooks', { cookie, form: { intent: 'create', url: 'https://evil.example.com/', events: ['certification.granted'] } }));
    expect(attempt.status).toBe(403);
    expect(await db().selectFrom('webhooks').select('id').where('url', '=', 'https://evil.example.com/').executeTakeFirst()).toBeUndefined();
  });
});

describe('delivering events', () => {
  it('POSTs certification.granted, signed, with the event id and credential id, exactly once', async () => {
    const receiver = await startReceiver();
    const webhookId = await registerWebhook(receiver.url);
    const { learner, certification } = await certify();

    const now = new Date();
    expect(await deliverDueWebhooks(db(), { now })).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    if (!request) throw new Error('nothing received');
    const [delivery] = await deliveriesOf(webhookId);
    const event = await db().selectFrom('webhook_events').selectAll().where('id', '=', delivery?.event_id ?? '').executeTakeFirstOrThrow();

    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Frontline-Webhooks/1');
    expect(request.headers['frontline-event']).toBe('certification.granted');
    expect(request.headers['frontline-delivery']).toBe(String(delivery?.id));
    expect(request.body).toBe(event.payload);
    expect(signatureIsValid(request, SECRET, Math.floor(now.getTime() / 1000))).toBe(true);
    expect(signatureIsValid(request, 'whsec_wrong_secret', Math.floor(now.getTime() / 1000))).toBe(false);
    expect(signatureIsValid({ ...request, body: request.body.replace(learner.email, 'someone@example.com') }, SECRET, Math.floor(now.getTime() / 1000))).toBe(false);

    const body = JSON.parse(request.body) as EventBody;
    expect(body).toMatchObject({ id: event.id, type: 'certification.granted', data: { credentialId: certification.credential_id, email: learner.email, status: 'valid' } });
    expect(body.id).toMatch(/^evt_/);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 204, last_error: null, next_attempt_at: null });
    expect(delivery?.delivered_at).toBe(now.toISOString());

    // Nothing is sent twice.
    expect(await deliverDueWebhooks(db(), { now: new Date(now.getTime() + HOUR) })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(1);

    // Revoking sends certification.revoked with the reason.
    const result = await revokeCertification(db(), { certificationId: certification.id, actorId: adminId, reason: 'Shared a customer address in chat' });
    expect(result.ok).toBe(true);
    expect(await deliverDueWebhooks(db())).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(2);
    const revoked = JSON.parse(receiver.requests[1]?.body ?? '{}') as EventBody;
    expect(receiver.requests[1]?.headers['frontline-event']).toBe('certification.revoked');
    expect(revoked).toMatchObject({ type: 'certification.revoked', data: { credentialId: certification.credential_id, status: 'revoked', reason: 'Shared a customer address in chat' } });
    expect(revoked.id).not.toBe(body.id);
    expect(signatureIsValid(receiver.requests[1] as Received, SECRET, Math.floor(Date.now() / 1000))).toBe(true);
  });

  it('retries while the receiver is down and delivers once it is back, losing nothing', async () => {
    const receiver = await startReceiver();
    const port = receiver.port;
    const webhookId = await registerWebhook(receiver.url);
    await receiver.stop(); // nothing listens on the port now
    const issuedAt = new Date();
    const { certification } = await certify(issuedAt);

    const now = new Date(issuedAt.getTime() + 1_000);
    expect(await deliverDueWebhooks(db(), { now })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    const [waiting] = await deliveriesOf(webhookId);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, last_error: 'connection refused', last_status_code: null, delivered_at: null });
    const retryAt = new Date(waiting?.next_attempt_at ?? 0);
    expect(retryAt.getTime()).toBeGreaterThan(now.getTime() + 20_000);
    expect(retryAt.getTime()).toBeLessThan(now.getTime() + 40_000);

    // Not yet due: nothing is tried.
    expect(await deliverDueWebhooks(db(), { now: new Date(retryAt.getTime() - 1_000) })).toEqual({ delivered: 0, failed: 0, retried: 0 });

    const back = await new Receiver().start(port);
    receivers.push(back);
    expect(await deliverDueWebhooks(db(), { now: new Date(retryAt.getTime() + 1_000) })).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(back.requests).toHaveLength(1);
    expect(JSON.parse(back.requests[0]?.body ?? '{}')).toMatchObject({ type: 'certification.granted', data: { credentialId: certification.credential_id } });
    const rows = await deliveriesOf(webhookId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null, last_status_code: 204 });

    expect(await deliverDueWebhooks(db(), { now: new Date(retryAt.getTime() + HOUR) })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(back.requests).toHaveLength(1);
  });

  it('retries a receiver that answers 500', async () => {
    const receiver = await startReceiver();
    receiver.behaviour = 'error';
    const webhookId = await registerWebhook(receiver.url);
    await certify();
    const now = new Date();
    expect(await deliverDueWebhooks(db(), { now })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect(receiver.requests).toHaveLength(1);
    const [row] = await deliveriesOf(webhookId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500', delivered_at: null });
    expect(new Date(row?.next_attempt_at ?? 0).getTime()).toBeGreaterThan(now.getTime());
  });

  it('gives up on a receiver that is too slow, and retries later', async () => {
    const receiver = await startReceiver();
    receiver.behaviour = 'slow';
    const webhookId = await registerWebhook(receiver.url);
    await certify();
    const now = new Date();
    const started = Date.now();
    expect(await deliverDueWebhooks(db(), { now, timeoutMs: 200 })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect(Date.now() - started).toBeLessThan(1_500);
    const [row] = await deliveriesOf(webhookId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'timed out after 0.2 s' });
    expect(new Date(row?.next_attempt_at ?? 0).getTime()).toBeGreaterThan(now.getTime());
  });

  it('marks a delivery failed after 24 hours of failures, having retried all along', async () => {
    const receiver = await startReceiver();
    receiver.behaviour = 'error';
    const webhookId = await registerWebhook(receiver.url);
    const issuedAt = new Date(Date.now() - 2_000);
    await certify(issuedAt);
    let now = issuedAt;
    let outcome = { delivered: 0, failed: 0, retried: 1 };
    for (let run = 0; run < 60 && outcome.retried === 1; run++) {
      outcome = await deliverDueWebhooks(db(), { now });
      const [row] = await deliveriesOf(webhookId);
      if (row?.status === 'pending') now = new Date(row.next_attempt_at ?? 0);
    }
    expect(outcome).toEqual({ delivered: 0, failed: 1, retried: 0 });
    const [row] = await deliveriesOf(webhookId);
    expect(row).toMatchObject({ status: 'failed', next_attempt_at: null, last_error: 'HTTP 500' });
    expect(row?.attempts).toBeGreaterThan(20);
    expect(receiver.requests).toHaveLength(row?.attempts ?? -1);
    const lastTry = new Date(row?.last_attempt_at ?? 0).getTime() - issuedAt.getTime();
    expect(lastTry).toBeGreaterThan(22 * HOUR);
    expect(lastTry).toBeLessThanOrEqual(24 * HOUR);
    // A failed delivery is not tried again by itself.
    expect(await deliverDueWebhooks(db(), { now: new Date(issuedAt.getTime() + 48 * HOUR) })).toEqual({ delivered: 0, failed: 0, retried: 0 });
  });

  it('sends an event again on request as a new delivery, keeping the old one as history', async () => {
    const receiver = await startReceiver();
    const webhookId = await registerWebhook(receiver.url);
    await certify();
    await deliverDueWebhooks(db());
    const [first] = await deliveriesOf(webhookId);
    if (!first) throw new Error('no delivery');

    const response = await call(
      webhookLogAction,
      makeRequest(`/admin/webhooks/${webhookId}`, { cookie: adminCookie, form: { intent: 'redeliver', deliveryId: String(first.id) } }),
      { webhookId: String(webhookId) },
    );
    expect(response.status).toBe(200);
    const rows = await deliveriesOf(webhookId);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(first);
    expect(rows[1]).toMatchObject({ event_id: first.event_id, status: 'pending', attempts: 0 });

    // While the new delivery waits, it cannot be sent a second time.
    const twice = await call(
      webhookLogAction,
      makeRequest(`/admin/webhooks/${webhookId}`, { cookie: adminCookie, form: { intent: 'redeliver', deliveryId: String(rows[1]?.id) } }),
      { webhookId: String(webhookId) },
    );
    expect(twice.status).toBe(409);
    expect(await deliveriesOf(webhookId)).toHaveLength(2);

    expect(await deliverDueWebhooks(db())).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body);
    expect(receiver.requests[1]?.headers['frontline-delivery']).toBe(String(rows[1]?.id));
    expect((await deliveriesOf(webhookId))[1]).toMatchObject({ status: 'delivered', attempts: 1 });

    const log = await call(webhookLogLoader, makeRequest(`/admin/webhooks/${webhookId}`, { cookie: adminCookie }), { webhookId: String(webhookId) });
    const { deliveries, total } = (await log.json()) as { total: number; deliveries: { id: number; eventType: string; status: string }[] };
    expect(total).toBe(2);
    expect(deliveries.map((d) => d.id)).toEqual([rows[1]?.id, first.id]);
    expect(deliveries.every((d) => d.eventType === 'certification.granted' && d.status === 'delivered')).toBe(true);

    const audit = await db().selectFrom('audit_events').select('details').where('action', '=', 'webhook.redelivered').where('actor_id', '=', adminId).execute();
    expect(audit.some((a) => JSON.parse(a.details).fromDeliveryId === first.id)).toBe(true);

    // A delivery of another webhook cannot be sent through this one's page.
    const otherId = await registerWebhook('https://other.example.com/hook');
    const wrong = await call(
      webhookLogAction,
      makeRequest(`/admin/webhooks/${otherId}`, { cookie: adminCookie, form: { intent: 'redeliver', deliveryId: String(first.id) } }),
      { webhookId: String(otherId) },
    );
    expect(wrong.status).toBe(404);
    expect(await deliveriesOf(otherId)).toHaveLength(0);
  });

  it('sends nothing to a webhook that did not subscribe to the event', async () => {
    const revokedOnly = await startReceiver();
    const everything = await startReceiver();
    const revokedOnlyId = await registerWebhook(revokedOnly.url, ['certification.revoked']);
    await registerWebhook(everything.url);
    await certify();
    expect(await deliverDueWebhooks(db())).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(everything.requests).toHaveLength(1);
    expect(revokedOnly.requests).toHaveLength(0);
    expect(await deliveriesOf(revokedOnlyId)).toHaveLength(0);
  });

  it('sends nothing to a disabled webhook; disabling asks for confirmation; waiting deliveries go out once enabled', async () => {
    const receiver = await startReceiver();
    const webhookId = await registerWebhook(receiver.url);
    const { certification } = await certify(); // queued while still enabled

    const unconfirmed = await call(webhooksAction, makeRequest('/admin/webhooks', { cookie: adminCookie, form: { intent: 'disable', webhookId: String(webhookId) } }));
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { toggleErrors: Record<string, string[]> }).toggleErrors.confirm?.[0]).toMatch(/confirm/);
    expect((await db().selectFrom('webhooks').select('disabled_at').where('id', '=', webhookId).executeTakeFirstOrThrow()).disabled_at).toBeNull();

    const disabled = await call(webhooksAction, makeRequest('/admin/webhooks', { cookie: adminCookie, form: { intent: 'disable', webhookId: String(webhookId), confirm: 'yes' } }));
    expect(disabled.status).toBe(200);
    await revokeCertification(db(), { certificationId: certification.id, actorId: adminId, reason: 'Test' });
    await certify();
    expect(await deliverDueWebhooks(db())).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(0);
    expect(await deliveriesOf(webhookId)).toHaveLength(1); // only the one queued before disabling

    const enabled = await call(webhooksAction, makeRequest('/admin/webhooks', { cookie: adminCookie, form: { intent: 'enable', webhookId: String(webhookId) } }));
    expect(enabled.status).toBe(200);
    expect(await deliverDueWebhooks(db())).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.requests.map((r) => r.headers['frontline-event'])).toEqual(['certification.granted']);
    const actions = await db().selectFrom('audit_events').select('action').where('actor_id', '=', adminId).where('action', 'in', ['webhook.disabled', 'webhook.enabled']).execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['webhook.disabled', 'webhook.enabled']));
  });

  it('sends each delivery once when two workers run at the same time', async () => {
    const receiver = await startReceiver();
    const webhookId = await registerWebhook(receiver.url);
    await certify();
    await certify();
    await certify();
    const [a, b] = await Promise.all([deliverDueWebhooks(db()), deliverDueWebhooks(db())]);
    expect((a?.delivered ?? 0) + (b?.delivered ?? 0)).toBe(3);
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['frontline-delivery'])).size).toBe(3);
    expect((await deliveriesOf(webhookId)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
  });
});
