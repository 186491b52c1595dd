import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ROLES } from '~db/schema';
import { requireRole } from '~/auth.server';
import { FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { isoDate } from '~/forms/schemas';
import { parseForm } from '~/forms/parse';
import { listCohorts } from '~/models/cohort.server';
import { createPasswordReset } from '~/models/invitation.server';
import { defaultTrackId, enrol, getEnrolmentSettings } from '~/models/learning.server';
import { getUserWithRoles, recordAudit, setUserRoles, setUserStatus } from '~/models/user.server';
import { readForm } from '~/read-form.server';

const intentSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('roles'), roles: z.array(z.enum(ROLES)) }),
  z.object({ intent: z.literal('disable'), reason: z.string().trim().max(500).optional() }),
  z.object({ intent: z.literal('enable') }),
  z.object({ intent: z.literal('reset-link') }),
  z.object({
    intent: z.literal('enrol'),
    cohortId: z.string().optional().transform((v) => (v ? Number(v) : null)),
    startDate: z.union([isoDate, z.literal('')]).optional().transform((v) => v || null),
  }).refine((v) => v.cohortId !== null || v.startDate !== null, { message: 'Choose a cohort or a personal start date.', path: ['cohortId'] }),
]);

async function loadSubject(params: LoaderFunctionArgs['params']) {
  const userId = Number(params.userId);
  const subject = Number.isInteger(userId) ? await getUserWithRoles(db(), { userId }) : undefined;
  if (!subject) throw new Response('There is no such user.', { status: 404 });
  return subject;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const subject = await loadSubject(params);
  const [enrolment, cohorts] = await Promise.all([
    getEnrolmentSettings(db(), { userId: subject.id }),
    listCohorts(db()),
  ]);
  return {
    subject,
    isSelf: admin.id === subject.id,
    enrolment,
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name, startDate: c.start_date })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const subject = await loadSubject(params);
  const parsed = parseForm(intentSchema, await readForm(request), ['roles']);
  if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const isSelf = admin.id === subject.id;
  switch (input.intent) {
    case 'roles':
      if (isSelf && !input.roles.includes('admin')) {
        return Response.json({ errors: { roles: ['You cannot remove your own admin role. Ask another administrator.'] } }, { status: 400 });
      }
      await setUserRoles(db(), { actorId: admin.id, userId: subject.id, roles: input.roles });
      return { message: 'Roles saved.' };
    case 'disable':
      if (isSelf) return Response.json({ errors: { reason: ['You cannot disable your own account.'] } }, { status: 400 });
      await setUserStatus(db(), { actorId: admin.id, userId: subject.id, status: 'disabled', reason: input.reason ?? null });
      return { message: `${subject.name} is disabled and signed out everywhere.` };
    case 'enable':
      await setUserStatus(db(), { actorId: admin.id, userId: subject.id, status: 'active' });
      return { message: `${subject.name} can sign in again.` };
    case 'reset-link': {
      const { token } = await createPasswordReset(db(), { userId: subject.id, actorId: admin.id });
      return { message: 'Password reset link created. It works once, for 24 hours.', link: new URL(`/reset/${token}`, request.url).href };
    }
    case 'enrol': {
      const trackId = await defaultTrackId(db());
      if (!trackId) return Response.json({ errors: { cohortId: ['No track is loaded.'] } }, { status: 400 });
      await enrol(db(), { userId: subject.id, trackId, cohortId: input.cohortId, startDate: input.startDate });
      await recordAudit(db(), { actorId: admin.id, action: 'learner.enrolled', subjectUserId: subject.id, details: { cohortId: input.cohortId, startDate: input.startDate } });
      return { message: 'Enrolment saved.' };
    }
  }
}

type ActionData = { message?: string; link?: string; errors?: Partial<Record<string, string[]>> };

export default function AdminUser() {
  const { subject, isSelf, enrolment, cohorts } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errors = actionData?.errors;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/admin/users">Users</Link></nav>
      <div>
        <h1 className="text-3xl font-bold">{subject.name}</h1>
        <p className="text-slate-700">{subject.email} · {subject.status === 'active' ? 'Active' : 'Disabled'}</p>
      </div>
      {actionData?.message ? (
        <FormAlert tone="success">
          {actionData.message}
          {actionData.link ? (
            <>
              <br />
              <label htmlFor="reset-link" className="font-semibold">Link to hand over</label>
              <input id="reset-link" readOnly value={actionData.link} className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm" />
            </>
          ) : null}
        </FormAlert>
      ) : null}

      <section aria-labelledby="roles-heading" className="rounded bg-white p-5 shadow">
        <h2 id="roles-heading" className="mb-2 text-xl font-semibold">Roles</h2>
        <Form method="post">
          <fieldset aria-describedby={errors?.roles ? 'roles-error' : undefined}>
            <legend className="sr-only">Roles</legend>
            {ROLES.map((role) => (
              <label key={role} className="mr-4 inline-flex items-center gap-1">
                <input type="checkbox" name="roles" value={role} defaultChecked={subject.roles.includes(role)} /> {role}
              </label>
            ))}
          </fieldset>
          {errors?.roles ? <p id="roles-error" className="mt-1 text-sm text-red-700">{errors.roles.join(' ')}</p> : null}
          <SubmitButton name="intent" value="roles" className="mt-3 rounded bg-brand-700 px-3 py-2 font-semibold text-white">Save roles</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="enrolment-heading" className="rounded bg-white p-5 shadow">
        <h2 id="enrolment-heading" className="mb-2 text-xl font-semibold">Onboarding track</h2>
        <p className="mb-3 text-sm text-slate-700">
          {enrolment ? `Enrolled${enrolment.start_date ? ` with a personal start date of ${enrolment.start_date}` : ''}.` : 'Not enrolled.'} A
          personal start date overrides the cohort's.
        </p>
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <div className="max-w-full">
            <label htmlFor="cohortId" className="block font-medium">Cohort</label>
            <select id="cohortId" name="cohortId" defaultValue={enrolment?.cohort_id ?? ''} className="max-w-full rounded border border-slate-400 px-3 py-2">
              <option value="">No cohort</option>
              {cohorts.map((c) => <option key={c.id} value={c.id}>{c.name} (starts {c.startDate})</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="startDate" className="block font-medium">Personal start date</label>
            <input id="startDate" name="startDate" type="date" defaultValue={enrolment?.start_date ?? ''} className="rounded border border-slate-400 px-3 py-2" />
          </div>
          <SubmitButton name="intent" value="enrol" className="rounded bg-brand-700 px-3 py-2 font-semibold text-white">Save enrolment</SubmitButton>
        </Form>
        {errors?.cohortId ? <p className="mt-1 text-sm text-red-700" role="alert">{errors.cohortId.join(' ')}</p> : null}
      </section>

      <section aria-labelledby="access-heading" className="rounded bg-white p-5 shadow">
        <h2 id="access-heading" className="mb-2 text-xl font-semibold">Access</h2>
        <Form method="post" className="mb-4">
          <SubmitButton name="intent" value="reset-link" className="rounded border border-brand-700 px-3 py-2 font-semibold text-brand-700">Create password reset link</SubmitButton>
        </Form>
        {subject.status === 'active' ? (
          isSelf ? <p className="text-sm text-slate-700">You cannot disable your own account.</p> : (
            <details>
              <summary className="cursor-pointer font-semibold text-red-800">Disable account…</summary>
              <Form method="post" className="mt-3 rounded border border-red-300 bg-red-50 p-3">
                <p className="mb-2">{subject.name} will be signed out everywhere and cannot sign in until enabled again.</p>
                <label htmlFor="reason" className="block font-medium">Reason (kept in the audit log)</label>
                <input id="reason" name="reason" className="mb-3 block w-full rounded border border-slate-400 bg-white px-3 py-2" />
                <SubmitButton name="intent" value="disable" className="rounded bg-red-800 px-3 py-2 font-semibold text-white">Yes, disable {subject.name}</SubmitButton>
              </Form>
            </details>
          )
        ) : (
          <Form method="post">
            <SubmitButton name="intent" value="enable" className="rounded bg-brand-700 px-3 py-2 font-semibold text-white">Enable account</SubmitButton>
          </Form>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.subject.name ?? 'User'} · Frontline` }];
