// One cohort: its learners, and enrolling more — one email at once, or a pasted list or a CSV file
// through a preview. The preview carries the raw text to the confirm step (a hidden field, so it works
// without JavaScript); confirming parses and plans it again and writes everything in one transaction.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole, type SessionUser } from '~/auth.server';
import { readFormWithin } from '~/read-form.server';
import { ErrorList, Field, FormAlert, SubmitButton } from '~/components/forms';
import { Pagination, pageFromUrl } from '~/components/pagination';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';
import { MAX_INPUT_BYTES, MAX_INPUT_ROWS, parseEmailList, parseEnrolmentCsv, type EnrolmentInput } from '~/domain/enrolment-input';
import { trackDay } from '~/domain/schedule';
import { confirmSchema, enrolOneSchema, pasteSchema } from '~/forms/enrolment';
import { keptValues, parseForm } from '~/forms/parse';
import {
  applyEnrolment,
  findCohortInScope,
  listCohortLearners,
  planEnrolment,
  type EnrolmentSource,
  type PlanStatus,
} from '~/models/enrolment.server';

const PAGE_SIZE = 50;
/** A 1 MB file sent back in a URL-encoded hidden field may triple in size. */
const MAX_BODY_BYTES = 4 * MAX_INPUT_BYTES;
const notFound = () => new Response('There is no such cohort among the cohorts you manage.', { status: 404 });

async function loadCohort(viewer: SessionUser, cohortId: string | undefined) {
  const cohort = await findCohortInScope(db(), { viewer, cohortId: Number(cohortId) });
  if (!cohort) throw notFound();
  return cohort;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const cohort = await loadCohort(viewer, params.cohortId);
  const page = pageFromUrl(request.url);
  const { learners, total } = await listCohortLearners(db(), { cohortId: cohort.id, page, pageSize: PAGE_SIZE });
  const now = new Date();
  return {
    cohort: { ...cohort, startLabel: formatDate(cohort.startDate) },
    learners: learners.map((l) => {
      const startDate = l.personalStart ?? cohort.startDate;
      return { ...l, startLabel: formatDate(startDate), day: trackDay({ startDate, timeZone: cohort.timeZone }, now) };
    }),
    total,
    page,
    created: new URL(request.url).searchParams.has('created'),
  };
}


const parsers: Record<'paste' | 'csv', (text: string) => EnrolmentInput> = { paste: parseEmailList, csv: parseEnrolmentCsv };
const rejected = (form: string, errors: Partial<Record<string, string[]>>, values: Record<string, string> = {}, status = 400) =>
  Response.json({ kind: 'error', form, errors, values }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const cohort = await loadCohort(viewer, params.cohortId);
  const formData = await readFormWithin(request, MAX_BODY_BYTES);
  if (formData === 'too-large') return rejected('csv', { file: [`This upload is too large: send at most ${MAX_INPUT_BYTES / 1_048_576} MB (${MAX_INPUT_ROWS.toLocaleString('en')} rows).`] }, {}, 413);
  const intent = formData.get('intent');
  const inviteLink = (token: string) => new URL(`/invite/${token}`, request.url).href;
  const preview = async (format: 'paste' | 'csv', text: string, notice?: string) => {
    const input = parsers[format](text);
    if (!input.ok) return rejected(format, { [format === 'csv' ? 'file' : 'emails']: [input.error] }, format === 'paste' ? { emails: text } : {});
    const plan = await planEnrolment(db(), { viewer, cohortId: cohort.id, rows: input.rows });
    if (!plan) throw notFound();
    return { kind: 'preview' as const, format, text, notice: notice ?? null, rows: plan.rows, counts: plan.counts, digest: plan.digest };
  };

  if (intent === 'preview-paste') {
    const parsed = parseForm(pasteSchema, formData);
    if (!parsed.success) return rejected('paste', parsed.errors, keptValues(formData));
    return preview('paste', parsed.data.emails);
  }
  if (intent === 'preview-csv') {
    const file = formData.get('file');
    if (!(file instanceof File) || file.size === 0) return rejected('csv', { file: ['Choose a CSV file with an email column.'] });
    if (file.size > MAX_INPUT_BYTES) return rejected('csv', { file: [`The file is larger than 1 MB: split it into files of at most ${MAX_INPUT_ROWS.toLocaleString('en')} rows.`] }, {}, 413);
    return preview('csv', await file.text());
  }
  if (intent === 'confirm') {
    const parsed = parseForm(confirmSchema, formData);
    if (!parsed.success) return rejected('confirm', { form: ['The preview was incomplete: enrol the list again.'] });
    const { format, text, digest } = parsed.data;
    const input = parsers[format](text);
    if (!input.ok) return rejected('confirm', { form: [input.error] });
    const result = await applyEnrolment(db(), { viewer, cohortId: cohort.id, rows: input.rows, digest, source: format });
    if (!result.ok && result.reason === 'not-found') throw notFound();
    if (!result.ok) {
      return preview(format, text, result.reason === 'changed' ? 'Something changed since the preview (someone was enrolled or invited meanwhile). Check the rows again and confirm.' : 'There is nothing to write: every row is already in this cohort or has an error.');
    }
    return done(format, result, inviteLink);
  }
  if (intent === 'enrol-one') {
    const values = keptValues(formData);
    const parsed = parseForm(enrolOneSchema, formData);
    if (!parsed.success) return rejected('one', parsed.errors, values);
    const { email, name, startDate, allowMove } = parsed.data;
    const rows = [{ row: 1, email: email.toLowerCase(), name, startDate, error: null }];
    const plan = await planEnrolment(db(), { viewer, cohortId: cohort.id, rows });
    if (!plan) throw notFound();
    const row = plan.rows[0];
    if (!row || row.status === 'error') return rejected('one', { email: [row?.message ?? 'Enter an email address.'] }, values);
    if (row.status === 'already') return rejected('one', { email: [`${email} is already in this cohort.`] }, values);
    if (row.status === 'move' && !allowMove) return rejected('one', { allowMove: [`${row.message} Tick the box to move them.`] }, values);
    const result = await applyEnrolment(db(), { viewer, cohortId: cohort.id, rows, digest: plan.digest, source: 'single' });
    if (!result.ok) return rejected('one', { email: ['Something changed meanwhile: try again.'] }, values);
    const outcome: Record<typeof row.status, string> = {
      enrol: `${email} is enrolled in ${cohort.name}.`,
      move: `${email} moved here${row.fromCohort ? ` from ${row.fromCohort.name}` : ''}.`,
      update: `${email}’s personal start date is now ${startDate ?? ''}.`,
      invite: `${email} has no account yet: an invitation into ${cohort.name} is ready.`,
    };
    return done('single', result, inviteLink, outcome[row.status]);
  }
  return rejected('one', { form: ['Choose how to enrol learners.'] });
}

function done(source: EnrolmentSource, result: Extract<Awaited<ReturnType<typeof applyEnrolment>>, { ok: true }>, inviteLink: (token: string) => string, message?: string) {
  return {
    kind: 'done' as const,
    source,
    at: Date.now(),
    message: message ?? null,
    counts: result.counts,
    invited: result.invited.map((i) => ({ row: i.row, email: i.email, name: i.name, link: inviteLink(i.token) })),
    skipped: result.skipped.map((r) => ({ row: r.row, email: r.email, message: r.message })),
  };
}

type ActionData =
  | { kind: 'error'; form: string; errors: Partial<Record<string, string[]>>; values: Record<string, string> }
  | Exclude<Awaited<ReturnType<typeof action>>, Response>;
type Preview = Extract<ActionData, { kind: 'preview' }>;
type Done = Extract<ActionData, { kind: 'done' }>;

const cell = 'px-3 py-2';
const section = 'rounded bg-white p-5 shadow';
const statusLabels: Record<PlanStatus, string> = {
  enrol: 'Will enrol',
  already: 'Already in this cohort',
  update: 'Will change the start date',
  move: 'Will move here',
  invite: 'No account: will invite',
  error: 'Error',
};

export default function ManageCohort() {
  const { cohort, learners, total, page, created } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const failed = actionData?.kind === 'error' ? actionData : undefined;
  const errorsOf = (form: string) => (failed?.form === form ? failed.errors : undefined);
  const formKey = actionData?.kind === 'done' ? String(actionData.at) : 'enrol';
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/manage/cohorts">Cohorts</Link></nav>
      <div>
        <h1 className="text-3xl font-bold">{cohort.name}</h1>
        <p className="text-slate-700">Day 1: {cohort.startLabel} · Time zone {cohort.timeZone} · {total} {total === 1 ? 'learner' : 'learners'}</p>
      </div>
      {created && !actionData ? <FormAlert tone="success">Cohort created. Enrol its learners below.</FormAlert> : null}
      {actionData?.kind === 'done' ? <DoneReport done={actionData} /> : null}
      {actionData?.kind === 'preview' ? <PreviewTable preview={actionData} /> : null}
      {errorsOf('confirm') ? <FormAlert>{errorsOf('confirm')?.form?.join(' ')}</FormAlert> : null}

      <section aria-labelledby="enrol-heading" className={section}>
        <h2 id="enrol-heading" className="mb-1 text-xl font-semibold">Enrol learners</h2>
        <p className="mb-4 text-sm text-slate-700">
          People without an account are invited into this cohort: you get a one-time link for each to hand over. A list or a file is shown as a preview first; nothing is written until you confirm.
        </p>
        <div className="grid gap-6 lg:grid-cols-3">
          <Form method="post" key={`one-${formKey}`} className="rounded border border-slate-300 p-3">
            <h3 className="mb-2 font-semibold">One learner</h3>
            <FormAlert>{errorsOf('one')?.form?.join(' ')}</FormAlert>
            <Field label="Email" name="email" type="email" required defaultValue={failed?.form === 'one' ? failed.values.email : undefined} errors={errorsOf('one')?.email} />
            <Field label="Name (for an invitation, optional)" name="name" maxLength={100} defaultValue={failed?.form === 'one' ? failed.values.name : undefined} errors={errorsOf('one')?.name} />
            <Field label="Personal start date (optional)" name="startDate" type="date" hint="Leave empty to follow the cohort’s day 1." defaultValue={failed?.form === 'one' ? failed.values.startDate : undefined} errors={errorsOf('one')?.startDate} />
            <div className="mb-4">
              <label className="inline-flex items-start gap-2">
                <input type="checkbox" name="allowMove" className="mt-1" defaultChecked={failed?.form === 'one' && failed.values.allowMove === 'on'} aria-describedby="allowMove-error" />
                <span>If they are in another cohort I manage, move them here</span>
              </label>
              <ErrorList id="allowMove-error" errors={errorsOf('one')?.allowMove} />
            </div>
            <SubmitButton name="intent" value="enrol-one" pendingText="Enrolling…">Enrol</SubmitButton>
          </Form>
          <Form method="post" key={`paste-${formKey}`} className="rounded border border-slate-300 p-3">
            <h3 className="mb-2 font-semibold">Paste a list</h3>
            <label htmlFor="emails" className="mb-1 block font-medium">Emails</label>
            <textarea id="emails" name="emails" rows={6} required aria-describedby="emails-hint emails-error" aria-invalid={errorsOf('paste')?.emails ? true : undefined}
              defaultValue={failed?.form === 'paste' ? failed.values.emails : actionData?.kind === 'preview' && actionData.format === 'paste' ? actionData.text : undefined}
              className="block w-full rounded border border-slate-400 bg-white px-3 py-2 font-mono text-sm" />
            <p id="emails-hint" className="mt-1 text-sm text-slate-600">One per line, or separated by commas or semicolons.</p>
            <ErrorList id="emails-error" errors={errorsOf('paste')?.emails} />
            <SubmitButton name="intent" value="preview-paste" pendingText="Checking…" className="mt-3 rounded bg-brand-700 px-4 py-2 font-semibold text-white">Preview the list</SubmitButton>
          </Form>
          <Form method="post" encType="multipart/form-data" key={`csv-${formKey}`} className="rounded border border-slate-300 p-3">
            <h3 className="mb-2 font-semibold">Upload a CSV file</h3>
            <label htmlFor="file" className="mb-1 block font-medium">CSV file</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="file-hint file-error" aria-invalid={errorsOf('csv')?.file ? true : undefined} className="block w-full text-sm" />
            <p id="file-hint" className="mt-1 text-sm text-slate-600">
              Columns <code>email</code>, <code>name</code> (optional) and <code>start_date</code> (optional personal start, YYYY-MM-DD), with or without a header row. At most 1 MB or {MAX_INPUT_ROWS.toLocaleString('en')} rows.
            </p>
            <ErrorList id="file-error" errors={errorsOf('csv')?.file} />
            <SubmitButton name="intent" value="preview-csv" pendingText="Checking…" className="mt-3 rounded bg-brand-700 px-4 py-2 font-semibold text-white">Preview the file</SubmitButton>
          </Form>
        </div>
      </section>

      <section aria-labelledby="learners-heading" className={section}>
        <h2 id="learners-heading" className="mb-3 text-xl font-semibold">Learners</h2>
        {learners.length === 0 ? <p className="text-slate-700">No one is enrolled yet.</p> : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Learners of {cohort.name}</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className={cell}>Learner</th>
                  <th scope="col" className={cell}>Day 1</th>
                  <th scope="col" className={cell}>Day of the track</th>
                  <th scope="col" className={cell}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {learners.map((l) => (
                  <tr key={l.id} className="border-t border-slate-200">
                    <td className={cell}>
                      <Link to={`/manage/learners/${l.id}`}>{l.name}</Link>{l.status === 'disabled' ? ' (disabled)' : ''}
                      <span className="block break-all text-slate-700">{l.email}</span>
                    </td>
                    <td className={cell}>{l.startLabel}{l.personalStart ? ' (personal)' : ''}</td>
                    <td className={cell}>{l.day >= 1 ? `Day ${l.day}` : `Starts in ${1 - l.day} ${l.day === 0 ? 'day' : 'days'}`}</td>
                    <td className={cell}><Link to={`/manage/learners/${l.id}/enrolment`} aria-label={`Move or change the start date of ${l.name}`}>Move or change start</Link></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pageSize={PAGE_SIZE} total={total} />
      </section>
    </div>
  );
}

/** "2 to enrol · 1 to invite": the non-zero counts, in a fixed order. */
function countsSummary(counts: Record<PlanStatus, number>, words: Record<PlanStatus, string>, separator: string): string {
  return (Object.keys(words) as PlanStatus[]).filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${words[status]}`).join(separator);
}

function PreviewTable({ preview }: { preview: Preview }) {
  const { counts, rows } = preview;
  const writes = counts.enrol + counts.move + counts.update + counts.invite;
  const summary = countsSummary(counts, { enrol: 'to enrol', move: 'to move here', update: 'start dates to change', invite: 'to invite', already: 'already here', error: 'with errors' }, ' · ');
  return (
    <section aria-labelledby="preview-heading" className={`${section} border-2 border-brand-700`}>
      <h2 id="preview-heading" className="mb-1 text-xl font-semibold">Preview: nothing is written yet</h2>
      {preview.notice ? <FormAlert>{preview.notice}</FormAlert> : null}
      <p className="mb-3">{rows.length} {rows.length === 1 ? 'row' : 'rows'}: {summary}.</p>
      <div className="mb-4 max-h-[32rem] overflow-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">What enrolling each row would do</caption>
          <thead className="sticky top-0 bg-slate-100">
            <tr>
              <th scope="col" className={cell}>Row</th>
              <th scope="col" className={cell}>Learner</th>
              <th scope="col" className={cell}>What happens</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.row} className={`border-t border-slate-200 ${r.status === 'error' ? 'bg-red-50' : ''}`}>
                <td className={cell}>{r.row}</td>
                <td className={cell}>
                  <span className="block break-all">{r.email || '(no email)'}</span>
                  {r.name ? <span className="block text-slate-700">{r.name}</span> : null}
                  {r.startDate ? <span className="block text-slate-700">Starts {r.startDate}</span> : null}
                </td>
                <td className={cell}>
                  <span className={`font-semibold ${r.status === 'error' ? 'text-red-800' : ''}`}>{statusLabels[r.status]}</span>
                  <span className="block text-slate-700">{r.message}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {writes === 0 ? (
        <p className="font-semibold">There is nothing to write. Fix the rows with errors and preview again.</p>
      ) : (
        <Form method="post">
          <input type="hidden" name="format" value={preview.format} />
          <input type="hidden" name="text" value={preview.text} />
          <input type="hidden" name="digest" value={preview.digest} />
          {counts.error ? (
            <p className="mb-3 text-red-800">
              {counts.error === 1 ? '1 row has an error and is skipped: fix it' : `${counts.error} rows have errors and are skipped: fix them`} and enrol those rows again afterwards.
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-4">
            <SubmitButton name="intent" value="confirm" pendingText="Writing…">
              Confirm: write {writes} {writes === 1 ? 'row' : 'rows'}
            </SubmitButton>
            <Link to=".">Cancel</Link>
          </div>
        </Form>
      )}
    </section>
  );
}

function DoneReport({ done }: { done: Done }) {
  const { counts, invited, skipped } = done;
  return (
    <FormAlert tone="success">
      <p className="font-semibold">
        {done.message ?? `Done: ${countsSummary(counts, { enrol: 'enrolled', move: 'moved here', update: 'start dates changed', invite: 'invited', already: 'already here', error: 'skipped' }, ', ')}.`}
      </p>
      {invited.length > 0 ? (
        <div className="mt-2">
          <p>Hand each person their invitation link. Each works once and is shown only now.</p>
          <ul className="mt-2 space-y-2">
            {invited.map((i) => (
              <li key={i.row}>
                <label htmlFor={`invite-${i.row}`} className="block font-semibold">Invitation link for {i.name} ({i.email})</label>
                <input id={`invite-${i.row}`} readOnly value={i.link} className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm" />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {skipped.length > 0 ? (
        <div className="mt-2 text-slate-900">
          <p className="font-semibold">Skipped because of errors:</p>
          <ul className="list-disc pl-5">
            {skipped.map((s) => <li key={s.row}>Row {s.row} ({s.email || 'no email'}): {s.message}</li>)}
          </ul>
        </div>
      ) : null}
    </FormAlert>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cohort.name ?? 'Cohort'} · Manage · Frontline` }];
