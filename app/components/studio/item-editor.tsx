// One question of a scenario in the editor: the fields every item has, then its type's own lists
// (choices, steps in order, evidence pairs, a rubric, or a conversation).
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { TOPICS, topicLabel } from '~/content/scenario-schema';
import { nextId, type EditorValues } from '~/forms/studio';
import { BranchingEditor } from './branching-editor';
import { CheckboxField, ListErrors, NumberField, SelectInput, SmallButton, TextField } from './editor-fields';

const TOPIC_CHOICES = [{ value: '', label: "The scenario's topic" }, ...TOPICS.map((t) => ({ value: t, label: topicLabel(t) }))];
const DIFFICULTY_CHOICES = [{ value: '', label: "The scenario's difficulty" }, ...[1, 2, 3, 4, 5].map((d) => ({ value: String(d), label: String(d) }))];

function ChoiceOptions({ item }: { item: number }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove } = useFieldArray({ control, name: `items.${item}.options` });
  const ids = useWatch({ control, name: `items.${item}.options` }).map((o) => o.id);
  return (
    <div>
      <h5 className="mb-1 font-semibold">Options</h5>
      <ListErrors path={`items.${item}.options`} />
      <ol className="space-y-3">
        {fields.map((field, o) => (
          <li key={field.id}>
            <fieldset className="rounded border border-slate-300 p-3">
              <legend className="px-1 font-medium">Option {ids[o] || o + 1}</legend>
              <div className="grid gap-x-3 sm:grid-cols-[8rem_1fr]">
                <TextField name={`items.${item}.options.${o}.id`} label="Id" />
                <TextField name={`items.${item}.options.${o}.text`} label="Text" />
              </div>
              <TextField name={`items.${item}.options.${o}.feedback`} label="Feedback" rows={2} />
              <div className="flex flex-wrap items-center gap-4">
                <CheckboxField name={`items.${item}.options.${o}.correct`} label="Correct" className="" />
                <CheckboxField name={`items.${item}.options.${o}.unsafe`} label="Unsafe (a critical error)" className="" />
                <SmallButton tone="danger" onClick={() => remove(o)} label={`Remove option ${ids[o] || o + 1}`}>Remove</SmallButton>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="mt-2">
        <SmallButton onClick={() => append({ id: nextId(ids, 'letter'), text: '', correct: false, unsafe: false, feedback: '' })}>Add option</SmallButton>
      </div>
    </div>
  );
}

function OrderingSteps({ item }: { item: number }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name: `items.${item}.orderSteps` });
  const ids = useWatch({ control, name: `items.${item}.orderSteps` }).map((s) => s.id);
  return (
    <div>
      <h5 className="mb-1 font-semibold">Steps, in the right order</h5>
      <p className="mb-2 text-sm text-slate-700">Learners see them shuffled.</p>
      <ListErrors path={`items.${item}.orderSteps`} />
      <ol className="space-y-2">
        {fields.map((field, s) => (
          <li key={field.id} className="grid items-start gap-x-3 rounded border border-slate-300 p-2 sm:grid-cols-[8rem_1fr_auto]">
            <TextField name={`items.${item}.orderSteps.${s}.id`} label={`Step ${s + 1} id`} />
            <TextField name={`items.${item}.orderSteps.${s}.text`} label={`Step ${s + 1} text`} />
            <div className="flex gap-1 sm:mt-7">
              <SmallButton onClick={() => move(s, s - 1)} disabled={s === 0} label={`Move step ${s + 1} up`}>↑</SmallButton>
              <SmallButton onClick={() => move(s, s + 1)} disabled={s === fields.length - 1} label={`Move step ${s + 1} down`}>↓</SmallButton>
              <SmallButton tone="danger" onClick={() => remove(s)} label={`Remove step ${s + 1}`}>✕</SmallButton>
            </div>
          </li>
        ))}
      </ol>
      <div className="mt-2">
        <SmallButton onClick={() => append({ id: nextId(ids, 'step'), text: '' })}>Add step</SmallButton>
      </div>
    </div>
  );
}

function MatchingPairs({ item }: { item: number }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove } = useFieldArray({ control, name: `items.${item}.pairs` });
  const ids = useWatch({ control, name: `items.${item}.pairs` }).map((p) => p.id);
  return (
    <div>
      <h5 className="mb-1 font-semibold">Evidence and what it shows</h5>
      <ListErrors path={`items.${item}.pairs`} />
      <ol className="space-y-3">
        {fields.map((field, p) => (
          <li key={field.id}>
            <fieldset className="rounded border border-slate-300 p-3">
              <legend className="px-1 font-medium">Pair {ids[p] || p + 1}</legend>
              <TextField name={`items.${item}.pairs.${p}.id`} label="Id" className="mb-3 max-w-xs" />
              <TextField name={`items.${item}.pairs.${p}.evidence`} label="Evidence" />
              <TextField name={`items.${item}.pairs.${p}.conclusion`} label="Conclusion it supports" />
              <SmallButton tone="danger" onClick={() => remove(p)} label={`Remove pair ${ids[p] || p + 1}`}>Remove</SmallButton>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="mt-2">
        <SmallButton onClick={() => append({ id: nextId(ids, 'pair'), evidence: '', conclusion: '' })}>Add pair</SmallButton>
      </div>
      <TextField name={`items.${item}.distractors`} label="Distractors" rows={3} hint="Conclusions that match no evidence, one per line (at most 4)." className="mt-3" />
    </div>
  );
}

function RubricLevels({ item, criterion }: { item: number; criterion: number }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove } = useFieldArray({ control, name: `items.${item}.rubric.${criterion}.levels` });
  return (
    <div className="pl-3">
      <ListErrors path={`items.${item}.rubric.${criterion}.levels`} />
      {fields.map((field, l) => (
        <div key={field.id} className="grid items-start gap-x-3 sm:grid-cols-[7rem_1fr_auto]">
          <NumberField name={`items.${item}.rubric.${criterion}.levels.${l}.points`} label={`Level ${l + 1} points`} min={0} />
          <TextField name={`items.${item}.rubric.${criterion}.levels.${l}.description`} label={`Level ${l + 1} description`} />
          <div className="sm:mt-7"><SmallButton tone="danger" onClick={() => remove(l)} label={`Remove level ${l + 1}`}>✕</SmallButton></div>
        </div>
      ))}
      <SmallButton onClick={() => append({ points: fields.length, description: '' })}>Add level</SmallButton>
    </div>
  );
}

function Rubric({ item }: { item: number }) {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove } = useFieldArray({ control, name: `items.${item}.rubric` });
  return (
    <div>
      <TextField name={`items.${item}.modelReply`} label="Model reply" rows={4} />
      <h5 className="mb-1 font-semibold">Rubric</h5>
      <ListErrors path={`items.${item}.rubric`} />
      {fields.map((field, c) => (
        <fieldset key={field.id} className="mb-3 rounded border border-slate-300 p-3">
          <legend className="px-1 font-medium">Criterion {c + 1}</legend>
          <TextField name={`items.${item}.rubric.${c}.criterion`} label="Criterion" />
          <RubricLevels item={item} criterion={c} />
          <div className="mt-2"><SmallButton tone="danger" onClick={() => remove(c)} label={`Remove criterion ${c + 1}`}>Remove criterion</SmallButton></div>
        </fieldset>
      ))}
      <SmallButton onClick={() => append({ criterion: '', levels: [{ points: 0, description: '' }, { points: 2, description: '' }] })}>Add criterion</SmallButton>
    </div>
  );
}

export function ItemEditor({ index, count, onRemove, onMove }: { index: number; count: number; onRemove: () => void; onMove: (to: number) => void }) {
  const { control } = useFormContext<EditorValues>();
  const type = useWatch({ control, name: `items.${index}.type` });
  const id = useWatch({ control, name: `items.${index}.id` });
  const name = `Item ${index + 1}${id ? ` (${id})` : ''}`;
  return (
    <fieldset className="rounded border border-slate-400 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">{name}: {type}</legend>
      <div className="mb-2 flex flex-wrap gap-2">
        <SmallButton onClick={() => onMove(index - 1)} disabled={index === 0} label={`Move ${name} up`}>Move up</SmallButton>
        <SmallButton onClick={() => onMove(index + 1)} disabled={index === count - 1} label={`Move ${name} down`}>Move down</SmallButton>
        <SmallButton tone="danger" onClick={onRemove} label={`Remove ${name}`}>Remove item</SmallButton>
      </div>
      <div className="grid gap-x-3 sm:grid-cols-[10rem_8rem_1fr_1fr]">
        <TextField name={`items.${index}.id`} label="Item id" />
        <NumberField name={`items.${index}.points`} label="Points" min={1} max={20} />
        <SelectInput name={`items.${index}.topic`} label="Topic" choices={TOPIC_CHOICES} />
        <SelectInput name={`items.${index}.difficulty`} label="Difficulty" choices={DIFFICULTY_CHOICES} />
      </div>
      <TextField name={`items.${index}.prompt`} label="Question" rows={2} />
      <CheckboxField name={`items.${index}.critical`} label="Critical: choosing an unsafe answer fails an exam" />
      <div className="my-3">
        {type === 'single' || type === 'multiple' ? <ChoiceOptions item={index} /> : null}
        {type === 'ordering' ? <OrderingSteps item={index} /> : null}
        {type === 'matching' ? <MatchingPairs item={index} /> : null}
        {type === 'written' ? <Rubric item={index} /> : null}
        {type === 'branching' ? <BranchingEditor item={index} /> : null}
      </div>
      <TextField name={`items.${index}.explanation`} label="Explanation (shown after answering)" rows={3} />
      <TextField name={`items.${index}.policies`} label="Handbook sections" hint="Section numbers separated by commas, e.g. 7.1, 9.3." />
    </fieldset>
  );
}
