// The webhook outbox: a change that the helpdesk must hear about writes its event here, in the same
// transaction as the change, with one pending delivery per subscribed webhook. The delivery worker
// (webhook-worker.server.ts) sends them; nothing is lost if the process dies in between.
import { randomBytes } from 'node:crypto';
import type { Executor } from '~db/connect';
import type { WebhookEventType } from '~/domain/webhook-events';
import { toJson } from './sql.server';

export { WEBHOOK_EVENTS, type WebhookEventType } from '~/domain/webhook-events';

export interface WebhookEventBody<T = unknown> {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: T;
}

export function newEventId(): string {
  return `evt_${randomBytes(12).toString('hex')}`;
}

/** Writes the event and a pending delivery for each active webhook that subscribed to its type. */
export async function enqueueEvent<T>(trx: Executor, args: { type: WebhookEventType; data: T; now: Date }): Promise<WebhookEventBody<T>> {
  const createdAt = args.now.toISOString();
  const event: WebhookEventBody<T> = { id: newEventId(), type: args.type, createdAt, data: args.data };
  await trx.insertInto('webhook_events').values({ id: event.id, type: event.type, payload: toJson(event), created_at: createdAt }).execute();
  const hooks = await trx.selectFrom('webhooks').select(['id', 'events']).where('disabled_at', 'is', null).execute();
  const subscribed = hooks.filter((hook) => (JSON.parse(hook.events) as string[]).includes(args.type));
  if (subscribed.length > 0) {
    await trx
      .insertInto('webhook_deliveries')
      .values(subscribed.map((hook) => ({ event_id: event.id, webhook_id: hook.id, status: 'pending' as const, next_attempt_at: createdAt, created_at: createdAt })))
      .execute();
  }
  return event;
}
