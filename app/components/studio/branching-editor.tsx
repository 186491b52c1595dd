// A conversation: steps, each with the choices an agent can make, and for each choice the step it
// leads to, picked from this item's steps (or none: the conversation ends). Links to a step that no
// longer exists, loops and steps nothing leads to are shown on the field at fault as they happen.
import { useController, useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { nextId, type EditorValues } from '~/forms/studio';
import { useId } from 'react';
import { ErrorList } from '~/components/forms';
import { CheckboxField, ListErrors, NumberField, SmallButton, TextField, useEditor } from './editor-fields';

/** A select of this item's steps; a link to a step that is gone stays visible (and marked) until changed. */
function StepSelect({ name, label, stepIds, allowEnd }: { name: `items.${number}.start` | `items.${number}.steps.${number}.options.${number}.next`; label: string; stepIds: string[]; allowEnd: boolean }) {
  const { control } = useFormContext<EditorValues>();
  const { errorsFor } = useEditor();
  // Controlled: when the step it names is removed, the select must keep showing that link, not fall back to the first choice.
  const { field } = useController({ control, name });
  const id = useId();
  const errors = errorsFor(name);
  const missing = field.value !== '' && !stepIds.includes(field.value);
  return (
    <div className="mb-3">
      <label htmlFor={id} className="mb-1 block font-medium">{label}</label>
      <select
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className="block w-full rounded border border-slate-400 bg-white px-3 py-2 aria-invalid:border-red-700"
        name={field.name}
        ref={field.ref}
        value={field.value}
        onChange={field.onChange}
        onBlur={field.onBlur}
      >
        {allowEnd || field.value === '' ? <option value="">{allowEnd ? 'Ends the conversation' : 'Choose a step'}</option> : null}
        {stepIds.map((step) => (
          <option key={step} value={step}>Step {step}</option>
        ))}
        {missing ? <option value={field.value}>Step {field.value} (no longer exists)</option> : null}
      </select>
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

function StepChoices({ item, step, stepIds }: { item: number; step: number; stepIds: string[] }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove } = useFieldArray({ control, name: `items.${item}.steps.${step}.options` });
  const ids = useWatch({ control, name: `items.${item}.steps.${step}.options` }).map((o) => o.id);
  return (
    <div>
      <ListErrors path={`items.${item}.steps.${step}.options`} />
      <ol className="space-y-3">
        {fields.map((field, o) => (
          <li key={field.id}>
            <fieldset className="rounded border border-slate-300 bg-white p-3">
              <legend className="px-1 font-medium">Choice {ids[o] || o + 1}</legend>
              <div className="grid gap-x-3 sm:grid-cols-[7rem_1fr]">
                <TextField name={`items.${item}.steps.${step}.options.${o}.id`} label="Id" />
                <TextField name={`items.${item}.steps.${step}.options.${o}.text`} label="The agent says or does" />
              </div>
              <div className="grid gap-x-3 sm:grid-cols-[7rem_1fr]">
                <NumberField name={`items.${item}.steps.${step}.options.${o}.points`} label="Points" min={0} max={10} />
                <StepSelect name={`items.${item}.steps.${step}.options.${o}.next`} label="Then" stepIds={stepIds} allowEnd />
              </div>
              <TextField name={`items.${item}.steps.${step}.options.${o}.feedback`} label="Feedback" rows={2} />
              <div className="flex flex-wrap items-center gap-4">
                <CheckboxField name={`items.${item}.steps.${step}.options.${o}.unsafe`} label="Unsafe (a critical error)" className="" />
                <SmallButton tone="danger" onClick={() => remove(o)} label={`Remove choice ${ids[o] || o + 1}`}>Remove choice</SmallButton>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="mt-2">
        <SmallButton onClick={() => append({ id: nextId(ids, 'letter'), text: '', points: 0, unsafe: false, feedback: '', next: '' })}>Add choice</SmallButton>
      </div>
    </div>
  );
}

export function BranchingEditor({ item }: { item: number }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove } = useFieldArray({ control, name: `items.${item}.steps` });
  const stepIds = useWatch({ control, name: `items.${item}.steps` }).map((s) => s.id);
  const presentIds = stepIds.filter(Boolean);
  return (
    <div>
      <h5 className="mb-1 font-semibold">Conversation</h5>
      <StepSelect name={`items.${item}.start`} label="Starts at" stepIds={presentIds} allowEnd={false} />
      <ListErrors path={`items.${item}.steps`} />
      <ol className="space-y-4">
        {fields.map((field, s) => (
          <li key={field.id}>
            <fieldset className="rounded border border-brand-600 bg-slate-50 p-3">
              <legend className="px-1 font-semibold">Step {stepIds[s] || s + 1}</legend>
              <div className="grid gap-x-3 sm:grid-cols-[7rem_1fr]">
                <TextField name={`items.${item}.steps.${s}.id`} label="Step id" />
                <TextField name={`items.${item}.steps.${s}.prompt`} label="The customer says" rows={2} />
              </div>
              <StepChoices item={item} step={s} stepIds={presentIds} />
              <div className="mt-3">
                <SmallButton tone="danger" onClick={() => remove(s)} label={`Remove step ${stepIds[s] || s + 1}`}>Remove step</SmallButton>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="mt-2">
        <SmallButton
          onClick={() => {
            const id = nextId(stepIds, 'step');
            append({ id, prompt: '', options: [{ id: 'a', text: '', points: 0, unsafe: false, feedback: '', next: '' }, { id: 'b', text: '', points: 0, unsafe: false, feedback: '', next: '' }] });
          }}
        >
          Add step
        </SmallButton>
      </div>
    </div>
  );
}
