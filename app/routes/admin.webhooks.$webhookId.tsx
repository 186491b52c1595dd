import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { FormAlert, SubmitButton } from '~/components/forms';
import { Pagination, pageFromUrl } from '~/components/pagination';
import { db } from '~/db.server';
import { formatDateTime } from '~/domain/calendar';
import { env } from '~/env.server';
import { parseForm } from '~/forms/parse';
import { redeliverSchema } from '~/forms/webhook';
import { getWebhook, listDeliveries, redeliver } from '~/models/webhook.server';
import { readForm } from '~/read-form.server';

const PAGE_SIZE = 25;

async function loadWebhook(params: LoaderFunctionArgs['params']) {
  const webhookId = Number(params.webhookId);
  const webhook = Number.isInteger(webhookId) && webhookId > 0 ? await getWebhook(db(), { webhookId }) : undefined;
  if (!webhook) throw new Response('There is no such webhook.', { status: 404 });
  return webhook;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const webhook = await loadWebhook(params);
  const page = pageFromUrl(request.url);
  const timeZone = env().DEFAULT_TIME_ZONE;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, timeZone) : null);
  const { total, deliveries } = await listDeliveries(db(), { webhookId: webhook.id, page, perPage: PAGE_SIZE });
  return {
    webhook,
    page,
    total,
    timeZone,
    deliveries: deliveries.map((d) => ({
      ...d,
      createdLabel: when(d.createdAt),
      nextAttemptLabel: when(d.nextAttemptAt),
      deliveredLabel: when(d.deliveredAt),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const webhook = await loadWebhook(params);
  const parsed = parseForm(redeliverSchema, await readForm(request));
  if (!parsed.success) return Response.json({ error: 'Choose a delivery to send again.' }, { status: 400 });
  const result = await redeliver(db(), { webhookId: webhook.id, deliveryId: parsed.data.deliveryId, actorId: admin.id });
  if (!result.ok) return Response.json({ error: result.reason }, { status: result.status });
  return { message: `The event is queued again as delivery #${result.deliveryId}; it is sent within a few seconds.`, deliveryId: result.deliveryId };
}

type ActionData = { error?: string; message?: string; deliveryId?: number };

const STATUS_LABELS = { pending: 'Waiting', delivered: 'Delivered', failed: 'Failed' } as const;
const STATUS_CLASSES = { pending: 'text-slate-800', delivered: 'text-green-800', failed: 'font-semibold text-red-800' } as const;

export default function WebhookDeliveries() {
  const { webhook, deliveries, page, total, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/admin/webhooks">Webhooks</Link></nav>
      <div>
        <h1 className="text-3xl font-bold">Deliveries</h1>
        <p className="text-slate-700">
          <span className="break-all">{webhook.url}</span> · {webhook.disabledAt ? 'Disabled' : 'Active'} · {webhook.events.join(', ')}
        </p>
      </div>
      {actionData?.message ? <FormAlert tone="success">{actionData.message}</FormAlert> : null}
      <FormAlert>{actionData?.error}</FormAlert>

      <section aria-labelledby="log-heading" className="rounded bg-white p-5 shadow">
        <h2 id="log-heading" className="mb-1 text-xl font-semibold">Delivery log</h2>
        <p className="mb-3 text-sm text-slate-700">Newest first. Times are in {timeZone}. {total} {total === 1 ? 'delivery' : 'deliveries'}.</p>
        {deliveries.length === 0 ? (
          <p>Nothing sent yet. Events appear here as certifications are granted, revoked, reinstated or expire.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Deliveries to {webhook.url}</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Delivery</th>
                  <th scope="col" className="px-3 py-2">Event</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2">Attempts</th>
                  <th scope="col" className="px-3 py-2">Last result</th>
                  <th scope="col" className="px-3 py-2">Next attempt</th>
                  <th scope="col" className="px-3 py-2">Delivered</th>
                  <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} className="border-t border-slate-200 align-top">
                    <td className="px-3 py-2">#{d.id}<span className="block text-slate-700">{d.createdLabel}</span></td>
                    <td className="px-3 py-2"><code className="font-mono">{d.eventType}</code><span className="block font-mono text-xs text-slate-700">{d.eventId}</span></td>
                    <td className={`px-3 py-2 ${STATUS_CLASSES[d.status]}`}>{STATUS_LABELS[d.status]}</td>
                    <td className="px-3 py-2">{d.attempts}</td>
                    <td className="px-3 py-2">{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '—')}</td>
                    <td className="px-3 py-2">{d.nextAttemptLabel ?? '—'}</td>
                    <td className="px-3 py-2">{d.deliveredLabel ?? '—'}</td>
                    <td className="px-3 py-2">
                      {d.status === 'pending' ? null : (
                        <Form method="post">
                          <input type="hidden" name="deliveryId" value={d.id} />
                          <SubmitButton name="intent" value="redeliver" className="rounded border border-brand-700 px-2 py-1 font-semibold text-brand-700" aria-label={`Redeliver ${d.eventType} (delivery #${d.id})`}>
                            Redeliver
                          </SubmitButton>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pageSize={PAGE_SIZE} total={total} />
      </section>

      <section aria-labelledby="verify-heading" className="rounded bg-white p-5 shadow">
        <h2 id="verify-heading" className="mb-2 text-xl font-semibold">Checking the signature</h2>
        <p className="mb-2 max-w-prose text-slate-700">
          Each request carries <code className="font-mono">Frontline-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>. The receiver
          computes HMAC-SHA256 with the signing secret over the timestamp, a dot and the raw request body
          (<code className="font-mono">t + &quot;.&quot; + body</code>), compares it with <code className="font-mono">v1</code> in constant
          time, and refuses a timestamp more than 5 minutes from its own clock. Use <code className="font-mono">Frontline-Delivery</code>{' '}
          or the event&apos;s <code className="font-mono">id</code> to ignore a repeat: an event may arrive more than once.
        </p>
        <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs text-slate-900">{`const [t, v1] = header.split(',').map((part) => part.split('=')[1]);
const expected = crypto.createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest('hex');
const fresh = Math.abs(Date.now() / 1000 - Number(t)) <= 300;
const valid = fresh && v1?.length === expected.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(v1));`}</pre>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = () => [{ title: 'Webhook deliveries · Frontline' }];
