// The cohorts a manager manages (an admin: all of them), and a new cohort. A manager's new cohort is
// theirs to manage; an admin chooses its managers.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { ManagerChoices } from '~/components/cohort-fields';
import { ErrorList, Field, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { formatDate, localDate } from '~/domain/calendar';
import { env } from '~/env.server';
import { newCohortSchema } from '~/forms/enrolment';
import { keptValues, parseForm } from '~/forms/parse';
import { useZodForm } from '~/forms/use-zod-form';
import { listManagers } from '~/models/cohort.server';
import { createCohortAs, listCohortsInScope } from '~/models/enrolment.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const isAdmin = viewer.roles.includes('admin');
  const [cohorts, managers] = await Promise.all([listCohortsInScope(db(), { viewer }), isAdmin ? listManagers(db()) : Promise.resolve([])]);
  const defaultTimeZone = env().DEFAULT_TIME_ZONE;
  return {
    cohorts: cohorts.map((c) => ({ ...c, startLabel: formatDate(c.startDate) })),
    isAdmin,
    managers,
    defaultTimeZone,
    today: localDate(new Date(), defaultTimeZone),
    timeZones: Intl.supportedValuesOf('timeZone'),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const formData = await readForm(request);
  const values = keptValues(formData);
  const parsed = parseForm(newCohortSchema, formData, ['managerIds']);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });
  const created = await createCohortAs(db(), { viewer, ...parsed.data });
  if (!created.ok) return Response.json({ errors: created.errors, values }, { status: 400 });
  return redirect(`/manage/cohorts/${created.cohortId}?created=1`);
}

type ActionData = { errors?: Partial<Record<string, string[]>>; values?: Record<string, string> };
const cell = 'px-3 py-2';

export default function ManageCohorts() {
  const { cohorts, isAdmin, managers, defaultTimeZone, today, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const form = useZodForm(newCohortSchema, actionData?.errors, { managerIds: [] });
  const values = actionData?.values;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="mb-2 text-3xl font-bold">Cohorts</h1>
        <p className="text-slate-700">{isAdmin ? 'Every cohort.' : 'The cohorts you manage.'} Open one to see its learners and enrol more.</p>
      </div>
      <section aria-labelledby="cohort-list" className="rounded bg-white p-5 shadow">
        <h2 id="cohort-list" className="mb-3 text-xl font-semibold">{isAdmin ? 'All cohorts' : 'Your cohorts'}</h2>
        {cohorts.length === 0 ? (
          <p>{isAdmin ? 'No cohorts yet.' : 'You do not manage a cohort yet.'} Create one below.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Cohorts, newest start first</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className={cell}>Name</th>
                  <th scope="col" className={cell}>Starts</th>
                  <th scope="col" className={cell}>Time zone</th>
                  <th scope="col" className={cell}>Learners</th>
                  <th scope="col" className={cell}>Managers</th>
                </tr>
              </thead>
              <tbody>
                {cohorts.map((c) => (
                  <tr key={c.id} className="border-t border-slate-200">
                    <td className={cell}><Link to={`/manage/cohorts/${c.id}`}>{c.name}</Link></td>
                    <td className={cell}>{c.startLabel}</td>
                    <td className={cell}>{c.timeZone}</td>
                    <td className={cell}>{c.learners}</td>
                    <td className={cell}>{c.managers.map((m) => m.name).join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="new-cohort" className="rounded bg-white p-5 shadow">
        <h2 id="new-cohort" className="mb-3 text-xl font-semibold">New cohort</h2>
        <Form method="post" noValidate onSubmit={form.onSubmit}>
          <div className="grid gap-x-4 md:grid-cols-3">
            <Field label="Cohort name" defaultValue={values?.name} errors={form.errorsFor('name')} {...form.register('name')} />
            <Field label="Start date" type="date" hint="Day 1 of the track." defaultValue={values?.startDate ?? today} errors={form.errorsFor('startDate')} {...form.register('startDate')} />
            <div className="mb-4">
              <label htmlFor="timeZone" className="mb-1 block font-medium">Time zone</label>
              <select id="timeZone" defaultValue={values?.timeZone ?? defaultTimeZone} aria-describedby="timeZone-hint" className="block w-full rounded border border-slate-400 bg-white px-3 py-2" {...form.register('timeZone')}>
                {timeZones.map((tz) => <option key={tz} value={tz}>{tz}</option>)}
              </select>
              <p id="timeZone-hint" className="mt-1 text-sm text-slate-600">Each day of the track begins at midnight here.</p>
              <ErrorList errors={form.errorsFor('timeZone')} />
            </div>
          </div>
          {isAdmin ? (
            <ManagerChoices managers={managers} field={form.register('managerIds')} errors={form.errorsFor('managerIds')} />
          ) : (
            <p className="mb-4 text-sm text-slate-700">You will manage this cohort.</p>
          )}
          <SubmitButton pendingText="Creating…">Create cohort</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Cohorts · Manage · Frontline' }];
