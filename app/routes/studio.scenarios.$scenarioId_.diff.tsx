import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { diffScenarios } from '~/domain/scenario-diff';
import { draftBody, getScenario, versionBody, versionHistory } from '~/models/studio.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const scenario = await getScenario(db(), { scenarioId: params.scenarioId ?? '' });
  if (!scenario) throw new Response('No such scenario', { status: 404 });
  const versions = (await versionHistory(db(), { scenarioId: scenario.id })).map((v) => v.version).sort((a, b) => a - b);
  const hasDraft = scenario.draft_saved_at !== null;
  const url = new URL(request.url);
  const latest = versions.at(-1) ?? null;
  const to = url.searchParams.get('to') ?? (latest === null ? 'draft' : String(latest));
  const fromDefault = to === 'draft' ? latest : Number(to) - 1;
  const fromParam = url.searchParams.get('from');
  const from = fromParam === null ? (fromDefault && fromDefault > 0 ? String(fromDefault) : null) : fromParam === '' ? null : fromParam;

  const bodyOf = async (which: string | null): Promise<{ found: boolean; body: unknown }> => {
    if (which === null) return { found: true, body: {} };
    if (which === 'draft') {
      const body = await draftBody(db(), { scenarioId: scenario.id });
      return { found: body !== null, body };
    }
    const version = Number(which);
    const body = Number.isInteger(version) ? await versionBody(db(), { scenarioId: scenario.id, version }) : null;
    return { found: body !== null, body };
  };
  const [before, after] = await Promise.all([bodyOf(from), bodyOf(to)]);
  if (!before.found || !after.found) throw new Response('No such version', { status: 404 });
  const name = (which: string | null) => (which === null ? 'nothing (a new scenario)' : which === 'draft' ? 'the unpublished draft' : `version ${which}`);
  return {
    scenarioId: scenario.id,
    title: scenario.title,
    from,
    to,
    fromName: name(from),
    toName: name(to),
    choices: [...versions.map(String), ...(hasDraft ? ['draft'] : [])],
    changes: diffScenarios(before.body, after.body),
  };
}

const KIND_STYLE = { added: 'text-green-900 bg-green-50', removed: 'text-red-900 bg-red-50', changed: 'text-slate-900 bg-amber-50' } as const;

export default function ScenarioDiff() {
  const { scenarioId, title, from, to, fromName, toName, choices, changes } = useLoaderData<typeof loader>();
  const select = 'rounded border border-slate-400 bg-white px-2 py-1';
  const label = (choice: string) => (choice === 'draft' ? 'Unpublished draft' : `Version ${choice}`);
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/studio/scenarios">Scenarios</Link> / <Link to={`/studio/scenarios/${scenarioId}`}>{title}</Link> / Changes
      </nav>
      <h2 className="text-2xl font-bold">
        Changes from {fromName} to {toName}
      </h2>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="from" className="mb-1 block font-medium">From</label>
          <select id="from" name="from" defaultValue={from ?? ''} className={select}>
            <option value="">Nothing (a new scenario)</option>
            {choices.map((c) => <option key={c} value={c}>{label(c)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="to" className="mb-1 block font-medium">To</label>
          <select id="to" name="to" defaultValue={to} className={select}>
            {choices.map((c) => <option key={c} value={c}>{label(c)}</option>)}
          </select>
        </div>
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">Compare</button>
      </Form>
      <section aria-labelledby="changes-heading" className="rounded bg-white p-4 shadow">
        <h3 id="changes-heading" className="mb-2 font-semibold">
          {changes.length === 0 ? 'No differences.' : `${changes.length} ${changes.length === 1 ? 'change' : 'changes'}`}
        </h3>
        {changes.length > 0 ? (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Where</th>
                  <th scope="col" className="px-3 py-2">Change</th>
                  <th scope="col" className="px-3 py-2">Before</th>
                  <th scope="col" className="px-3 py-2">After</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c, i) => (
                  <tr key={i} className="border-t border-slate-200 align-top">
                    <th scope="row" className="px-3 py-2 font-medium">{c.where}</th>
                    <td className="px-3 py-2"><span className={`rounded px-2 py-0.5 ${KIND_STYLE[c.kind]}`}>{c.kind}</span></td>
                    <td className="px-3 py-2">{c.before === null ? '—' : <del className="whitespace-pre-wrap">{c.before}</del>}</td>
                    <td className="px-3 py-2">{c.after === null ? '—' : <ins className="whitespace-pre-wrap no-underline">{c.after}</ins>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Changes: ${data?.title ?? 'Scenario'} · Studio · Frontline` }];
