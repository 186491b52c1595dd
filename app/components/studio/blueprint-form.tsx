// The exam blueprint form: sections (topic, items, difficulty range) in a field array, and how the
// exam is sat and certified. A plain form that posts (it works without JavaScript: "Check against
// the pool" and "Add a section" are buttons); with JavaScript it validates with the blueprint schema
// as the trainer types and asks the server, shortly after each change, whether the published pool
// can fill each section.
import { zodResolver } from '@hookform/resolvers/zod';
import { Form, useFetcher, useSubmit } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { get, useFieldArray, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { ErrorList, SubmitButton } from '~/components/forms';
import { examBlueprintSchema, SHOW_ANSWERS, type ExamBlueprint } from '~/content/exam-schema';
import { TOPICS, topicLabel } from '~/content/scenario-schema';

export interface SectionResult {
  /** null: the section is not complete enough to check. */
  available: number | null;
  items: number;
  enough: boolean;
}

export interface PoolCheckView {
  sections: SectionResult[];
  ok: boolean;
  problem: { section: number; message: string } | null;
  publishedScenarios: number;
}

type BlueprintInput = z.input<typeof examBlueprintSchema>;

const input = 'block w-full rounded border border-slate-400 bg-white px-3 py-2 aria-invalid:border-red-700';

export function PoolCheckTable({ check }: { check: PoolCheckView }) {
  return (
    <section aria-labelledby="pool-check" className="rounded bg-white p-4 shadow">
      <h3 id="pool-check" className="mb-2 text-xl font-semibold">Can the published pool fill it?</h3>
      <p role="status" aria-live="polite" className={check.ok ? 'text-green-900' : 'text-red-800'}>
        {check.ok
          ? `Yes: a whole exam can be drawn from the ${check.publishedScenarios} published scenarios.`
          : check.problem
            ? `No: section ${check.problem.section + 1} ${check.problem.message}.`
            : 'No: complete the sections to check them.'}
      </p>
      <div className="relative overflow-x-auto">
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">Scenarios available per section</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-3 py-2">Section</th>
              <th scope="col" className="px-3 py-2">Items needed</th>
              <th scope="col" className="px-3 py-2">Scenarios available</th>
              <th scope="col" className="px-3 py-2">Enough?</th>
            </tr>
          </thead>
          <tbody>
            {check.sections.map((s, i) => (
              <tr key={i} className="border-t border-slate-200">
                <th scope="row" className="px-3 py-2 font-medium">Section {i + 1}</th>
                <td className="px-3 py-2">{s.items}</td>
                <td className="px-3 py-2">{s.available ?? '—'}</td>
                <td className={`px-3 py-2 font-semibold ${s.enough ? 'text-green-900' : 'text-red-800'}`}>
                  {s.available === null ? 'incomplete' : s.enough ? 'yes' : `short by ${s.items - s.available}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The pool's answer for one section, beside its fields. */
function SectionPool({ result }: { result: SectionResult | undefined }) {
  if (!result) return null;
  if (result.available === null) return <p className="text-sm text-slate-700">Pool: complete the section to check it.</p>;
  return (
    <p className={`text-sm font-semibold ${result.enough ? 'text-green-900' : 'text-red-800'}`}>
      Pool: {result.available} published {result.available === 1 ? 'scenario has' : 'scenarios have'} an item for it
      {result.enough ? '.' : ` — short by ${result.items - result.available}.`}
    </p>
  );
}

export function BlueprintForm({
  examId,
  blueprint,
  serverErrors,
  check,
}: {
  examId: string;
  blueprint: BlueprintInput;
  serverErrors: Record<string, string[]> | undefined;
  check: PoolCheckView;
}) {
  const form = useForm<BlueprintInput, unknown, ExamBlueprint>({ resolver: zodResolver(examBlueprintSchema), defaultValues: blueprint, mode: 'onTouched' });
  const sections = useFieldArray({ control: form.control, name: 'sections' });
  const submit = useSubmit();
  const fetcher = useFetcher<{ check: PoolCheckView }>();
  const watched = JSON.stringify(form.watch('sections'));
  const [lastChecked, setLastChecked] = useState(watched);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  // The live pool check: the loader recomputes it for the sections as they stand.
  useEffect(() => {
    if (watched === lastChecked) return;
    const timer = setTimeout(() => {
      setLastChecked(watched);
      fetcher.load(`/studio/exams/${examId}?sections=${encodeURIComponent(watched)}`);
    }, 400);
    return () => clearTimeout(timer);
  }, [watched, lastChecked, examId, fetcher]);

  const currentCheck = fetcher.data?.check ?? check;
  const initial = (name: string): string => {
    const value: unknown = get(blueprint, name);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  const errorsFor = (name: string): string[] | undefined => {
    const own = get(form.formState.errors, name) as { message?: string; root?: { message?: string } } | undefined;
    const message = own?.message ?? own?.root?.message;
    return message ? [message] : serverErrors?.[name];
  };
  const field = (name: string, label: string, props: { type?: string; min?: number; max?: number; hint?: string } = {}) => {
    const id = `bp-${name.replace(/\./g, '-')}`;
    const errors = errorsFor(name);
    return (
      <div className="mb-3">
        <label htmlFor={id} className="mb-1 block font-medium">{label}</label>
        <input
          id={id}
          type={props.type ?? 'number'}
          min={props.min}
          max={props.max}
          aria-invalid={errors ? true : undefined}
          aria-describedby={[props.hint ? `${id}-hint` : '', errors ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
          className={input}
          // Without JavaScript react-hook-form never fills the fields: the server-rendered value must be there.
          defaultValue={initial(name)}
          {...form.register(name as never, props.type === 'text' ? {} : { valueAsNumber: true })}
        />
        {props.hint ? <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">{props.hint}</p> : null}
        <ErrorList id={`${id}-error`} errors={errors} />
      </div>
    );
  };

  return (
    <>
      <Form
        method="post"
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          // Checking or adding a section needs no valid form; saving does.
          if (submitter?.value !== 'save') return;
          const element = event.currentTarget;
          void form.handleSubmit(() => submit(submitter ?? element, { method: 'post' }))(event);
        }}
      >
        <section aria-labelledby="sections-heading" className="rounded bg-white p-4 shadow">
          <h3 id="sections-heading" className="mb-2 text-xl font-semibold">Sections</h3>
          <ErrorList errors={errorsFor('sections')} />
          <ol className="space-y-3">
            {sections.fields.map((f, i) => (
              <li key={f.id}>
                <fieldset className="rounded border border-slate-300 p-3">
                  <legend className="px-1 font-medium">Section {i + 1}</legend>
                  <div className="grid gap-x-3 sm:grid-cols-4">
                    <div className="mb-3">
                      <label htmlFor={`bp-sections-${i}-topic`} className="mb-1 block font-medium">Topic</label>
                      <select id={`bp-sections-${i}-topic`} className={input} defaultValue={initial(`sections.${i}.topic`)} {...form.register(`sections.${i}.topic`)}>
                        {TOPICS.map((t) => <option key={t} value={t}>{topicLabel(t)}</option>)}
                      </select>
                      <ErrorList errors={errorsFor(`sections.${i}.topic`)} />
                    </div>
                    {field(`sections.${i}.items`, 'Items', { min: 1, max: 40 })}
                    {field(`sections.${i}.difficulty.0`, 'Lowest difficulty', { min: 1, max: 5 })}
                    {field(`sections.${i}.difficulty.1`, 'Highest difficulty', { min: 1, max: 5 })}
                  </div>
                  <ErrorList errors={errorsFor(`sections.${i}.difficulty`)} />
                  <SectionPool result={currentCheck.sections[i]} />
                  {hydrated ? (
                    <button type="button" onClick={() => sections.remove(i)} className="rounded border border-red-700 px-2 py-1 text-sm font-semibold text-red-800">
                      Remove section {i + 1}
                    </button>
                  ) : (
                    // Without JavaScript the section goes when the form is next sent.
                    <label className="inline-flex items-center gap-2 text-sm">
                      <input type="checkbox" name={`sections.${i}.remove`} value="on" /> Remove this section
                    </label>
                  )}
                </fieldset>
              </li>
            ))}
          </ol>
          <button
            type="submit"
            name="intent"
            value="add-section"
            className="mt-2 rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700"
            onClick={(event) => {
              event.preventDefault();
              sections.append({ topic: TOPICS[0], items: 1, difficulty: [1, 5] });
            }}
          >
            Add a section
          </button>
        </section>
        <section aria-labelledby="sitting-heading" className="rounded bg-white p-4 shadow">
          <h3 id="sitting-heading" className="mb-2 text-xl font-semibold">Sitting and certification</h3>
          {field('title', 'Title', { type: 'text' })}
          <div className="grid gap-x-3 sm:grid-cols-3">
            {field('durationMinutes', 'Duration (minutes)', { min: 5, max: 240 })}
            {field('passMark', 'Pass mark (%)', { min: 1, max: 100 })}
            {field('attemptLimit', 'Attempts per cycle', { min: 1, max: 10 })}
            {field('cooldownHours', 'Cooldown after a fail (hours)', { min: 0, max: 720 })}
            {field('validityDays', 'Certification valid for (days)', { min: 1, max: 1095 })}
            {field('recertificationOpensDaysBefore', 'Recertification opens (days before expiry)', { min: 0 })}
            {field('eligibility.notBeforeDay', 'Opens on day of the track', { min: 1 })}
          </div>
          <label className="mb-3 inline-flex items-center gap-2 font-medium">
            <input type="checkbox" defaultChecked={blueprint.eligibility?.modulesComplete === true} {...form.register('eligibility.modulesComplete')} /> Every module must be complete first
          </label>
          <div className="mb-3 max-w-xs">
            <label htmlFor="bp-showAnswers" className="mb-1 block font-medium">Show answers to learners</label>
            <select id="bp-showAnswers" className={input} defaultValue={initial('showAnswers')} {...form.register('showAnswers')}>
              {SHOW_ANSWERS.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
        </section>
        <input type="hidden" defaultValue={initial('id')} {...form.register('id')} />
        <input type="hidden" defaultValue={initial('track')} {...form.register('track')} />
        <input type="hidden" defaultValue={initial('queue')} {...form.register('queue')} />
        <div className="flex flex-wrap gap-3">
          <SubmitButton name="intent" value="save" pendingText="Saving…">Save blueprint</SubmitButton>
          <SubmitButton name="intent" value="check" className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700">Check against the pool</SubmitButton>
        </div>
      </Form>
      <PoolCheckTable check={currentCheck} />
    </>
  );
}
