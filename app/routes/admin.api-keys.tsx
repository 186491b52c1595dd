import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { ErrorList, Field, FormAlert, SubmitButton } from '~/components/forms';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { apiKeyNameSchema, apiKeyRevokeSchema } from '~/forms/api-key';
import { keptValues, parseForm } from '~/forms/parse';
import { useZodForm } from '~/forms/use-zod-form';
import { createApiKey, listApiKeys, revokeApiKey } from '~/models/api-key.server';
import { readForm } from '~/read-form.server';

/** "2026-11-24 09:30 UTC" */
function formatInstant(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  // Never the key itself: it is not stored. Only the action that creates one returns it, once.
  const keys = await listApiKeys(db());
  return {
    keys: keys.map((k) => ({
      ...k,
      createdLabel: formatInstant(k.createdAt),
      lastUsedLabel: k.lastUsedAt ? formatInstant(k.lastUsedAt) : 'never',
      revokedLabel: k.revokedAt ? formatInstant(k.revokedAt) : null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await readForm(request);
  if (formData.get('intent') === 'revoke') {
    const apiKeyId = Number(formData.get('apiKeyId'));
    const parsed = parseForm(apiKeyRevokeSchema, formData);
    if (!parsed.success) {
      const message = parsed.errors.confirm?.[0] ?? 'Choose a key to revoke from the list.';
      return Response.json({ revokeError: { apiKeyId, message } }, { status: 400 });
    }
    const result = await revokeApiKey(db(), { apiKeyId: parsed.data.apiKeyId, actorId: admin.id });
    if (!result.ok) return Response.json({ revokeError: { apiKeyId, message: result.reason } }, { status: 400 });
    return { revoked: result.name };
  }
  const values = keptValues(formData);
  const parsed = parseForm(apiKeyNameSchema, formData);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });
  const created = await createApiKey(db(), { name: parsed.data.name, createdBy: admin.id });
  // The only time the key leaves the server: not kept by any cache or the browser's history cache.
  return Response.json({ created: { name: parsed.data.name, key: created.key } }, { headers: { 'Cache-Control': 'no-store' } });
}

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const cacheControl = actionHeaders.get('Cache-Control');
  if (cacheControl) headers.set('Cache-Control', cacheControl);
  return headers;
};

type ActionData = {
  errors?: Partial<Record<string, string[]>>;
  values?: Record<string, string>;
  created?: { name: string; key: string };
  revoked?: string;
  revokeError?: { apiKeyId: number; message: string };
};

export default function AdminApiKeys() {
  const { keys } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const form = useZodForm(apiKeyNameSchema, actionData?.errors);
  const created = actionData?.created;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">API keys</h1>
        <p className="text-slate-700">
          The helpdesk uses an API key to ask who may take live chats on each queue (see docs/api.md). Give each system its own key, so one can be
          revoked without stopping the others.
        </p>
      </div>
      {created ? (
        <FormAlert tone="success">
          <p className="font-semibold">API key “{created.name}” created.</p>
          <label htmlFor="new-api-key" className="mt-2 block font-semibold">Your new API key</label>
          <input id="new-api-key" readOnly value={created.key} aria-describedby="new-api-key-note" className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm" />
          <p id="new-api-key-note" className="mt-2">Copy it now and store it in the helpdesk's settings: it will not be shown again. Lost it? Create a new key and revoke this one.</p>
        </FormAlert>
      ) : null}
      {actionData?.revokeError && !keys.some((k) => k.id === actionData.revokeError?.apiKeyId && !k.revokedAt) ? (
        <FormAlert>{actionData.revokeError.message}</FormAlert>
      ) : null}
      {actionData?.revoked ? <FormAlert tone="success">API key “{actionData.revoked}” revoked: requests with it are now refused.</FormAlert> : null}

      <section aria-labelledby="new-key" className="rounded bg-white p-5 shadow">
        <h2 id="new-key" className="mb-3 text-xl font-semibold">New API key</h2>
        <Form method="post" noValidate onSubmit={form.onSubmit} key={created?.key ?? 'form'}>
          <Field
            label="Name"
            hint="Who uses the key, e.g. “Helpdesk production”."
            defaultValue={actionData?.values?.name}
            errors={form.errorsFor('name')}
            maxLength={80}
            {...form.register('name')}
          />
          <SubmitButton name="intent" value="create" pendingText="Creating…">Create API key</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="key-list" className="rounded bg-white p-5 shadow">
        <h2 id="key-list" className="mb-3 text-xl font-semibold">All API keys</h2>
        {keys.length === 0 ? (
          <p>No API keys yet. Create one above for the helpdesk.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Name</th>
                  <th scope="col" className="px-3 py-2">Key starts with</th>
                  <th scope="col" className="px-3 py-2">Created</th>
                  <th scope="col" className="px-3 py-2">Last used</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => {
                  const error = actionData?.revokeError?.apiKeyId === k.id ? actionData.revokeError.message : null;
                  return (
                    <tr key={k.id} className="border-t border-slate-200 align-top">
                      <td className="px-3 py-2 font-medium">{k.name}</td>
                      <td className="px-3 py-2 font-mono">{k.prefix}…</td>
                      <td className="px-3 py-2">
                        <time dateTime={k.createdAt}>{k.createdLabel}</time>
                        {k.createdByName ? <span className="block text-slate-700">by {k.createdByName}</span> : <span className="block text-slate-700">from the command line</span>}
                      </td>
                      <td className="px-3 py-2">{k.lastUsedAt ? <time dateTime={k.lastUsedAt}>{k.lastUsedLabel}</time> : k.lastUsedLabel}</td>
                      <td className="px-3 py-2">
                        {k.revokedAt ? (
                          <span className="text-slate-700">Revoked <time dateTime={k.revokedAt}>{k.revokedLabel}</time></span>
                        ) : (
                          <>
                            <span className="font-semibold text-green-800">Active</span>
                            <details className="mt-1" open={error !== null}>
                              <summary className="cursor-pointer font-semibold text-red-800">Revoke…</summary>
                              <Form method="post" className="mt-2 rounded border border-red-300 bg-red-50 p-3">
                                <input type="hidden" name="apiKeyId" value={k.id} />
                                <label className="flex items-start gap-2">
                                  <input type="checkbox" name="confirm" value="yes" aria-invalid={error ? true : undefined} aria-describedby={error ? `revoke-error-${k.id}` : undefined} className="mt-1" />
                                  <span>I understand the helpdesk will lose access with this key</span>
                                </label>
                                <ErrorList id={`revoke-error-${k.id}`} errors={error ? [error] : null} />
                                <SubmitButton name="intent" value="revoke" className="mt-2 rounded bg-red-800 px-3 py-2 font-semibold text-white">
                                  Revoke “{k.name}”
                                </SubmitButton>
                              </Form>
                            </details>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'API keys · Frontline' }];
