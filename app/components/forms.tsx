// Form building blocks: labelled fields that announce their errors, and a submit button that is
// disabled while its form is being submitted.
import { Form, useNavigation } from '@remix-run/react';
import { forwardRef, useId, type ComponentProps, type ReactNode } from 'react';

export type FieldErrors = Partial<Record<string, string[] | undefined>>;

export function ErrorList({ id, errors }: { id?: string; errors?: readonly string[] | null }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 text-sm text-red-700">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

type InputProps = Omit<ComponentProps<'input'>, 'id'> & {
  label: string;
  errors?: readonly string[] | null;
  hint?: ReactNode;
};

export const Field = forwardRef<HTMLInputElement, InputProps>(function Field(
  { label, errors, hint, className, ...input },
  ref,
) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ?? 'mb-4'}>
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className="block w-full rounded border border-slate-400 bg-white px-3 py-2 aria-invalid:border-red-700"
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
});

type SelectProps = Omit<ComponentProps<'select'>, 'id'> & { label: string; errors?: readonly string[] | null };

export const SelectField = forwardRef<HTMLSelectElement, SelectProps>(function SelectField(
  { label, errors, children, ...select },
  ref,
) {
  const id = useId();
  return (
    <div className="mb-4">
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      <select
        ref={ref}
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className="block w-full rounded border border-slate-400 bg-white px-3 py-2"
        {...select}
      >
        {children}
      </select>
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
});

/** A message about the whole form (e.g. "Email or password is incorrect."). */
export function FormAlert({ children, tone = 'error' }: { children?: ReactNode; tone?: 'error' | 'success' }) {
  if (!children) return null;
  const colours = tone === 'error' ? 'border-red-700 bg-red-50 text-red-800' : 'border-green-700 bg-green-50 text-green-900';
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`mb-4 rounded border-l-4 px-4 py-3 ${colours}`}>
      {children}
    </div>
  );
}

export function SubmitButton({
  children,
  pendingText,
  className,
  ...button
}: ComponentProps<'button'> & { pendingText?: string }) {
  const navigation = useNavigation();
  const pending =
    navigation.state === 'submitting' &&
    (button.name === undefined || navigation.formData?.get(button.name) === button.value);
  return (
    <button
      type="submit"
      disabled={pending || button.disabled}
      className={
        className ??
        'rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:cursor-wait disabled:opacity-70'
      }
      {...button}
    >
      {pending && pendingText ? pendingText : children}
    </button>
  );
}

export { Form };
