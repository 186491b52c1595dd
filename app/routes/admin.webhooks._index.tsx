import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { ErrorList, Field, FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { formatDateTime } from '~/domain/calendar';
import { env } from '~/env.server';
import { keptValues, parseForm } from '~/forms/parse';
import { useZodForm } from '~/forms/use-zod-form';
import { createWebhookSchema, toggleWebhookSchema, WEBHOOK_EVENT_CHOICES, WEBHOOK_EVENT_DESCRIPTIONS } from '~/forms/webhook';
import { createWebhook, disableWebhook, enableWebhook, listWebhooks } from '~/models/webhook.server';
import { readForm } from '~/read-form.server';

type EventChoice = (typeof WEBHOOK_EVENT_CHOICES)[number];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const timeZone = env().DEFAULT_TIME_ZONE;
  const webhooks = await listWebhooks(db());
  return {
    timeZone,
    webhooks: webhooks.map((hook) => ({
      ...hook,
      createdLabel: formatDateTime(hook.createdAt, timeZone),
      disabledLabel: hook.disabledAt ? formatDateTime(hook.disabledAt, timeZone) : null,
      lastDeliveredLabel: hook.lastDeliveredAt ? formatDateTime(hook.lastDeliveredAt, timeZone) : null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await readForm(request);
  const intent = formData.get('intent');
  if (intent === 'disable' || intent === 'enable') {
    const parsed = parseForm(toggleWebhookSchema, formData);
    const webhookId = Number(formData.get('webhookId'));
    if (!parsed.success) return Response.json({ toggleErrors: parsed.errors, webhookId }, { status: 400 });
    const args = { webhookId: parsed.data.webhookId, actorId: admin.id };
    const changed = parsed.data.intent === 'disable' ? await disableWebhook(db(), args) : await enableWebhook(db(), args);
    if (!changed) return Response.json({ formError: 'That webhook does not exist or was already changed. The list below is up to date.' }, { status: 409 });
    return { message: parsed.data.intent === 'disable' ? 'Webhook disabled: no events are sent to it until it is enabled again.' : 'Webhook enabled: waiting events are sent within a few seconds.' };
  }
  const values = { ...keptValues(formData, ['secret']), events: formData.getAll('events').map(String) };
  const parsed = parseForm(createWebhookSchema, formData, ['events']);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });
  const { id, secret } = await createWebhook(db(), { ...parsed.data, actorId: admin.id });
  return { created: { id, url: parsed.data.url, secret } };
}

type ActionData = {
  errors?: Partial<Record<string, string[]>>;
  values?: Record<string, string> & { events?: string[] };
  toggleErrors?: Partial<Record<string, string[]>>;
  webhookId?: number;
  formError?: string;
  message?: string;
  created?: { id: number; url: string; secret: string };
};

export default function AdminWebhooks() {
  const { webhooks } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const values = actionData?.values;
  const checkedEvents = (values?.events ?? [...WEBHOOK_EVENT_CHOICES]) as EventChoice[];
  const form = useZodForm(createWebhookSchema, actionData?.errors, { url: values?.url ?? '', events: checkedEvents });
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Webhooks</h1>
      <p className="max-w-prose text-slate-700">
        The helpdesk hears about certifications as they change: each event is POSTed, signed, to the URLs below, and retried for
        up to 24 hours if the receiver is down.
      </p>
      {actionData?.created ? (
        <FormAlert tone="success">
          <p className="font-semibold break-all">Webhook registered for {actionData.created.url}.</p>
          <p>Give this signing secret to the receiver now: it is shown only once.</p>
          <label htmlFor="signing-secret" className="mt-2 block font-semibold">Signing secret</label>
          <input id="signing-secret" readOnly value={actionData.created.secret} className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm" />
        </FormAlert>
      ) : null}
      {actionData?.message ? <FormAlert tone="success">{actionData.message}</FormAlert> : null}
      <FormAlert>{actionData?.formError}</FormAlert>

      <section aria-labelledby="register-heading" className="rounded bg-white p-5 shadow">
        <h2 id="register-heading" className="mb-3 text-xl font-semibold">Register a webhook</h2>
        <Form method="post" noValidate onSubmit={form.onSubmit} key={actionData?.created?.secret ?? 'form'}>
          <Field
            label="URL"
            type="url"
            inputMode="url"
            placeholder="https://helpdesk.example.com/hooks/frontline"
            defaultValue={values?.url}
            hint="https:// is required; plain http:// only for localhost."
            errors={form.errorsFor('url')}
            {...form.register('url')}
          />
          <fieldset className="mb-4" aria-describedby={form.errorsFor('events') ? 'events-error' : undefined}>
            <legend className="mb-1 font-medium">Events</legend>
            {WEBHOOK_EVENT_CHOICES.map((event) => (
              <label key={event} className="mb-1 flex items-start gap-2">
                <input type="checkbox" value={event} defaultChecked={checkedEvents.includes(event)} className="mt-1" {...form.register('events')} />
                <span>
                  <code className="font-mono text-sm">{event}</code>
                  <span className="block text-sm text-slate-700">{WEBHOOK_EVENT_DESCRIPTIONS[event]}</span>
                </span>
              </label>
            ))}
            <ErrorList id="events-error" errors={form.errorsFor('events')} />
          </fieldset>
          <Field
            label="Signing secret (optional)"
            autoComplete="off"
            hint="Leave blank to have one generated. At least 16 characters."
            errors={form.errorsFor('secret')}
            {...form.register('secret')}
          />
          <SubmitButton name="intent" value="create" pendingText="Registering…">Register webhook</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="list-heading" className="rounded bg-white p-5 shadow">
        <h2 id="list-heading" className="mb-3 text-xl font-semibold">Registered webhooks</h2>
        {webhooks.length === 0 ? (
          <p>No webhooks yet. Register the helpdesk's URL above.</p>
        ) : (
          <ul>
            {webhooks.map((hook) => (
              <li key={hook.id} className="border-b border-slate-200 py-3 last:border-0">
                <p className="font-semibold break-all">
                  <Link to={`/admin/webhooks/${hook.id}`}>{hook.url}</Link>
                </p>
                <p className="text-sm text-slate-700">
                  {hook.disabledLabel ? <strong className="text-red-800">Disabled since {hook.disabledLabel}</strong> : 'Active'} · {hook.events.join(', ')}
                </p>
                <p className="text-sm text-slate-700">
                  Registered {hook.createdLabel} · {hook.pending} waiting · {hook.failed} failed · last delivered {hook.lastDeliveredLabel ?? 'never'}
                </p>
                <div className="mt-2">
                  {hook.disabledAt ? (
                    <Form method="post">
                      <input type="hidden" name="webhookId" value={hook.id} />
                      <SubmitButton name="intent" value="enable" className="rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700" aria-label={`Enable webhook ${hook.url}`}>
                        Enable
                      </SubmitButton>
                    </Form>
                  ) : (
                    <DisableForm webhookId={hook.id} url={hook.url} errors={actionData?.webhookId === hook.id ? actionData.toggleErrors?.confirm : undefined} />
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function DisableForm({ webhookId, url, errors }: { webhookId: number; url: string; errors?: string[] }) {
  const confirmId = `confirm-disable-${webhookId}`;
  return (
    <details open={errors ? true : undefined}>
      <summary className="cursor-pointer text-sm font-semibold text-red-800">Disable…<span className="sr-only"> {url}</span></summary>
      <Form method="post" className="mt-2 rounded border border-red-300 bg-red-50 p-3">
        <input type="hidden" name="webhookId" value={webhookId} />
        <p className="mb-2 text-sm">New events will not be sent to {url}; waiting deliveries stay queued until it is enabled again.</p>
        <label htmlFor={confirmId} className="mb-2 flex items-center gap-2">
          <input id={confirmId} type="checkbox" name="confirm" value="yes" aria-invalid={errors ? true : undefined} aria-describedby={errors ? `${confirmId}-error` : undefined} />
          Yes, disable this webhook
        </label>
        <ErrorList id={`${confirmId}-error`} errors={errors} />
        <SubmitButton name="intent" value="disable" className="mt-2 rounded bg-red-800 px-3 py-1 text-sm font-semibold text-white">
          Disable webhook
        </SubmitButton>
      </Form>
    </details>
  );
}

export const meta: MetaFunction = () => [{ title: 'Webhooks · Frontline' }];
