// The structured scenario editor (with JavaScript; the route falls back to a YAML text area without
// it). react-hook-form holds the values; field arrays edit every list. The draft is saved shortly
// after each change, whatever its state. Checks: the scenario schema per field as the trainer leaves
// it, the rules that tie fields together (conversation links, one correct answer…) at once, all of
// them before publishing, and the server checks again on publish with the same rule set.
import { useBlocker, useFetcher, useSubmit } from '@remix-run/react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { FormProvider, get, set, useFieldArray, useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { ErrorList, FormAlert } from '~/components/forms';
import { pathKey } from '~/content/scenario-checks';
import { ITEM_TYPES, scenarioSchema, type ItemType } from '~/content/scenario-schema';
import { blankItem, draftProblems, editorPath, fromEditorValues, toEditorValues, type EditorValues } from '~/forms/studio';
import { BasicsEditor, ChatEditor, HandoffEditor, OrderEditor, TimelineEditor } from './case-file-editor';
import { EditorContext, SmallButton, type EditorContextValue } from './editor-fields';
import { ItemEditor } from './item-editor';

export interface EditorActionData {
  intent?: string;
  savedAt?: string;
  reason?: string;
  /** Messages by editor field path ("" for the whole scenario). */
  editorErrors?: Record<string, string[]>;
}

const TYPE_LABELS: Record<ItemType, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  ordering: 'Put in order',
  matching: 'Matching',
  written: 'Written reply',
  branching: 'Conversation (branching)',
};

/** The scenario schema as a react-hook-form resolver, its errors placed on the editor's fields. */
const schemaResolver: Resolver<EditorValues> = async (values) => {
  const body = fromEditorValues(values);
  const parsed = scenarioSchema.safeParse(body);
  if (parsed.success) return { values, errors: {} };
  const errors: FieldErrors<EditorValues> = {};
  for (const issue of parsed.error.issues) {
    const key = editorPath(pathKey(issue.path), body);
    // A list's own error sits on its "root", beside its entries' errors.
    const target = Array.isArray(get(values, key)) ? `${key}.root` : key || 'root';
    if (!get(errors, target)) set(errors, target, { type: issue.code, message: issue.message });
  }
  return { values: {}, errors };
};

function useDraftAutosave(json: string, initial: { json: string; at: string | null }) {
  const fetcher = useFetcher<EditorActionData>();
  const [saved, setSaved] = useState(initial);
  const inFlight = useRef<string | null>(null);
  // A save the server refused is not retried until the draft changes again.
  const refused = useRef<string | null>(null);
  useEffect(() => {
    if (json === saved.json || json === refused.current || fetcher.state !== 'idle') return;
    const timer = setTimeout(() => {
      inFlight.current = json;
      fetcher.submit({ intent: 'autosave', body: json }, { method: 'post' });
    }, 800);
    return () => clearTimeout(timer);
  }, [json, saved.json, fetcher]);
  useEffect(() => {
    if (fetcher.state !== 'idle' || inFlight.current === null) return;
    if (fetcher.data?.savedAt) setSaved({ json: inFlight.current, at: fetcher.data.savedAt });
    else refused.current = inFlight.current;
    inFlight.current = null;
  }, [fetcher.state, fetcher.data]);
  const status = fetcher.state !== 'idle' ? 'Saving…' : fetcher.data?.reason ? `Not saved: ${fetcher.data.reason}` : json !== saved.json ? 'Unsaved changes' : saved.at ? `Draft saved at ${new Date(saved.at).toLocaleTimeString()}` : '';
  return { unsaved: json !== saved.json, status, error: Boolean(fetcher.data?.reason) };
}

export function ScenarioEditor({
  scenarioId,
  body,
  sectionRefs,
  savedAt,
  nextVersion,
  actionData,
}: {
  scenarioId: string;
  body: unknown;
  sectionRefs: readonly string[];
  savedAt: string | null;
  nextVersion: number;
  actionData: EditorActionData | undefined;
}) {
  const refs = useMemo(() => new Set(sectionRefs), [sectionRefs]);
  const [defaults] = useState(() => toEditorValues({ ...(typeof body === 'object' ? body : {}), id: scenarioId }));
  const form = useForm<EditorValues>({ defaultValues: defaults, resolver: schemaResolver, mode: 'onTouched' });
  const items = useFieldArray({ control: form.control, name: 'items' });
  const values = form.watch();
  const json = JSON.stringify(fromEditorValues(values));
  const [initialJson] = useState(() => JSON.stringify(fromEditorValues(defaults)));
  const live = useMemo(() => draftProblems(JSON.parse(json), refs), [json, refs]);
  const autosave = useDraftAutosave(json, { json: initialJson, at: savedAt });

  // Leaving with changes not yet saved asks first (links in the app; closing or reloading the tab).
  const leaving = useRef(false);
  const unsaved = useRef(false);
  unsaved.current = autosave.unsaved;
  const blocker = useBlocker(({ currentLocation, nextLocation }) => autosave.unsaved && !leaving.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (!unsaved.current || leaving.current) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  // The server's verdict on a publish: its messages go on the fields.
  useEffect(() => {
    leaving.current = false;
    for (const [path, messages] of Object.entries(actionData?.editorErrors ?? {})) {
      if (path) form.setError(path as never, { type: 'server', message: messages.join(' ') });
    }
  }, [actionData, form]);

  const errorsFor: EditorContextValue['errorsFor'] = (path) => {
    const own = get(form.formState.errors, path) as { message?: string; root?: { message?: string } } | undefined;
    const messages = [own?.message ?? own?.root?.message, ...(live[path] ?? [])].filter((m): m is string => Boolean(m));
    return messages.length > 0 ? [...new Set(messages)] : undefined;
  };

  const [changeNote, setChangeNote] = useState(nextVersion === 1 ? 'First version' : '');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [newType, setNewType] = useState<ItemType>('branching');
  const submit = useSubmit();
  const noteId = useId();
  const livePaths = Object.keys(live);

  const publish = async () => {
    const shapeOk = await form.trigger();
    if (!shapeOk || livePaths.length > 0) {
      setRefusal('Not published: fix the problems marked below first.');
      // After React has marked the fields.
      setTimeout(() => document.querySelector<HTMLElement>('form[aria-label="Scenario editor"] [aria-invalid="true"]')?.focus(), 0);
      return;
    }
    if (changeNote.trim().length < 3) {
      setRefusal('Say what changed in this version before publishing.');
      document.getElementById(noteId)?.focus();
      return;
    }
    setRefusal(null);
    leaving.current = true;
    submit({ intent: 'publish', body: json, changeNote }, { method: 'post' });
  };

  const rootErrors = actionData?.editorErrors?.[''];
  return (
    <EditorContext.Provider value={{ register: form.register, errorsFor }}>
      <FormProvider {...form}>
        <form noValidate onSubmit={(e) => e.preventDefault()} aria-label="Scenario editor" className="space-y-5">
          <div className="sticky top-0 z-10 flex flex-wrap items-center gap-3 rounded bg-white/95 p-3 shadow">
            <span className="font-mono text-sm">{scenarioId}</span>
            <span role="status" aria-live="polite" className={`text-sm ${autosave.error ? 'text-red-800' : 'text-slate-700'}`}>{autosave.status}</span>
            {livePaths.length > 0 ? <span className="text-sm text-red-800">{livePaths.length} {livePaths.length === 1 ? 'problem' : 'problems'} in the conversation or choices</span> : null}
          </div>
          {actionData?.reason ? <FormAlert>{actionData.reason}{rootErrors ? <ErrorList errors={rootErrors} /> : null}</FormAlert> : null}
          <BasicsEditor />
          <HandoffEditor />
          <OrderEditor />
          <TimelineEditor />
          <ChatEditor />
          <section aria-labelledby="items-heading" className="space-y-4">
            <h3 id="items-heading" className="text-xl font-semibold">Questions</h3>
            {errorsFor('items') ? <ErrorList errors={errorsFor('items')} /> : null}
            {items.fields.map((field, index) => (
              <ItemEditor key={field.id} index={index} count={items.fields.length} onRemove={() => items.remove(index)} onMove={(to) => items.move(index, to)} />
            ))}
            <div className="flex flex-wrap items-end gap-2 rounded bg-white p-3 shadow">
              <div>
                <label htmlFor="new-item-type" className="mb-1 block font-medium">New question type</label>
                <select id="new-item-type" value={newType} onChange={(e) => setNewType(e.target.value as ItemType)} className="rounded border border-slate-400 bg-white px-3 py-2">
                  {ITEM_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABELS[t]}</option>)}
                </select>
              </div>
              <SmallButton onClick={() => items.append(blankItem(newType, form.getValues('items').map((i) => i.id)))}>Add question</SmallButton>
            </div>
          </section>
          <section aria-labelledby="publish-heading" className="rounded bg-white p-4 shadow">
            <h3 id="publish-heading" className="mb-2 text-xl font-semibold">Publish version {nextVersion}</h3>
            {refusal ? <FormAlert>{refusal}</FormAlert> : null}
            <label htmlFor={noteId} className="mb-1 block font-medium">Change note</label>
            <textarea id={noteId} rows={2} value={changeNote} onChange={(e) => setChangeNote(e.target.value)} className="mb-3 block w-full max-w-xl rounded border border-slate-400 px-3 py-2" />
            <button type="button" onClick={() => void publish()} className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
              Publish
            </button>
          </section>
        </form>
      </FormProvider>
      {blocker.state === 'blocked' ? (
        <div role="alertdialog" aria-modal="true" aria-labelledby="leave-title" className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/50 p-4">
          <div className="max-w-md rounded bg-white p-5 shadow-lg">
            <h3 id="leave-title" className="mb-2 text-lg font-semibold">Leave the editor?</h3>
            <p className="mb-4">Your latest changes are not saved yet.</p>
            <div className="flex gap-3">
              <button type="button" ref={(button) => button?.focus()} onClick={() => blocker.reset()} className="rounded bg-brand-700 px-4 py-2 font-semibold text-white">Stay and keep editing</button>
              <button type="button" onClick={() => blocker.proceed()} className="rounded border border-red-700 px-4 py-2 text-red-800">Leave without saving</button>
            </div>
          </div>
        </div>
      ) : null}
    </EditorContext.Provider>
  );
}
