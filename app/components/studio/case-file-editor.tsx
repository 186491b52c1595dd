// The case file in the editor: what the agent sees on taking the chat (hand-off, customer, order,
// timeline and the chat so far).
import { useFieldArray, useFormContext } from 'react-hook-form';
import { TOPICS, topicLabel } from '~/content/scenario-schema';
import type { EditorValues } from '~/forms/studio';
import { CheckboxField, ListErrors, NumberField, SelectInput, SmallButton, TextField } from './editor-fields';

const choices = (values: readonly string[], label: (v: string) => string = (v) => v) => values.map((value) => ({ value, label: label(value) }));

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="rounded bg-white p-4 shadow">
      <h3 id={id} className="mb-3 text-xl font-semibold">{title}</h3>
      {children}
    </section>
  );
}

export function BasicsEditor() {
  return (
    <Section title="Basics">
      <TextField name="title" label="Title" />
      <div className="grid gap-x-3 sm:grid-cols-3">
        <SelectInput name="topic" label="Topic" choices={[{ value: '', label: 'Choose a topic' }, ...choices(TOPICS, topicLabel)]} />
        <NumberField name="week" label="Week" min={1} max={4} />
        <NumberField name="difficulty" label="Difficulty" min={1} max={5} />
      </div>
      <TextField name="summary" label="Summary" rows={3} hint="10 to 300 characters: what the case is about, shown above the case file." />
      <TextField name="policies" label="Handbook sections" hint="Section numbers separated by commas, e.g. 7.1, 9.3." />
    </Section>
  );
}

export function HandoffEditor() {
  return (
    <Section title="Hand-off and customer">
      <div className="grid gap-x-3 sm:grid-cols-2">
        <TextField name="handoff.intent" label="Intent the bot detected" />
        <SelectInput name="handoff.sentiment" label="Sentiment" choices={choices(['calm', 'frustrated', 'angry', 'distressed'])} />
      </div>
      <TextField name="handoff.note" label="Hand-off note from the bot" rows={3} />
      <div className="grid gap-x-3 sm:grid-cols-2">
        <TextField name="handoff.language" label="Language" />
        <CheckboxField name="handoff.verified" label="Customer verified" className="sm:mt-8" />
      </div>
      <div className="grid gap-x-3 sm:grid-cols-2">
        <TextField name="customer.name" label="Customer name" />
        <SelectInput name="customer.role" label="Customer is a" choices={choices(['buyer', 'seller'])} />
      </div>
      <TextField name="customer.mood" label="Customer mood" />
    </Section>
  );
}

function OrderLines() {
  const { control } = useFormContext<EditorValues>();
  const lines = useFieldArray({ control, name: 'order.lines' });
  const payments = useFieldArray({ control, name: 'order.payments' });
  return (
    <>
      <h4 className="mb-1 font-semibold">Order lines</h4>
      <ListErrors path="order.lines" />
      {lines.fields.map((field, i) => (
        <div key={field.id} className="grid items-start gap-x-3 sm:grid-cols-[1fr_10rem_auto]">
          <TextField name={`order.lines.${i}.label`} label={`Line ${i + 1}`} />
          <NumberField name={`order.lines.${i}.amount`} label={`Line ${i + 1} amount (¥)`} step={0.01} />
          <div className="sm:mt-7"><SmallButton tone="danger" onClick={() => lines.remove(i)} label={`Remove line ${i + 1}`}>✕</SmallButton></div>
        </div>
      ))}
      <SmallButton onClick={() => lines.append({ label: '', amount: 0 })}>Add line</SmallButton>
      <h4 className="mb-1 mt-4 font-semibold">Payments</h4>
      {payments.fields.map((field, i) => (
        <div key={field.id} className="grid items-start gap-x-3 sm:grid-cols-[1fr_10rem_1fr_auto]">
          <TextField name={`order.payments.${i}.method`} label={`Payment ${i + 1} method`} />
          <NumberField name={`order.payments.${i}.amount`} label={`Payment ${i + 1} amount (¥)`} step={0.01} />
          <TextField name={`order.payments.${i}.status`} label={`Payment ${i + 1} status`} />
          <div className="sm:mt-7"><SmallButton tone="danger" onClick={() => payments.remove(i)} label={`Remove payment ${i + 1}`}>✕</SmallButton></div>
        </div>
      ))}
      <SmallButton onClick={() => payments.append({ method: '', amount: 0, status: '' })}>Add payment</SmallButton>
    </>
  );
}

export function OrderEditor() {
  return (
    <Section title="Order">
      <div className="grid gap-x-3 sm:grid-cols-3">
        <TextField name="order.id" label="Order id" placeholder="ML-7302-118846" />
        <TextField name="order.item" label="Item" />
        <SelectInput name="order.type" label="Order type" choices={[{ value: 'standard', label: 'Standard' }, { value: 'fbm', label: 'Fulfilled by Marketlane' }, { value: 'presale', label: 'Pre-sale' }]} />
      </div>
      <OrderLines />
    </Section>
  );
}

export function TimelineEditor() {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name: 'timeline' });
  return (
    <Section title="Timeline">
      <ListErrors path="timeline" />
      <ol className="space-y-3">
        {fields.map((field, i) => (
          <li key={field.id}>
            <fieldset className="rounded border border-slate-300 p-3">
              <legend className="px-1 font-medium">Event {i + 1}</legend>
              <div className="grid gap-x-3 sm:grid-cols-[12rem_1fr]">
                <TextField name={`timeline.${i}.at`} label="When" placeholder="2026-11-10 09:58" />
                <TextField name={`timeline.${i}.event`} label="What happened" />
              </div>
              <TextField name={`timeline.${i}.detail`} label="Detail (optional)" />
              <div className="flex gap-2">
                <SmallButton onClick={() => move(i, i - 1)} disabled={i === 0} label={`Move event ${i + 1} up`}>Move up</SmallButton>
                <SmallButton onClick={() => move(i, i + 1)} disabled={i === fields.length - 1} label={`Move event ${i + 1} down`}>Move down</SmallButton>
                <SmallButton tone="danger" onClick={() => remove(i)} label={`Remove event ${i + 1}`}>Remove</SmallButton>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="mt-2"><SmallButton onClick={() => append({ at: '', event: '', detail: '' })}>Add event</SmallButton></div>
    </Section>
  );
}

export function ChatEditor() {
  const { control } = useFormContext<EditorValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name: 'chat' });
  return (
    <Section title="The chat so far">
      <ListErrors path="chat" />
      <ol className="space-y-3">
        {fields.map((field, i) => (
          <li key={field.id}>
            <fieldset className="rounded border border-slate-300 p-3">
              <legend className="px-1 font-medium">Message {i + 1}</legend>
              <div className="grid gap-x-3 sm:grid-cols-2">
                <SelectInput name={`chat.${i}.from`} label="From" choices={[{ value: 'customer', label: 'Customer' }, { value: 'bot', label: 'Bot' }, { value: 'agent', label: 'Agent' }]} />
                <TextField name={`chat.${i}.at`} label="Time (optional)" placeholder="10:29" />
              </div>
              <TextField name={`chat.${i}.text`} label="Message" rows={2} />
              <div className="flex gap-2">
                <SmallButton onClick={() => move(i, i - 1)} disabled={i === 0} label={`Move message ${i + 1} up`}>Move up</SmallButton>
                <SmallButton onClick={() => move(i, i + 1)} disabled={i === fields.length - 1} label={`Move message ${i + 1} down`}>Move down</SmallButton>
                <SmallButton tone="danger" onClick={() => remove(i)} label={`Remove message ${i + 1}`}>Remove</SmallButton>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="mt-2"><SmallButton onClick={() => append({ from: 'customer', at: '', text: '' })}>Add message</SmallButton></div>
    </Section>
  );
}
