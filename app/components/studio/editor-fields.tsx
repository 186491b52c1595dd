// Labelled inputs bound to the scenario editor's form. Each finds its own errors by field path
// (the schema's, checked as the trainer leaves a field; the rules that tie fields together, checked
// at once; the server's, after a refused publish) and announces them like the app's other fields.
import { createContext, useContext, useId, type ReactNode } from 'react';
import type { FieldPath, UseFormRegister, RegisterOptions } from 'react-hook-form';
import { ErrorList } from '~/components/forms';
import type { EditorValues } from '~/forms/studio';

export type EditorPath = FieldPath<EditorValues>;

export interface EditorContextValue {
  register: UseFormRegister<EditorValues>;
  errorsFor: (path: string) => string[] | undefined;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const context = useContext(EditorContext);
  if (!context) throw new Error('useEditor outside the scenario editor');
  return context;
}

const inputClass = 'block w-full rounded border border-slate-400 bg-white px-3 py-2 aria-invalid:border-red-700';

function Labelled({ id, label, hint, errors, children, className }: { id: string; label: string; hint?: ReactNode; errors?: string[]; children: ReactNode; className?: string }) {
  return (
    <div className={className ?? 'mb-3'}>
      <label htmlFor={id} className="mb-1 block font-medium">{label}</label>
      {children}
      {hint ? <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">{hint}</p> : null}
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

function described(id: string, hint: ReactNode, errors: string[] | undefined) {
  return [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

type FieldProps = { name: EditorPath; label: string; hint?: ReactNode; className?: string };

export function TextField({ name, label, hint, className, rows, placeholder }: FieldProps & { rows?: number; placeholder?: string }) {
  const { register, errorsFor } = useEditor();
  const id = useId();
  const errors = errorsFor(name);
  const common = { id, 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': described(id, hint, errors), className: inputClass, placeholder };
  return (
    <Labelled id={id} label={label} hint={hint} errors={errors} className={className}>
      {rows ? <textarea rows={rows} {...common} {...register(name)} /> : <input type="text" {...common} {...register(name)} />}
    </Labelled>
  );
}

export function NumberField({ name, label, hint, className, min, max, step }: FieldProps & { min?: number; max?: number; step?: number }) {
  const { register, errorsFor } = useEditor();
  const id = useId();
  const errors = errorsFor(name);
  const options: RegisterOptions<EditorValues, EditorPath> = { valueAsNumber: true };
  return (
    <Labelled id={id} label={label} hint={hint} errors={errors} className={className}>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={described(id, hint, errors)}
        className={inputClass}
        {...register(name, options)}
      />
    </Labelled>
  );
}

export function SelectInput({ name, label, hint, className, choices }: FieldProps & { choices: readonly { value: string; label: string }[] }) {
  const { register, errorsFor } = useEditor();
  const id = useId();
  const errors = errorsFor(name);
  return (
    <Labelled id={id} label={label} hint={hint} errors={errors} className={className}>
      <select id={id} aria-invalid={errors?.length ? true : undefined} aria-describedby={described(id, hint, errors)} className={inputClass} {...register(name)}>
        {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
      </select>
    </Labelled>
  );
}

export function CheckboxField({ name, label, className }: Omit<FieldProps, 'hint'>) {
  const { register, errorsFor } = useEditor();
  const id = useId();
  const errors = errorsFor(name);
  return (
    <div className={className ?? 'mb-3'}>
      <label htmlFor={id} className="inline-flex items-center gap-2 font-medium">
        <input id={id} type="checkbox" aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? `${id}-error` : undefined} {...register(name)} /> {label}
      </label>
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** Errors that belong to a whole list (e.g. "a single-choice item needs exactly one correct option"). */
export function ListErrors({ path }: { path: string }) {
  const { errorsFor } = useEditor();
  const errors = errorsFor(path);
  if (!errors?.length) return null;
  return (
    <div role="alert" className="mb-2 rounded border-l-4 border-red-700 bg-red-50 px-3 py-2 text-sm text-red-800">
      {errors.join(' ')}
    </div>
  );
}

export function SmallButton({ children, onClick, label, tone = 'plain', disabled }: { children: ReactNode; onClick: () => void; label?: string; tone?: 'plain' | 'danger'; disabled?: boolean }) {
  const colour = tone === 'danger' ? 'border-red-700 text-red-800' : 'border-brand-700 text-brand-700';
  return (
    <button type="button" onClick={onClick} aria-label={label} disabled={disabled} className={`rounded border px-2 py-1 text-sm font-semibold disabled:opacity-50 ${colour}`}>
      {children}
    </button>
  );
}
