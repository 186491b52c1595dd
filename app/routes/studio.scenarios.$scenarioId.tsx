import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { ErrorList, FormAlert, SubmitButton } from '~/components/forms';
import { StatusBadge } from '~/components/studio/status-badge';
import { validateScenario } from '~/content/scenario-checks';
import { topicLabel } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { formatDateTime } from '~/components/studio/format';
import { changeNoteSchema, confirmSchema } from '~/forms/studio';
import {
  discardDraft,
  draftBody,
  duplicateScenario,
  getScenario,
  handbookSectionRefs,
  publishDraft,
  restoreScenario,
  retireScenario,
  versionHistory,
} from '~/models/studio.server';
import { readForm } from '~/read-form.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const scenario = await getScenario(db(), { scenarioId: params.scenarioId ?? '' });
  if (!scenario) throw new Response('No such scenario', { status: 404 });
  const [versions, draft, refs] = await Promise.all([versionHistory(db(), { scenarioId: scenario.id }), draftBody(db(), { scenarioId: scenario.id }), handbookSectionRefs(db())]);
  const draftCheck = draft === null ? null : validateScenario({ ...(draft as object), id: scenario.id }, refs);
  return {
    scenario,
    versions,
    draft: draft === null ? null : { savedAt: scenario.draft_saved_at, problems: draftCheck && !draftCheck.ok ? Object.values(draftCheck.errors).flat().length : 0 },
  };
}

type ActionData = { intent: string; reason?: string; errors?: Record<string, string[]>; done?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const scenarioId = params.scenarioId ?? '';
  const formData = await readForm(request);
  const intent = String(formData.get('intent') ?? '');
  const bad = (reason: string, status = 400, errors: Record<string, string[]> = {}) => Response.json({ intent, reason, errors } satisfies ActionData, { status });
  const confirmed = () => confirmSchema.safeParse(formData.get('confirm')).success;
  switch (intent) {
    case 'publish': {
      const note = changeNoteSchema.safeParse(formData.get('changeNote'));
      if (!note.success) return bad('Say what changed before publishing.', 400, { changeNote: note.error.issues.map((i) => i.message) });
      const result = await publishDraft(db(), { scenarioId, changeNote: note.data, publishedBy: trainer.id });
      if (!result.ok) return bad(result.reason, result.status, result.errors);
      return redirect(`/studio/scenarios/${scenarioId}?published=${result.version}`);
    }
    case 'retire':
    case 'restore': {
      if (intent === 'retire' && !confirmed()) return bad('Tick the box to confirm that the scenario leaves new exam draws.', 400, { confirm: ['Tick the box to confirm.'] });
      const result = intent === 'retire' ? await retireScenario(db(), { scenarioId, actorId: trainer.id }) : await restoreScenario(db(), { scenarioId, actorId: trainer.id });
      if (!result.ok) return bad(result.reason, result.status);
      return { intent, done: intent === 'retire' ? 'Retired: new exams no longer draw this scenario. Attempts already drawn keep it.' : 'Restored: new exams may draw this scenario again.' } satisfies ActionData;
    }
    case 'discard': {
      if (!confirmed()) return bad('Tick the box to confirm that the draft is thrown away.', 400, { confirm: ['Tick the box to confirm.'] });
      const result = await discardDraft(db(), { scenarioId, actorId: trainer.id });
      if (!result.ok) return bad(result.reason, result.status);
      return { intent, done: 'Draft discarded: the editor starts again from the published version.' } satisfies ActionData;
    }
    case 'duplicate': {
      const result = await duplicateScenario(db(), { scenarioId, userId: trainer.id });
      if (!result.ok) return bad(result.reason, result.status);
      return redirect(`/studio/scenarios/${result.scenarioId}/edit`);
    }
    default:
      return bad('Unknown action.');
  }
}

function ErrorsByField({ errors }: { errors: Record<string, string[]> }) {
  const entries = Object.entries(errors).filter(([key]) => key !== 'changeNote' && key !== 'confirm');
  if (entries.length === 0) return null;
  return (
    <ul className="mt-2 list-disc pl-5 text-sm text-red-800">
      {entries.map(([key, messages]) => (
        <li key={key}><code>{key || 'scenario'}</code>: {messages.join('; ')}</li>
      ))}
    </ul>
  );
}

export default function ScenarioOverview() {
  const { scenario, versions, draft } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errorsOf = (intent: string) => (actionData?.intent === intent ? actionData.errors ?? {} : {});
  const studio = scenario.origin === 'studio';
  const latest = versions[0]?.version ?? null;
  const [searchParams] = useSearchParams();
  const published = searchParams.get('published');
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/studio/scenarios">Scenarios</Link> / {scenario.title}</nav>
      <div>
        <h2 className="text-2xl font-bold">{scenario.title}</h2>
        <p className="text-slate-700">
          <span className="font-mono text-sm">{scenario.id}</span> · <StatusBadge status={scenario.status} /> · {topicLabel(scenario.topic)} · week {scenario.week} · difficulty {scenario.difficulty} ·{' '}
          {studio ? 'written in the studio' : 'shipped in content/ (read-only here)'}
        </p>
      </div>
      {published && !actionData ? <FormAlert tone="success">Version {published} published.</FormAlert> : null}
      {actionData?.done ? <FormAlert tone="success">{actionData.done}</FormAlert> : null}
      {actionData?.reason ? <FormAlert>{actionData.reason}<ErrorsByField errors={actionData.errors ?? {}} /></FormAlert> : null}
      <div className="flex flex-wrap items-center gap-3">
        {studio ? <Link to={`/studio/scenarios/${scenario.id}/edit`} className="rounded bg-brand-700 px-4 py-2 font-semibold text-white no-underline hover:bg-brand-800">Edit</Link> : null}
        <Link to={`/studio/scenarios/${scenario.id}/preview`}>Preview as a learner</Link>
        <Link to={`/studio/scenarios/${scenario.id}/preview?answers=1`}>Preview with answers</Link>
        <Form method="post">
          <SubmitButton name="intent" value="duplicate" className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700" pendingText="Duplicating…">
            {studio ? 'Duplicate' : 'Duplicate to edit'}
          </SubmitButton>
        </Form>
      </div>
      <p className="max-w-prose text-sm text-slate-700">
        Certification exams draw from every published scenario. Weekly practice quizzes list their scenarios in content/quizzes, so a
        scenario written here is drawn in exams only.
      </p>

      {studio && draft ? (
        <section aria-labelledby="draft-heading" className="rounded bg-white p-5 shadow">
          <h3 id="draft-heading" className="text-xl font-semibold">Unpublished draft</h3>
          <p className="text-sm text-slate-700">
            Saved {draft.savedAt ? formatDateTime(draft.savedAt) : ''}.{' '}
            {draft.problems > 0 ? `${draft.problems} ${draft.problems === 1 ? 'problem' : 'problems'} to fix before it can be published.` : 'Ready to publish.'}{' '}
            <Link to={`/studio/scenarios/${scenario.id}/diff?to=draft`}>What changed</Link>
          </p>
          <Form method="post" className="mt-3 max-w-xl">
            <label htmlFor="changeNote" className="mb-1 block font-medium">Change note</label>
            <textarea
              id="changeNote"
              name="changeNote"
              rows={2}
              defaultValue={latest === null ? 'First version' : ''}
              aria-invalid={errorsOf('publish').changeNote ? true : undefined}
              aria-describedby="changeNote-error"
              className="block w-full rounded border border-slate-400 px-3 py-2"
            />
            <ErrorList id="changeNote-error" errors={errorsOf('publish').changeNote} />
            <SubmitButton name="intent" value="publish" className="mt-2 rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800" pendingText="Publishing…">
              Publish version {(latest ?? 0) + 1}
            </SubmitButton>
          </Form>
          {latest !== null ? (
            <Form method="post" className="mt-4 border-t border-slate-200 pt-3">
              <label className="flex items-center gap-2">
                <input type="checkbox" name="confirm" value="yes" /> Throw the draft away and go back to version {latest}
              </label>
              <ErrorList errors={errorsOf('discard').confirm} />
              <SubmitButton name="intent" value="discard" className="mt-2 rounded border border-red-700 px-3 py-1 text-red-800">Discard draft</SubmitButton>
            </Form>
          ) : null}
        </section>
      ) : null}

      {studio ? (
        <section aria-labelledby="status-heading" className="rounded bg-white p-5 shadow">
          <h3 id="status-heading" className="text-xl font-semibold">In the exam pool</h3>
          {scenario.status === 'retired' ? (
            <Form method="post">
              <p className="mb-2">Retired: new exams do not draw it.</p>
              <SubmitButton name="intent" value="restore" pendingText="Restoring…">Restore</SubmitButton>
            </Form>
          ) : (
            <Form method="post">
              <p className="mb-2">{scenario.status === 'published' ? 'Published: new exams may draw it.' : 'Not published yet.'} Retiring takes it out of new draws; attempts already drawn keep it.</p>
              <label className="flex items-center gap-2">
                <input type="checkbox" name="confirm" value="yes" aria-describedby="retire-error" /> Yes, retire this scenario
              </label>
              <ErrorList id="retire-error" errors={errorsOf('retire').confirm} />
              <SubmitButton name="intent" value="retire" className="mt-2 rounded border border-red-700 px-3 py-1 text-red-800">Retire</SubmitButton>
            </Form>
          )}
        </section>
      ) : null}

      <section aria-labelledby="versions-heading" className="rounded bg-white p-5 shadow">
        <h3 id="versions-heading" className="mb-2 text-xl font-semibold">Versions</h3>
        {versions.length === 0 ? (
          <p>Not published yet.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Version</th>
                  <th scope="col" className="px-3 py-2">Published</th>
                  <th scope="col" className="px-3 py-2">By</th>
                  <th scope="col" className="px-3 py-2">Change note</th>
                  <th scope="col" className="px-3 py-2">Compare</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.id} className="border-t border-slate-200">
                    <td className="px-3 py-2">
                      <Link to={`/studio/scenarios/${scenario.id}/preview?version=${v.version}`} aria-label={`Preview version ${v.version}`}>{v.version}</Link>
                      {v.id === scenario.current_version_id ? <span className="ml-1 text-xs text-slate-700">(current)</span> : null}
                    </td>
                    <td className="px-3 py-2">{formatDateTime(v.publishedAt)}</td>
                    <td className="px-3 py-2">{v.publishedBy ?? 'content/'}</td>
                    <td className="px-3 py-2">{v.changeNote ?? '—'}</td>
                    <td className="px-3 py-2">
                      {v.version > 1 ? <Link to={`/studio/scenarios/${scenario.id}/diff?from=${v.version - 1}&to=${v.version}`}>Changes from version {v.version - 1}</Link> : '—'}
                    </td>
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.scenario.title ?? 'Scenario'} · Studio · Frontline` }];
