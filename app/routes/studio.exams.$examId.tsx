import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth.server';
import { FormAlert, SubmitButton } from '~/components/forms';
import { BlueprintForm, PoolCheckTable, type PoolCheckView } from '~/components/studio/blueprint-form';
import { examBlueprintSchema, examSectionSchema, type ExamSection } from '~/content/exam-schema';
import { topicLabel } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { blueprintFromForm } from '~/forms/studio';
import { checkPool, getStudioExam, saveStudioExam } from '~/models/studio.server';
import { readForm } from '~/read-form.server';

/** The pool check for sections as they stand: complete sections are checked, the others shown as incomplete. */
async function poolCheckView(sections: readonly unknown[]): Promise<PoolCheckView> {
  const parsed = sections.map((s) => examSectionSchema.safeParse(s));
  const valid: ExamSection[] = parsed.flatMap((p) => (p.success ? [p.data] : []));
  const check = await checkPool(db(), valid);
  let next = 0;
  const results = parsed.map((p, i) => {
    const items = Number((sections[i] as { items?: unknown } | null)?.items) || 0;
    if (!p.success) return { available: null, items, enough: false };
    const section = check.sections[next++]!;
    return { available: section.available, items: section.items, enough: section.enough };
  });
  const problem = check.problem ? { section: parsed.findIndex((p) => p.success && p.data === valid[check.problem!.section]), message: check.problem.message } : null;
  return { sections: results, ok: check.ok && valid.length === sections.length, problem, publishedScenarios: check.publishedScenarios };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const exam = await getStudioExam(db(), { examId: params.examId ?? '' });
  if (!exam) throw new Response('No such exam', { status: 404 });
  // The editor asks for the check of its unsaved sections (?sections=[…]).
  const asked = new URL(request.url).searchParams.get('sections');
  let sections: unknown[] = exam.blueprint.sections;
  if (asked) {
    const json = z.array(z.unknown()).max(20).safeParse((() => { try { return JSON.parse(asked); } catch { return null; } })());
    if (json.success) sections = json.data;
  }
  return { exam, readOnly: exam.origin === 'content', check: await poolCheckView(sections) };
}

type ActionData = { intent: string; values?: Record<string, unknown>; errors?: Record<string, string[]>; check?: PoolCheckView; saved?: boolean; reason?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const examId = params.examId ?? '';
  const formData = await readForm(request);
  const intent = String(formData.get('intent') ?? '');
  if (!['save', 'check', 'add-section'].includes(intent)) return Response.json({ intent, reason: 'Unknown action.' } satisfies ActionData, { status: 400 });
  const values = blueprintFromForm(formData);
  const sections = (values.sections as unknown[]).filter((_, i) => formData.get(`sections.${i}.remove`) !== 'on');
  if (intent === 'add-section') sections.push({ topic: 'payments', items: 1, difficulty: [1, 5] });
  const kept = { ...values, sections };
  const check = await poolCheckView(sections);
  if (intent !== 'save') return { intent, values: kept, check } satisfies ActionData;
  const parsed = examBlueprintSchema.safeParse(kept);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[issue.path.join('.')] ??= []).push(issue.message);
    return Response.json({ intent, values: kept, errors, check, reason: 'The blueprint is not saved: fix the fields marked below.' } satisfies ActionData, { status: 400 });
  }
  const result = await saveStudioExam(db(), { examId, blueprint: parsed.data, actorId: trainer.id });
  if (!result.ok) return Response.json({ intent, reason: result.reason } satisfies ActionData, { status: result.status });
  return { intent, saved: true, check } satisfies ActionData;
}

export default function StudioExam() {
  const { exam, readOnly, check } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const blueprint = actionData?.values && !actionData.saved ? { ...exam.blueprint, ...actionData.values } : exam.blueprint;
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/studio/exams">Exams</Link> / {exam.title}</nav>
      <div>
        <h2 className="text-2xl font-bold">{exam.title}</h2>
        <p className="text-slate-700">
          <span className="font-mono text-sm">{exam.id}</span> · queue {exam.queue} · {readOnly ? 'shipped in content/exams (read-only here)' : 'written in the studio'} ·{' '}
          {exam.inUse ? 'offered to learners' : 'not offered to learners'}
        </p>
      </div>
      {actionData?.saved ? <FormAlert tone="success">Blueprint saved.</FormAlert> : null}
      <FormAlert>{actionData?.reason}</FormAlert>
      {readOnly ? (
        <>
          <Form method="post" action="/studio/exams" className="rounded bg-white p-4 shadow">
            <input type="hidden" name="examId" value={exam.id} />
            <p className="mb-3">Change a copy: the copy can be edited and checked against the pool here.</p>
            <SubmitButton name="intent" value="duplicate" pendingText="Duplicating…">Duplicate to edit</SubmitButton>
          </Form>
          <section aria-labelledby="blueprint-heading" className="rounded bg-white p-4 shadow">
            <h3 id="blueprint-heading" className="mb-2 text-xl font-semibold">Blueprint</h3>
            <ol className="list-decimal pl-6">
              {exam.blueprint.sections.map((s, i) => (
                <li key={i}>{s.items} {s.items === 1 ? 'item' : 'items'} of {topicLabel(s.topic)}, difficulty {s.difficulty[0]}–{s.difficulty[1]}</li>
              ))}
            </ol>
            <p className="mt-2 text-sm text-slate-700">
              {exam.blueprint.durationMinutes} minutes · pass mark {exam.blueprint.passMark}% · {exam.blueprint.attemptLimit} attempts, {exam.blueprint.cooldownHours} h apart ·
              valid {exam.blueprint.validityDays} days · answers shown: {exam.blueprint.showAnswers}
            </p>
          </section>
          <PoolCheckTable check={check} />
        </>
      ) : (
        <BlueprintForm
          key={JSON.stringify(actionData?.values ?? null)}
          examId={exam.id}
          blueprint={blueprint as typeof exam.blueprint}
          serverErrors={actionData?.errors}
          check={actionData?.check ?? check}
        />
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.exam.title ?? 'Exam'} · Studio · Frontline` }];
