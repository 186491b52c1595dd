// Webhooks the helpdesk registered, and their delivery log. Events and deliveries are written by the
// outbox (outbox.server.ts) and sent by webhook-worker.server.ts; here an admin registers, disables and
// enables endpoints, reads the log and asks for a delivery again. Every change is audited.
import { randomBytes } from 'node:crypto';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { DeliveryStatus } from '~db/schema';
import { webhookUrlProblem } from '~/forms/webhook';
import type { WebhookEventType } from './outbox.server';
import { nowIso, parseJsonArray, toJson } from './sql.server';
import { recordAudit } from './user.server';

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export interface WebhookView {
  id: number;
  url: string;
  events: string[];
  createdAt: string;
  disabledAt: string | null;
  pending: number;
  failed: number;
  lastDeliveredAt: string | null;
}

/**
 * Registers an endpoint. The secret (given, or generated when left blank) is returned here once: the
 * pages never show it again.
 */
export async function createWebhook(
  db: DB,
  args: { url: string; events: readonly WebhookEventType[]; secret?: string; actorId: number; now?: Date },
): Promise<{ id: number; secret: string }> {
  const problem = webhookUrlProblem(args.url);
  if (problem) throw new Error(problem);
  if (args.events.length === 0) throw new Error('A webhook needs at least one event.');
  const secret = args.secret ?? generateWebhookSecret();
  const events = [...new Set(args.events)];
  return writeTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('webhooks')
      .values({ url: args.url, secret, events: toJson(events), created_by: args.actorId, created_at: nowIso(args.now), disabled_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorId: args.actorId, action: 'webhook.created', details: { webhookId: id, url: args.url, events }, now: args.now });
    return { id, secret };
  });
}

function deliveryCounts(db: Executor) {
  return db
    .selectFrom('webhook_deliveries')
    .select((eb) => [
      'webhook_id',
      eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'failed').then(1).else(0).end()).as('failed'),
      eb.fn.max('delivered_at').as('last_delivered_at'),
    ])
    .groupBy('webhook_id');
}

function webhookRows(db: Executor) {
  return db
    .selectFrom('webhooks')
    .leftJoin(deliveryCounts(db).as('counts'), 'counts.webhook_id', 'webhooks.id')
    .select(['webhooks.id', 'webhooks.url', 'webhooks.events', 'webhooks.created_at', 'webhooks.disabled_at', 'counts.pending', 'counts.failed', 'counts.last_delivered_at']);
}

function toWebhookView(row: Awaited<ReturnType<ReturnType<typeof webhookRows>['executeTakeFirstOrThrow']>>): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: parseJsonArray(row.events),
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    pending: Number(row.pending ?? 0),
    failed: Number(row.failed ?? 0),
    lastDeliveredAt: row.last_delivered_at ?? null,
  };
}

/** Every webhook, newest first, with how many deliveries wait or failed. Never the secret. */
export async function listWebhooks(db: Executor): Promise<WebhookView[]> {
  return (await webhookRows(db).orderBy('webhooks.id', 'desc').execute()).map(toWebhookView);
}

export async function getWebhook(db: Executor, args: { webhookId: number }): Promise<WebhookView | undefined> {
  const row = await webhookRows(db).where('webhooks.id', '=', args.webhookId).executeTakeFirst();
  return row ? toWebhookView(row) : undefined;
}

/** Stops deliveries to this endpoint: new events skip it, and queued ones wait until it is enabled. */
export async function disableWebhook(db: DB, args: { webhookId: number; actorId: number; now?: Date }): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('webhooks')
      .set({ disabled_at: nowIso(args.now) })
      .where('id', '=', args.webhookId)
      .where('disabled_at', 'is', null)
      .returning(['id', 'url'])
      .executeTakeFirst();
    if (updated) await recordAudit(trx, { actorId: args.actorId, action: 'webhook.disabled', details: { webhookId: updated.id, url: updated.url }, now: args.now });
    return updated !== undefined;
  });
}

export async function enableWebhook(db: DB, args: { webhookId: number; actorId: number; now?: Date }): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('webhooks')
      .set({ disabled_at: null })
      .where('id', '=', args.webhookId)
      .where('disabled_at', 'is not', null)
      .returning(['id', 'url'])
      .executeTakeFirst();
    if (updated) await recordAudit(trx, { actorId: args.actorId, action: 'webhook.enabled', details: { webhookId: updated.id, url: updated.url }, now: args.now });
    return updated !== undefined;
  });
}

export interface DeliveryView {
  id: number;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** One webhook's deliveries, newest first. */
export async function listDeliveries(db: Executor, args: { webhookId: number; page: number; perPage: number }) {
  const base = db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_events', 'webhook_events.id', 'webhook_deliveries.event_id')
    .where('webhook_deliveries.webhook_id', '=', args.webhookId);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.event_id',
      'webhook_events.type',
      'webhook_deliveries.status',
      'webhook_deliveries.attempts',
      'webhook_deliveries.last_status_code',
      'webhook_deliveries.last_error',
      'webhook_deliveries.last_attempt_at',
      'webhook_deliveries.next_attempt_at',
      'webhook_deliveries.delivered_at',
      'webhook_deliveries.created_at',
    ])
    .orderBy('webhook_deliveries.id', 'desc')
    .limit(args.perPage)
    .offset((Math.max(1, args.page) - 1) * args.perPage)
    .execute();
  const deliveries: DeliveryView[] = rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    // A delivery that is no longer pending will not be tried again, whatever the column still says.
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  }));
  return { total: Number(total.n), deliveries };
}

export type RedeliverResult = { ok: true; deliveryId: number } | { ok: false; status: 404 | 409; reason: string };

/**
 * Sends an event again: a NEW pending delivery of the same event to the same webhook, due now, with its
 * own 24 hours of retries. The old row (delivered or failed) stays as history. Scoped by webhook, so an id from another
 * webhook's log is not found.
 */
export async function redeliver(db: DB, args: { webhookId: number; deliveryId: number; actorId: number; now?: Date }): Promise<RedeliverResult> {
  const at = nowIso(args.now);
  return writeTransaction(db, async (trx) => {
    const original = await trx
      .selectFrom('webhook_deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
      .select(['webhook_deliveries.id', 'webhook_deliveries.event_id', 'webhook_deliveries.webhook_id', 'webhook_deliveries.status', 'webhooks.disabled_at'])
      .where('webhook_deliveries.id', '=', args.deliveryId)
      .where('webhook_deliveries.webhook_id', '=', args.webhookId)
      .executeTakeFirst();
    if (!original) return { ok: false, status: 404, reason: 'There is no such delivery for this webhook.' };
    if (original.disabled_at !== null) return { ok: false, status: 409, reason: 'This webhook is disabled: enable it before sending events again.' };
    // Sending a delivery that is still being retried would make the receiver get the event twice.
    if (original.status === 'pending') return { ok: false, status: 409, reason: 'This delivery is still being retried: it can be sent again once it is delivered or has failed.' };
    const { id } = await trx
      .insertInto('webhook_deliveries')
      .values({ event_id: original.event_id, webhook_id: original.webhook_id, status: 'pending', next_attempt_at: at, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'webhook.redelivered',
      details: { webhookId: original.webhook_id, eventId: original.event_id, fromDeliveryId: original.id, deliveryId: id },
      now: args.now,
    });
    return { ok: true, deliveryId: id };
  });
}
