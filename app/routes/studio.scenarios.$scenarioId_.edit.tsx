import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { requireRole } from '~/auth.server';
import { ErrorList, FormAlert, SubmitButton } from '~/components/forms';
import { ScenarioEditor, type EditorActionData } from '~/components/studio/scenario-editor';
import { db } from '~/db.server';
import { changeNoteSchema, toEditorErrors } from '~/forms/studio';
import { getScenarioForEditing, handbookSectionRefs, publishDraft, saveDraft } from '~/models/studio.server';
import { readForm } from '~/read-form.server';

/** A draft larger than this is a mistake (the biggest shipped scenario is about 12 kB). */
const MAX_DRAFT_CHARS = 200_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const editing = await getScenarioForEditing(db(), { scenarioId: params.scenarioId ?? '' });
  if (!editing) throw new Response('No such scenario', { status: 404 });
  const { scenario, body } = editing;
  return {
    scenarioId: scenario.id,
    title: scenario.title,
    readOnly: scenario.origin === 'content',
    body,
    yaml: body === null ? '' : stringifyYaml(body, { lineWidth: 0 }),
    savedAt: editing.draftSavedAt,
    nextVersion: (scenario.version ?? 0) + 1,
    sectionRefs: [...(await handbookSectionRefs(db()))].sort(),
  };
}

type ActionData = EditorActionData & { yaml?: string; errors?: Record<string, string[]> };

/** The draft as sent: JSON from the structured editor, or YAML from the plain form. */
function draftFrom(formData: FormData): { ok: true; body: unknown } | { ok: false; reason: string } {
  const json = formData.get('body');
  const yaml = formData.get('yaml');
  const text = typeof json === 'string' ? json : typeof yaml === 'string' ? yaml : null;
  if (text === null) return { ok: false, reason: 'Nothing was sent to save.' };
  if (text.length > MAX_DRAFT_CHARS) return { ok: false, reason: `The draft is too long (over ${MAX_DRAFT_CHARS.toLocaleString('en')} characters).` };
  try {
    return { ok: true, body: typeof json === 'string' ? JSON.parse(json) : parseYaml(text) };
  } catch (error) {
    return { ok: false, reason: `The YAML cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : 'invalid'}` };
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const scenarioId = params.scenarioId ?? '';
  const formData = await readForm(request);
  const intent = String(formData.get('intent') ?? '');
  const yaml = typeof formData.get('yaml') === 'string' ? String(formData.get('yaml')) : undefined;
  const refuse = (status: number, data: ActionData) => Response.json({ intent, yaml, ...data } satisfies ActionData, { status });
  if (intent !== 'autosave' && intent !== 'save' && intent !== 'publish') return refuse(400, { reason: 'Unknown action.' });
  const draft = draftFrom(formData);
  if (!draft.ok) return refuse(400, { reason: draft.reason, errors: { yaml: [draft.reason] } });
  const saved = await saveDraft(db(), { scenarioId, body: draft.body, userId: trainer.id });
  if (!saved.ok) return refuse(saved.status, { reason: saved.reason });
  if (intent === 'autosave') return { intent, savedAt: saved.savedAt } satisfies ActionData;
  if (intent === 'save') return redirect(`/studio/scenarios/${scenarioId}/edit?saved=1`);

  const note = changeNoteSchema.safeParse(formData.get('changeNote'));
  if (!note.success) return refuse(400, { reason: 'The draft is saved. Say what changed to publish it.', errors: { changeNote: note.error.issues.map((i) => i.message) } });
  const result = await publishDraft(db(), { scenarioId, changeNote: note.data, publishedBy: trainer.id });
  if (!result.ok) {
    return refuse(result.status, { reason: `The draft is saved. ${result.reason}`, errors: result.errors, editorErrors: toEditorErrors(result.errors, draft.body) });
  }
  return redirect(`/studio/scenarios/${scenarioId}?published=${result.version}`);
}

// Autosaves answer the editor only: the page's data has not changed for it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get('intent') === 'autosave' ? false : defaultShouldRevalidate;

function YamlForm({ yaml, nextVersion, actionData }: { yaml: string; nextVersion: number; actionData: ActionData | undefined }) {
  const errors = Object.entries(actionData?.errors ?? {}).filter(([key]) => key !== 'changeNote' && key !== 'yaml');
  const [searchParams] = useSearchParams();
  return (
    <Form method="post" className="space-y-3 rounded bg-white p-4 shadow">
      {searchParams.has('saved') && !actionData ? <FormAlert tone="success">Draft saved.</FormAlert> : null}
      <p className="text-sm text-slate-700">
        The scenario in the YAML format of content/scenarios. With JavaScript on, this page offers a form for every field instead.
      </p>
      {errors.length > 0 ? (
        <ul aria-label="Problems by field" className="list-disc pl-5 text-sm text-red-800">
          {errors.map(([key, messages]) => <li key={key}><code>{key || 'scenario'}</code>: {messages.join('; ')}</li>)}
        </ul>
      ) : null}
      <div>
        <label htmlFor="yaml" className="mb-1 block font-medium">Scenario (YAML)</label>
        <textarea id="yaml" name="yaml" rows={30} defaultValue={actionData?.yaml ?? yaml} spellCheck={false} aria-describedby="yaml-error" className="block w-full rounded border border-slate-400 p-2 font-mono text-sm" />
        <ErrorList id="yaml-error" errors={actionData?.errors?.yaml} />
      </div>
      <SubmitButton name="intent" value="save" pendingText="Saving…" className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700">Save draft</SubmitButton>
      <div>
        <label htmlFor="changeNote" className="mb-1 block font-medium">Change note</label>
        <textarea id="changeNote" name="changeNote" rows={2} defaultValue={nextVersion === 1 ? 'First version' : ''} aria-describedby="changeNote-error" className="block w-full max-w-xl rounded border border-slate-400 px-3 py-2" />
        <ErrorList id="changeNote-error" errors={actionData?.errors?.changeNote} />
      </div>
      <SubmitButton name="intent" value="publish" pendingText="Publishing…">Save and publish version {nextVersion}</SubmitButton>
    </Form>
  );
}

export default function EditScenario() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  // The structured editor needs JavaScript; until the page is hydrated (or without it) the YAML form works.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/studio/scenarios">Scenarios</Link> / <Link to={`/studio/scenarios/${data.scenarioId}`}>{data.title}</Link> / Edit
      </nav>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 className="text-2xl font-bold">Edit: {data.title}</h2>
        {!data.readOnly ? <Link to={`/studio/scenarios/${data.scenarioId}/preview`}>Preview as a learner</Link> : null}
      </div>
      {data.readOnly ? (
        <Form method="post" action={`/studio/scenarios/${data.scenarioId}`} className="rounded bg-white p-4 shadow">
          <p className="mb-3">This scenario is shipped in content/ and is read-only in the studio. Duplicate it to edit a copy.</p>
          <SubmitButton name="intent" value="duplicate" pendingText="Duplicating…">Duplicate to edit</SubmitButton>
        </Form>
      ) : (
        <>
          {actionData?.reason && !hydrated ? <FormAlert>{actionData.reason}</FormAlert> : null}
          {hydrated ? (
            <ScenarioEditor
              scenarioId={data.scenarioId}
              body={data.body}
              sectionRefs={data.sectionRefs}
              savedAt={data.savedAt}
              nextVersion={data.nextVersion}
              actionData={actionData}
            />
          ) : (
            <YamlForm yaml={data.yaml} nextVersion={data.nextVersion} actionData={actionData} />
          )}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit: ${data?.title ?? 'Scenario'} · Studio · Frontline` }];
