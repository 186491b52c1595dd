import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { Field, SelectField, SubmitButton } from '~/components/forms';
import { Pagination, pageFromUrl } from '~/components/pagination';
import { StatusBadge } from '~/components/studio/status-badge';
import { ITEM_TYPES, TOPICS, topicLabel } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { keptValues, parseForm } from '~/forms/parse';
import { newScenarioSchema, ORIGINS, SCENARIO_STATUSES } from '~/forms/studio';
import { useZodForm } from '~/forms/use-zod-form';
import { createScenario, listScenarios } from '~/models/studio.server';
import { readForm } from '~/read-form.server';

const PER_PAGE = 25;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const url = new URL(request.url);
  const filter = {
    q: url.searchParams.get('q')?.slice(0, 100) ?? '',
    topic: oneOf(TOPICS, url.searchParams.get('topic')),
    status: oneOf(SCENARIO_STATUSES, url.searchParams.get('status')),
    type: oneOf(ITEM_TYPES, url.searchParams.get('type')),
    origin: oneOf(ORIGINS, url.searchParams.get('origin')),
  };
  const page = pageFromUrl(request.url);
  const { total, scenarios } = await listScenarios(db(), { ...filter, page, perPage: PER_PAGE });
  return { filter, page, total, scenarios, perPage: PER_PAGE };
}

export async function action({ request }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const formData = await readForm(request);
  const parsed = parseForm(newScenarioSchema, formData);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values: keptValues(formData) }, { status: 400 });
  const scenarioId = await createScenario(db(), { ...parsed.data, userId: trainer.id });
  return redirect(`/studio/scenarios/${scenarioId}/edit`);
}

type ActionData = { errors?: Partial<Record<string, string[]>>; values?: Record<string, string> };

function NewScenario() {
  const actionData = useActionData<ActionData>();
  const form = useZodForm(newScenarioSchema, actionData?.errors);
  const values = actionData?.values;
  return (
    <details className="rounded bg-white p-5 shadow" open={Boolean(actionData?.errors)}>
      <summary className="cursor-pointer text-xl font-semibold">New scenario</summary>
      <Form method="post" noValidate onSubmit={form.onSubmit} className="mt-3" aria-label="New scenario">
        <div className="grid gap-x-4 md:grid-cols-2">
          <Field label="Title" defaultValue={values?.title} errors={form.errorsFor('title')} hint="The id is made from the title." {...form.register('title')} />
          <SelectField label="Topic" defaultValue={values?.topic ?? ''} errors={form.errorsFor('topic')} {...form.register('topic')}>
            <option value="">Choose a topic</option>
            {TOPICS.map((t) => <option key={t} value={t}>{topicLabel(t)}</option>)}
          </SelectField>
          <SelectField label="Week" defaultValue={values?.week ?? '1'} errors={form.errorsFor('week')} {...form.register('week')}>
            {[1, 2, 3, 4].map((w) => <option key={w} value={w}>Week {w}</option>)}
          </SelectField>
          <SelectField label="Difficulty" defaultValue={values?.difficulty ?? '2'} errors={form.errorsFor('difficulty')} {...form.register('difficulty')}>
            {[1, 2, 3, 4, 5].map((d) => <option key={d} value={d}>{d}</option>)}
          </SelectField>
        </div>
        <SubmitButton pendingText="Creating…">Create and edit</SubmitButton>
      </Form>
    </details>
  );
}

export default function StudioScenarios() {
  const { filter, page, total, scenarios, perPage } = useLoaderData<typeof loader>();
  const select = 'block w-full rounded border border-slate-400 bg-white px-3 py-2';
  return (
    <div className="space-y-5">
      <h2 className="text-2xl font-bold">Scenarios</h2>
      <NewScenario />
      <Form method="get" className="grid items-end gap-3 rounded bg-white p-4 shadow sm:grid-cols-2 lg:grid-cols-6" role="search" aria-label="Scenarios">
        <div className="lg:col-span-2">
          <label htmlFor="q" className="mb-1 block font-medium">Search title or id</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} className={select} />
        </div>
        <div>
          <label htmlFor="topic" className="mb-1 block font-medium">Topic</label>
          <select id="topic" name="topic" defaultValue={filter.topic ?? ''} className={select}>
            <option value="">Any topic</option>
            {TOPICS.map((t) => <option key={t} value={t}>{topicLabel(t)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="mb-1 block font-medium">Status</label>
          <select id="status" name="status" defaultValue={filter.status ?? ''} className={select}>
            <option value="">Any status</option>
            {SCENARIO_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="type" className="mb-1 block font-medium">Item type</label>
          <select id="type" name="type" defaultValue={filter.type ?? ''} className={select}>
            <option value="">Any type</option>
            {ITEM_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="origin" className="mb-1 block font-medium">Origin</label>
          <select id="origin" name="origin" defaultValue={filter.origin ?? ''} className={select}>
            <option value="">Any origin</option>
            <option value="studio">Written in the studio</option>
            <option value="content">Shipped in content/</option>
          </select>
        </div>
        <div className="flex gap-3 lg:col-span-6">
          <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">Filter</button>
          <Link to="/studio/scenarios" className="self-center">Clear filters</Link>
        </div>
      </Form>
      <section aria-labelledby="scenario-list" className="rounded bg-white p-4 shadow">
        <h3 id="scenario-list" className="mb-2 font-semibold" aria-live="polite">
          {total} {total === 1 ? 'scenario' : 'scenarios'}
        </h3>
        {scenarios.length === 0 ? (
          <p>No scenario matches these filters.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Title</th>
                  <th scope="col" className="px-3 py-2">Topic</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2">Version</th>
                  <th scope="col" className="px-3 py-2">Item types</th>
                  <th scope="col" className="px-3 py-2">Origin</th>
                </tr>
              </thead>
              <tbody>
                {scenarios.map((s) => (
                  <tr key={s.id} className="border-t border-slate-200">
                    <td className="px-3 py-2">
                      <Link to={`/studio/scenarios/${s.id}`}>{s.title}</Link>
                      <span className="block font-mono text-xs text-slate-600">{s.id}</span>
                    </td>
                    <td className="px-3 py-2">{topicLabel(s.topic)}</td>
                    <td className="px-3 py-2">
                      <StatusBadge status={s.status} />
                      {s.draftSavedAt && s.version !== null ? <span className="block text-xs text-slate-700">unpublished changes</span> : null}
                    </td>
                    <td className="px-3 py-2">{s.version ?? '—'}</td>
                    <td className="px-3 py-2">{s.types.join(', ') || '—'}</td>
                    <td className="px-3 py-2">{s.origin === 'content' ? 'content/' : 'studio'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pageSize={perPage} total={total} />
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Scenarios · Studio · Frontline' }];
