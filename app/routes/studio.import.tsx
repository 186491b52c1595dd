// Import a question bank from another LMS (GIFT or Moodle XML): upload, a preview of what becomes a
// draft and what is skipped (with the line or name and the reason), then a confirm step. The preview
// carries the file's text to the confirm step in a hidden field, so it all works without JavaScript;
// confirming parses it again and writes every draft in one transaction.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth.server';
import { readFormWithin } from '~/read-form.server';
import { ErrorList, FormAlert, SelectField, SubmitButton } from '~/components/forms';
import { TOPICS, topicLabel } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { detectFormat, parseQuestionBank } from '~/domain/import/parse';
import { DEFAULT_IMPORT_TOPIC, questionToDraft } from '~/domain/import/to-scenario';
import { countByType, FORMAT_LABELS, ImportFileError, IMPORT_FORMATS, type ImportedItemType, type ImportFormat } from '~/domain/import/types';
import { importQuestions } from '~/models/import.server';

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** The confirm step sends the text back URL-encoded, which may triple it. */
const MAX_BODY_BYTES = 4 * MAX_IMPORT_BYTES;
const TYPE_LABELS: Record<ImportedItemType, string> = { single: 'single choice', multiple: 'multiple choice', matching: 'matching', written: 'written reply', ordering: 'ordering' };

const previewSchema = z.object({ format: z.enum(['auto', ...IMPORT_FORMATS]).default('auto'), topic: z.enum(TOPICS).default(DEFAULT_IMPORT_TOPIC) });
const confirmSchema = z.object({ format: z.enum(IMPORT_FORMATS), topic: z.enum(TOPICS), fileName: z.string().min(1).max(255), text: z.string().min(1) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  return { topics: TOPICS.map((t) => ({ id: t, label: topicLabel(t) })), defaultTopic: DEFAULT_IMPORT_TOPIC };
}


const fail = (errors: Record<string, string[]>, values: Record<string, string> = {}, status = 400) => Response.json({ kind: 'error', errors, values }, { status });
const tooLarge = () => `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split the question bank into smaller files.`;

function preview(format: ImportFormat, text: string, fileName: string, topic: (typeof TOPICS)[number]) {
  const result = parseQuestionBank(format, text);
  const questions = result.questions.map((q, index) => ({
    where: q.line !== undefined ? `line ${q.line}` : `#${index + 1}`,
    name: q.name,
    type: TYPE_LABELS[q.type],
    topic: topicLabel(q.topic ?? topic),
    fromCategory: q.topic !== null,
    notes: questionToDraft(q, { format, fileName, id: 'preview', defaultTopic: topic }).notes,
  }));
  return { kind: 'preview' as const, format, fileName, topic, text, byType: countByType(result.questions), questions, skipped: result.skipped };
}

export async function action({ request }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const formData = await readFormWithin(request, MAX_BODY_BYTES);
  if (formData === 'too-large') return fail({ file: [tooLarge()] }, {}, 413);
  const intent = formData.get('intent');
  if (intent === 'preview') {
    const values = { format: String(formData.get('format') ?? 'auto'), topic: String(formData.get('topic') ?? '') };
    const parsed = previewSchema.safeParse(values);
    if (!parsed.success) return fail({ form: ['Choose a format and a topic from the lists.'] }, values);
    const file = formData.get('file');
    if (!(file instanceof File) || file.size === 0) return fail({ file: ['Choose a GIFT or Moodle XML file to import.'] }, values);
    if (file.size > MAX_IMPORT_BYTES) return fail({ file: [tooLarge()] }, values, 413);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return fail({ file: ['The file is not UTF-8 text: save it as UTF-8 and upload it again.'] }, values);
    }
    const fileName = file.name.slice(0, 255) || 'upload';
    const format = parsed.data.format === 'auto' ? detectFormat(fileName, text) : parsed.data.format;
    try {
      return preview(format, text, fileName, parsed.data.topic);
    } catch (error) {
      if (error instanceof ImportFileError) return fail({ file: [`${FORMAT_LABELS[format]}: ${error.message}`] }, values);
      throw error;
    }
  }
  if (intent === 'confirm') {
    const parsed = confirmSchema.safeParse(Object.fromEntries(['format', 'topic', 'fileName', 'text'].map((k) => [k, formData.get(k) ?? undefined])));
    if (!parsed.success) return fail({ form: ['The preview was incomplete: upload the file again.'] });
    const { format, topic, fileName, text } = parsed.data;
    let result;
    try {
      result = parseQuestionBank(format, text);
    } catch (error) {
      if (error instanceof ImportFileError) return fail({ form: [error.message] });
      throw error;
    }
    if (result.questions.length === 0) return fail({ form: ['There is nothing to import in this file.'] });
    const summary = await importQuestions(db(), { result, createdBy: trainer.id, format, fileName, defaultTopic: topic });
    return { kind: 'done' as const, fileName, imported: summary.imported, byType: summary.byType, skipped: result.skipped.length, scenarioIds: summary.scenarioIds.slice(0, 50) };
  }
  return fail({ form: ['Unknown action: upload the file again.'] });
}

type ActionData =
  | ReturnType<typeof preview>
  | { kind: 'done'; fileName: string; imported: number; byType: Partial<Record<ImportedItemType, number>>; skipped: number; scenarioIds: string[] }
  | { kind: 'error'; errors: Partial<Record<string, string[]>>; values: Record<string, string> };

const describeCounts = (byType: Partial<Record<ImportedItemType, number>>) =>
  Object.entries(byType).map(([type, n]) => `${n} ${TYPE_LABELS[type as ImportedItemType]}`).join(', ');
const cell = 'px-3 py-2 align-top';

function Preview({ data }: { data: ReturnType<typeof preview> }) {
  const count = data.questions.length;
  return (
    <section aria-labelledby="preview-heading" className="rounded bg-white p-5 shadow">
      <h3 id="preview-heading" className="mb-1 text-xl font-semibold">Preview of {data.fileName}</h3>
      <p className="mb-3 text-slate-700">
        {FORMAT_LABELS[data.format]} file. <strong>{count} {count === 1 ? 'question' : 'questions'}</strong> can be imported as draft scenarios
        {count > 0 ? ` (${describeCounts(data.byType)})` : ''}; {data.skipped.length} skipped. Nothing is written until you confirm.
      </p>
      {count > 0 ? (
        <div className="relative mb-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Questions to import</caption>
            <thead className="bg-slate-100">
              <tr><th scope="col" className={cell}>Where</th><th scope="col" className={cell}>Question</th><th scope="col" className={cell}>Becomes</th><th scope="col" className={cell}>Topic</th><th scope="col" className={cell}>Notes</th></tr>
            </thead>
            <tbody>
              {data.questions.map((q, i) => (
                <tr key={`${q.where}-${i}`} className="border-t border-slate-200">
                  <td className={cell}>{q.where}</td>
                  <td className={cell}>{q.name}</td>
                  <td className={cell}>{q.type}</td>
                  <td className={cell}>{q.topic}{q.fromCategory ? '' : <span className="block text-slate-600">(no matching category)</span>}</td>
                  <td className={cell}>{q.notes.length ? <ul className="list-disc pl-4">{q.notes.map((n) => <li key={n}>{n}</li>)}</ul> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data.skipped.length > 0 ? (
        <>
          <h4 className="mb-1 font-semibold">Skipped ({data.skipped.length})</h4>
          <ul className="mb-4 list-disc pl-6 text-sm">
            {data.skipped.map((s, i) => <li key={i}>{s.line !== undefined ? `Line ${s.line}` : `“${s.name ?? ''}”`}: {s.reason}</li>)}
          </ul>
        </>
      ) : null}
      {count > 0 ? (
        <Form method="post">
          {(['format', 'topic', 'fileName', 'text'] as const).map((name) => <input key={name} type="hidden" name={name} value={data[name]} readOnly />)}
          <p className="mb-3 text-sm text-slate-700">Each question becomes its own draft scenario. Before publishing one, write its case file (hand-off note, customer, order, timeline, chat) and cite the handbook sections.</p>
          <SubmitButton name="intent" value="confirm" pendingText="Importing…">Import {count} {count === 1 ? 'question' : 'questions'} as drafts</SubmitButton>
        </Form>
      ) : <p className="text-slate-700">There is nothing to import in this file.</p>}
    </section>
  );
}

export default function StudioImport() {
  const { topics, defaultTopic } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const failed = actionData?.kind === 'error' ? actionData : null;
  const fileErrors = failed?.errors.file;
  return (
    <div className="space-y-6">
      <h2 className="text-2xl font-bold">Import questions</h2>
      <p className="max-w-prose text-slate-700">
        Bring a question bank from another LMS: multiple choice (with weights), true/false, matching, short answer and essay questions become draft scenarios. Numerical and other questions without a Frontline item are listed as skipped with the reason.
      </p>
      {actionData?.kind === 'done' ? (
        <FormAlert tone="success">
          Imported {actionData.imported} {actionData.imported === 1 ? 'question' : 'questions'} from {actionData.fileName} as draft scenarios ({describeCounts(actionData.byType)}){actionData.skipped ? `; ${actionData.skipped} skipped` : ''}.{' '}
          <Link to="/studio/scenarios?status=draft">See the drafts</Link>
        </FormAlert>
      ) : null}
      <FormAlert>{failed?.errors.form?.join(' ')}</FormAlert>
      {actionData?.kind === 'preview' ? <Preview data={actionData} /> : null}
      <section aria-labelledby="upload-heading" className="rounded bg-white p-5 shadow">
        <h3 id="upload-heading" className="mb-3 text-xl font-semibold">Upload a file</h3>
        <Form method="post" encType="multipart/form-data" key={actionData?.kind === 'done' ? 'again' : 'upload'}>
          <div className="mb-4">
            <label htmlFor="file" className="mb-1 block font-medium">Question bank file</label>
            <input id="file" name="file" type="file" accept=".gift,.txt,.xml,text/plain,application/xml,text/xml" required aria-describedby="file-hint file-error" aria-invalid={fileErrors ? true : undefined} className="block w-full text-sm" />
            <p id="file-hint" className="mt-1 text-sm text-slate-600">GIFT (.gift or .txt) or Moodle XML (.xml), UTF-8, up to {MAX_IMPORT_BYTES / 1024 / 1024} MB.</p>
            <ErrorList id="file-error" errors={fileErrors} />
          </div>
          <div className="grid gap-x-4 md:grid-cols-2">
            <SelectField label="Format" name="format" defaultValue={failed?.values.format ?? 'auto'}>
              <option value="auto">Detect from the file</option>
              {IMPORT_FORMATS.map((f) => <option key={f} value={f}>{FORMAT_LABELS[f]}</option>)}
            </SelectField>
            <SelectField label="Topic for questions whose category names none" name="topic" defaultValue={failed?.values.topic ?? defaultTopic}>
              {topics.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
            </SelectField>
          </div>
          <SubmitButton name="intent" value="preview" pendingText="Reading…">Preview the import</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Import questions · Studio · Frontline' }];
