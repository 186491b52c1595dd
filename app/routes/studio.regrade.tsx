// Regrading after an answer key was fixed: choose a scenario and two of its versions, preview (a dry
// run, a GET: nothing is written) whose grades and whose pass or fail would change, then apply it
// with a reason and a confirmation. Attempts keep pointing at the version they were sat with; see
// app/models/regrade.server.ts.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth.server';
import { ErrorList, FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { keptValues, parseForm } from '~/forms/parse';
import { applyRegrade, listRegradableScenarios, listVersionsForRegrade, previewRegrade, type CertificationChange } from '~/models/regrade.server';
import { readForm } from '~/read-form.server';

const id = z.coerce.number().int().positive();

const applySchema = z.object({
  scenarioId: z.string().min(1),
  fromVersionId: id,
  toVersionId: id,
  reason: z.string().trim().min(5, 'Say why, in a few words (kept in the audit log and sent with revocations).').max(500, 'Use at most 500 characters.'),
  confirm: z.literal('yes', 'Tick the box to confirm the regrade.'),
});

const querySchema = z.object({
  scenario: z.string().optional(),
  from: id.optional().catch(undefined),
  to: id.optional().catch(undefined),
  preview: z.string().optional(),
  regraded: z.coerce.number().int().min(0).optional().catch(undefined),
  flipped: z.coerce.number().int().min(0).optional().catch(undefined),
});

const pct = (score: number, max: number) => (max > 0 ? `${((100 * score) / max).toFixed(1)}%` : '—');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const scenarios = await listRegradableScenarios(db());
  const scenario = scenarios.find((s) => s.id === query.scenario) ?? null;
  const versions = scenario ? await listVersionsForRegrade(db(), { scenarioId: scenario.id }) : [];
  // Defaults: to the current version, from the newest older one that has graded exam attempts.
  const to = versions.find((v) => v.id === query.to) ?? versions.find((v) => v.current) ?? versions[0];
  const older = versions.filter((v) => to && v.version < to.version);
  const from = versions.find((v) => v.id === query.from) ?? older.find((v) => v.gradedAttempts > 0) ?? older[0];
  let preview = null;
  if (scenario && from && to && query.preview !== undefined) {
    const result = await previewRegrade(db(), { scenarioId: scenario.id, fromVersionId: from.id, toVersionId: to.id });
    preview = result.ok
      ? {
          ok: true as const,
          considered: result.considered,
          changes: result.changed.map((c) => ({
            attemptId: c.attemptId,
            learnerName: c.learnerName,
            examTitle: c.examTitle,
            oldLabel: `${c.regrade.old.score} / ${c.regrade.old.max} (${pct(c.regrade.old.score, c.regrade.old.max)}) ${c.regrade.old.passed ? 'pass' : 'fail'}`,
            newLabel: `${c.regrade.new.score} / ${c.regrade.new.max} (${pct(c.regrade.new.score, c.regrade.new.max)}) ${c.regrade.new.passed ? 'pass' : 'fail'}`,
            flip: c.regrade.flip,
            certification: c.certification.change,
          })),
        }
      : { ok: false as const, reason: result.reason };
  }
  const done = query.regraded === undefined ? null : `Regrade applied: ${query.regraded} ${query.regraded === 1 ? 'attempt' : 'attempts'} regraded, ${query.flipped ?? 0} with a pass or fail that changed.`;
  return { scenarios, scenarioId: scenario?.id ?? null, versions, fromId: from?.id ?? null, toId: to?.id ?? null, preview, done };
}

export async function action({ request }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const formData = await readForm(request);
  const parsed = parseForm(applySchema, formData);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values: keptValues(formData) }, { status: 400 });
  const { scenarioId, fromVersionId, toVersionId, reason } = parsed.data;
  const result = await applyRegrade(db(), { scenarioId, fromVersionId, toVersionId, reason, actorId: trainer.id });
  if (!result.ok) return Response.json({ formError: result.reason, values: keptValues(formData) }, { status: 400 });
  const search = new URLSearchParams({ scenario: scenarioId, from: String(fromVersionId), to: String(toVersionId), regraded: String(result.regraded), flipped: String(result.flipped) });
  return redirect(`/studio/regrade?${search.toString()}`);
}

type ActionData = { errors?: Partial<Record<string, string[]>>; values?: Record<string, string>; formError?: string };

const CERTIFICATION_NOTES: Record<CertificationChange, string> = {
  revoke: 'Will be revoked',
  issue: 'Will be issued',
  reinstate: 'Will be reinstated (a regrade revoked it)',
  none: 'No change',
};

const selectClass = 'max-w-full rounded border border-slate-400 px-3 py-2';

export default function Regrade() {
  const { scenarios, scenarioId, versions, fromId, toId, preview, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errors = actionData?.errors;
  const flips = preview?.ok ? preview.changes.filter((c) => c.flip) : [];
  const versionLabel = (v: (typeof versions)[number]) =>
    `Version ${v.version}${v.current ? ' (current)' : ''} — ${v.gradedAttempts} graded exam ${v.gradedAttempts === 1 ? 'attempt' : 'attempts'}${v.changeNote ? ` — ${v.changeNote}` : ''}`;
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">Regrade</h2>
      <p className="max-w-prose text-slate-700">
        After fixing an answer key (a new version of a scenario), regrade the exam attempts sat with an older version. Preview first:
        nothing changes until you apply it. Written replies keep the grade a trainer gave them.
      </p>
      <FormAlert tone="success">{done}</FormAlert>
      <Form method="get" className="flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow">
        <div className="max-w-full">
          <label htmlFor="scenario" className="block font-medium">Scenario</label>
          <select id="scenario" name="scenario" defaultValue={scenarioId ?? ''} className={selectClass}>
            <option value="">Choose a scenario with several versions</option>
            {scenarios.map((s) => <option key={s.id} value={s.id}>{s.title} ({s.versions} versions)</option>)}
          </select>
        </div>
        {versions.length > 0 ? (
          <>
            <div className="max-w-full">
              <label htmlFor="from" className="block font-medium">Attempts sat with</label>
              <select id="from" name="from" defaultValue={fromId ?? ''} className={selectClass}>
                {versions.map((v) => <option key={v.id} value={v.id}>{versionLabel(v)}</option>)}
              </select>
            </div>
            <div className="max-w-full">
              <label htmlFor="to" className="block font-medium">Regrade against</label>
              <select id="to" name="to" defaultValue={toId ?? ''} className={selectClass}>
                {versions.map((v) => <option key={v.id} value={v.id}>{versionLabel(v)}</option>)}
              </select>
            </div>
            <button type="submit" name="preview" value="1" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white">Preview</button>
          </>
        ) : (
          <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white">Choose versions</button>
        )}
      </Form>
      {scenarios.length === 0 ? <p className="rounded bg-white p-4 shadow">No scenario has more than one version yet: there is nothing to regrade.</p> : null}

      {preview && !preview.ok ? <FormAlert>{preview.reason}</FormAlert> : null}
      {preview?.ok ? (
        <section aria-labelledby="preview-heading" className="space-y-4 rounded bg-white p-4 shadow">
          <h3 id="preview-heading" className="text-xl font-semibold">Preview</h3>
          <p>
            {preview.considered} graded exam {preview.considered === 1 ? 'attempt was' : 'attempts were'} sat with this version;{' '}
            {preview.changes.length} would get a different grade and {flips.length} a different result.
          </p>
          {preview.changes.length > 0 ? (
            <>
              <ChangeTable caption="Learners whose pass or fail changes" rows={flips} empty="Nobody's pass or fail changes." />
              <ChangeTable caption="Everyone whose grade changes" rows={preview.changes} empty="" />
              <Form method="post" className="rounded border border-red-300 bg-red-50 p-3">
                <FormAlert>{actionData?.formError}</FormAlert>
                <input type="hidden" name="scenarioId" value={scenarioId ?? ''} />
                <input type="hidden" name="fromVersionId" value={fromId ?? ''} />
                <input type="hidden" name="toVersionId" value={toId ?? ''} />
                <label htmlFor="reason" className="block font-medium">Reason (kept in the audit log)</label>
                <input
                  id="reason"
                  name="reason"
                  defaultValue={actionData?.values?.reason ?? ''}
                  aria-invalid={errors?.reason ? true : undefined}
                  aria-describedby={errors?.reason ? 'reason-error' : undefined}
                  className="block w-full rounded border border-slate-400 bg-white px-3 py-2"
                />
                <ErrorList id="reason-error" errors={errors?.reason} />
                <label htmlFor="confirm" className="mt-3 flex items-center gap-2">
                  <input id="confirm" type="checkbox" name="confirm" value="yes" aria-invalid={errors?.confirm ? true : undefined} aria-describedby={errors?.confirm ? 'confirm-error' : undefined} />
                  Yes, change {preview.changes.length} {preview.changes.length === 1 ? 'grade' : 'grades'} and the certifications listed
                </label>
                <ErrorList id="confirm-error" errors={errors?.confirm} />
                <SubmitButton pendingText="Applying…" className="mt-3 rounded bg-red-800 px-4 py-2 font-semibold text-white disabled:opacity-70">
                  Apply regrade
                </SubmitButton>
              </Form>
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

type ChangeRow = { attemptId: number; learnerName: string; examTitle: string; oldLabel: string; newLabel: string; flip: string | null; certification: CertificationChange };

function ChangeTable({ caption, rows, empty }: { caption: string; rows: ChangeRow[]; empty: string }) {
  if (rows.length === 0) return empty ? <p>{empty}</p> : null;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="py-1 text-left font-semibold">{caption}</caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2">Learner</th>
            <th scope="col" className="px-3 py-2">Exam</th>
            <th scope="col" className="px-3 py-2">Before</th>
            <th scope="col" className="px-3 py-2">After</th>
            <th scope="col" className="px-3 py-2">Certification</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.attemptId} className="border-t border-slate-200">
              <td className="px-3 py-2">{r.learnerName}</td>
              <td className="px-3 py-2">{r.examTitle}</td>
              <td className="px-3 py-2">{r.oldLabel}</td>
              <td className="px-3 py-2">{r.newLabel}{r.flip ? <strong className="ml-1">{r.flip === 'pass-to-fail' ? '(now fails)' : '(now passes)'}</strong> : null}</td>
              <td className="px-3 py-2">{CERTIFICATION_NOTES[r.certification]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Regrade · Studio · Frontline' }];
