import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { ManagerChoices } from '~/components/cohort-fields';
import { ErrorList, Field, FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { formatDate, localDate } from '~/domain/calendar';
import { env } from '~/env.server';
import { keptValues, parseForm } from '~/forms/parse';
import { cohortSchema } from '~/forms/schemas';
import { useZodForm } from '~/forms/use-zod-form';
import { createCohort, findCohortByName, listCohorts, listManagers } from '~/models/cohort.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const [cohorts, managers] = await Promise.all([listCohorts(db()), listManagers(db())]);
  const defaultTimeZone = env().DEFAULT_TIME_ZONE;
  return {
    cohorts: cohorts.map((c) => ({ ...c, startLabel: formatDate(c.start_date) })),
    managers,
    defaultTimeZone,
    today: localDate(new Date(), defaultTimeZone),
    timeZones: Intl.supportedValuesOf('timeZone'),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await readForm(request);
  const values = keptValues(formData);
  const parsed = parseForm(cohortSchema, formData, ['managerIds']);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });
  if (await findCohortByName(db(), { name: parsed.data.name })) {
    return Response.json({ errors: { name: ['A cohort with this name already exists.'] }, values }, { status: 400 });
  }
  const managerIds = new Set((await listManagers(db())).map((m) => m.id));
  if (parsed.data.managerIds.some((id) => !managerIds.has(id))) {
    return Response.json({ errors: { managerIds: ['Choose managers from the list.'] }, values }, { status: 400 });
  }
  await createCohort(db(), { ...parsed.data, actorId: admin.id });
  return { created: parsed.data.name };
}

type ActionData = { errors?: Partial<Record<string, string[]>>; values?: Record<string, string>; created?: string };

export default function AdminCohorts() {
  const { cohorts, managers, defaultTimeZone, today, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const form = useZodForm(cohortSchema, actionData?.errors, { managerIds: [] });
  const values = actionData?.values;
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Cohorts</h1>
      {actionData?.created ? <FormAlert tone="success">Cohort “{actionData.created}” created. Invite learners into it from Invitations.</FormAlert> : null}
      <section aria-labelledby="new-cohort" className="rounded bg-white p-5 shadow">
        <h2 id="new-cohort" className="mb-3 text-xl font-semibold">New cohort</h2>
        <Form method="post" noValidate onSubmit={form.onSubmit} key={actionData?.created ?? 'form'}>
          <div className="grid gap-x-4 md:grid-cols-3">
            <Field label="Cohort name" defaultValue={values?.name} errors={form.errorsFor('name')} {...form.register('name')} />
            <Field label="Start date" type="date" defaultValue={values?.startDate ?? today} errors={form.errorsFor('startDate')} {...form.register('startDate')} />
            <div className="mb-4">
              <label htmlFor="timeZone" className="mb-1 block font-medium">Time zone</label>
              <select id="timeZone" defaultValue={values?.timeZone ?? defaultTimeZone} className="block w-full rounded border border-slate-400 bg-white px-3 py-2" {...form.register('timeZone')}>
                {timeZones.map((tz) => <option key={tz} value={tz}>{tz}</option>)}
              </select>
              <ErrorList errors={form.errorsFor('timeZone')} />
            </div>
          </div>
          <ManagerChoices managers={managers} field={form.register('managerIds')} errors={form.errorsFor('managerIds')} />
          <SubmitButton pendingText="Creating…">Create cohort</SubmitButton>
        </Form>
      </section>
      <section aria-labelledby="cohort-list" className="rounded bg-white p-5 shadow">
        <h2 id="cohort-list" className="mb-3 text-xl font-semibold">All cohorts</h2>
        {cohorts.length === 0 ? (
          <p>No cohorts yet. Create the first one above.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Name</th>
                  <th scope="col" className="px-3 py-2">Starts</th>
                  <th scope="col" className="px-3 py-2">Time zone</th>
                  <th scope="col" className="px-3 py-2">Learners</th>
                  <th scope="col" className="px-3 py-2">Managers</th>
                </tr>
              </thead>
              <tbody>
                {cohorts.map((c) => (
                  <tr key={c.id} className="border-t border-slate-200">
                    <td className="px-3 py-2">{c.name}</td>
                    <td className="px-3 py-2">{c.startLabel}</td>
                    <td className="px-3 py-2">{c.time_zone}</td>
                    <td className="px-3 py-2">{c.learners}</td>
                    <td className="px-3 py-2">{c.managers.map((m) => m.name).join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Cohorts · Frontline' }];
