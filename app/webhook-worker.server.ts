// Sends the outbox: each due delivery is POSTed, signed, to its webhook, and the result recorded.
// A delivery is claimed with a lease (an UPDATE of next_attempt_at guarded by its old value), so two
// server processes never send the same attempt twice, and a process that dies mid-send leaves the
// delivery to be picked up again when the lease runs out. No transaction is held across a request:
// every write here is one statement.
import { type DB } from '~db/connect';
import { afterFailedAttempt, signPayload } from '~/domain/webhook-signature';

export interface DeliverOptions {
  now?: Date;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  limit?: number;
  /** How many requests are in flight at once, so one slow receiver does not hold up the others. */
  concurrency?: number;
  random?: () => number;
}

export interface DeliverResult {
  delivered: number;
  failed: number;
  retried: number;
}

interface DueDelivery {
  id: number;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  url: string;
  secret: string;
  type: string;
  payload: string;
}

type AttemptOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

const USER_AGENT = 'Frontline-Webhooks/1';
const MIN_LEASE_MS = 2 * 60 * 1000;

async function dueDeliveries(db: DB, now: Date, limit: number): Promise<DueDelivery[]> {
  return db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .innerJoin('webhook_events', 'webhook_events.id', 'webhook_deliveries.event_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.attempts',
      'webhook_deliveries.next_attempt_at',
      'webhook_deliveries.created_at',
      'webhooks.url',
      'webhooks.secret',
      'webhook_events.type',
      'webhook_events.payload',
    ])
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', now.toISOString())
    .where('webhooks.disabled_at', 'is', null)
    .orderBy('webhook_deliveries.next_attempt_at')
    .orderBy('webhook_deliveries.id')
    .limit(limit)
    .execute();
}

/** Takes the delivery for this process until the lease ends; false when another process was first. */
async function claim(db: DB, delivery: DueDelivery, leaseUntil: Date): Promise<boolean> {
  if (delivery.next_attempt_at === null) return false;
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil.toISOString() })
    .where('id', '=', delivery.id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', delivery.next_attempt_at)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A short reason a person can act on: "connection refused", not a stack. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs % 1000 === 0 ? timeoutMs / 1000 : (timeoutMs / 1000).toFixed(1)} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
  }
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS error (${code})`;
  const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return message.slice(0, 200);
}

async function send(delivery: DueDelivery, sentAt: Date, fetchImpl: typeof fetch, timeoutMs: number): Promise<AttemptOutcome> {
  try {
    const response = await fetchImpl(delivery.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        'Frontline-Event': delivery.type,
        'Frontline-Delivery': String(delivery.id),
        'Frontline-Signature': signPayload(delivery.secret, Math.floor(sentAt.getTime() / 1000), delivery.payload),
      },
      body: delivery.payload,
      // A redirect is not followed: the signed body goes only to the registered URL.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not used; drop it so the connection is freed.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
}

async function record(db: DB, delivery: DueDelivery, outcome: AttemptOutcome, at: Date, random?: () => number): Promise<keyof DeliverResult> {
  const attempts = delivery.attempts + 1;
  const attemptedAt = at.toISOString();
  if (outcome.ok) {
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', attempts, last_attempt_at: attemptedAt, last_status_code: outcome.statusCode, last_error: null, delivered_at: attemptedAt, next_attempt_at: null })
      .where('id', '=', delivery.id)
      .execute();
    return 'delivered';
  }
  // Retries count from when this delivery was queued: the event's time, or the moment of a redelivery.
  const decision = afterFailedAttempt({ attempts, queuedAt: new Date(delivery.created_at), now: at, random });
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: decision.status,
      attempts,
      last_attempt_at: attemptedAt,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      next_attempt_at: decision.status === 'pending' ? decision.nextAttemptAt.toISOString() : null,
    })
    .where('id', '=', delivery.id)
    .execute();
  return decision.status === 'pending' ? 'retried' : 'failed';
}

/** Sends every delivery that is due (at most `limit`), and says how each went. */
export async function deliverDueWebhooks(db: DB, options: DeliverOptions = {}): Promise<DeliverResult> {
  const { fetchImpl = fetch, timeoutMs = 10_000, limit = 50, concurrency = 8, random } = options;
  const clock = () => options.now ?? new Date();
  const result: DeliverResult = { delivered: 0, failed: 0, retried: 0 };
  const queue = await dueDeliveries(db, clock(), limit);
  const leaseMs = Math.max(MIN_LEASE_MS, timeoutMs + 60_000);

  const work = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      const sentAt = clock();
      // Claimed one at a time, just before sending, so the lease covers one request only.
      if (!(await claim(db, delivery, new Date(sentAt.getTime() + leaseMs)))) continue;
      const outcome = await send(delivery, sentAt, fetchImpl, timeoutMs);
      result[await record(db, delivery, outcome, clock(), random)] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, work));
  return result;
}
