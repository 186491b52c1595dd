import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ROLES } from '~db/schema';
import { requireRole } from '~/auth.server';
import { ErrorList, Field, FormAlert, SelectField, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { keptValues, parseForm } from '~/forms/parse';
import { invitationSchema } from '~/forms/schemas';
import { useZodForm } from '~/forms/use-zod-form';
import { listCohorts } from '~/models/cohort.server';
import { createInvitation, INVITATION_DAYS, listPendingInvitations, revokeInvitation } from '~/models/invitation.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const [invitations, cohorts] = await Promise.all([listPendingInvitations(db()), listCohorts(db())]);
  return { invitations, validDays: INVITATION_DAYS, cohorts: cohorts.map((c) => ({ id: c.id, name: c.name, startDate: c.start_date })) };
}

const revokeSchema = z.object({ invitationId: z.coerce.number().int().positive() });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await readForm(request);
  if (formData.get('intent') === 'revoke') {
    const parsed = parseForm(revokeSchema, formData);
    if (!parsed.success) return Response.json({ formError: 'Choose an invitation to revoke.' }, { status: 400 });
    await revokeInvitation(db(), { invitationId: parsed.data.invitationId, actorId: admin.id });
    return { revoked: true };
  }
  const values = { ...keptValues(formData), roles: formData.getAll('roles').map(String) };
  const parsed = parseForm(invitationSchema, formData, ['roles']);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });
  const result = await createInvitation(db(), { ...parsed.data, actorId: admin.id });
  if ('error' in result) return Response.json({ errors: { email: [result.error] }, values }, { status: 400 });
  return {
    invited: { name: parsed.data.name, email: parsed.data.email, link: new URL(`/invite/${result.token}`, request.url).href },
  };
}

type ActionData = {
  errors?: Partial<Record<string, string[]>>;
  formError?: string;
  values?: Record<string, string> & { roles?: string[] };
  invited?: { name: string; email: string; link: string };
  revoked?: boolean;
};

export default function AdminInvitations() {
  const { invitations, cohorts, validDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const values = actionData?.values;
  const checkedRoles = values?.roles ?? ['learner'];
  const form = useZodForm(invitationSchema, actionData?.errors, { roles: checkedRoles as typeof ROLES[number][] });
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Invitations</h1>
      {actionData?.invited ? (
        <FormAlert tone="success">
          <p className="font-semibold">Invitation created for {actionData.invited.name} ({actionData.invited.email}).</p>
          <p>Hand over this link; it works once and expires in {validDays} days. It is shown only now.</p>
          <label htmlFor="invitation-link" className="mt-2 block font-semibold">Invitation link</label>
          <input id="invitation-link" readOnly value={actionData.invited.link} className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm" />
        </FormAlert>
      ) : null}
      {actionData?.revoked ? <FormAlert tone="success">Invitation revoked.</FormAlert> : null}
      <FormAlert>{actionData?.formError}</FormAlert>

      <section aria-labelledby="invite-heading" className="rounded bg-white p-5 shadow">
        <h2 id="invite-heading" className="mb-3 text-xl font-semibold">Invite someone</h2>
        <Form method="post" noValidate onSubmit={form.onSubmit} key={actionData?.invited?.link ?? 'form'}>
          <div className="grid gap-x-4 md:grid-cols-2">
            <Field label="Email" type="email" defaultValue={values?.email} errors={form.errorsFor('email')} {...form.register('email')} />
            <Field label="Name" defaultValue={values?.name} errors={form.errorsFor('name')} {...form.register('name')} />
          </div>
          <fieldset className="mb-4" aria-describedby={form.errorsFor('roles') ? 'roles-error' : undefined}>
            <legend className="mb-1 font-medium">Roles</legend>
            {ROLES.map((role) => (
              <label key={role} className="mr-4 inline-flex items-center gap-1">
                <input type="checkbox" value={role} defaultChecked={checkedRoles.includes(role)} {...form.register('roles')} /> {role}
              </label>
            ))}
            <ErrorList id="roles-error" errors={form.errorsFor('roles')} />
          </fieldset>
          <SelectField label="Cohort (for learners)" defaultValue={values?.cohortId ?? ''} errors={form.errorsFor('cohortId')} {...form.register('cohortId')}>
            <option value="">No cohort yet</option>
            {cohorts.map((c) => (
              <option key={c.id} value={c.id}>{c.name} (starts {c.startDate})</option>
            ))}
          </SelectField>
          <SubmitButton pendingText="Creating…">Create invitation</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="pending-heading" className="rounded bg-white p-5 shadow">
        <h2 id="pending-heading" className="mb-3 text-xl font-semibold">Pending invitations</h2>
        {invitations.length === 0 ? (
          <p>No pending invitations.</p>
        ) : (
          <ul>
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 py-2 last:border-0">
                <span>
                  <strong>{i.name}</strong> · {i.email} · {i.roles.join(', ')}
                  {i.cohort_name ? ` · ${i.cohort_name}` : ''}
                  <span className="block text-sm text-slate-600">Expires {new Date(i.expires_at).toUTCString()}</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="invitationId" value={i.id} />
                  <SubmitButton name="intent" value="revoke" className="rounded border border-red-800 px-2 py-1 text-sm text-red-800" aria-label={`Revoke invitation for ${i.email}`}>
                    Revoke
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Invitations · Frontline' }];
