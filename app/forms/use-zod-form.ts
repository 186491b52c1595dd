// react-hook-form on top of a plain Remix <Form>: validates in the browser as the user types, and
// lets the form submit normally (so the action, which parses again, stays the source of truth).
import { zodResolver } from '@hookform/resolvers/zod';
import { useSubmit } from '@remix-run/react';
import type { FormEvent } from 'react';
import { useForm, type DefaultValues, type FieldValues } from 'react-hook-form';
import type { z } from 'zod';

export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  serverErrors?: Partial<Record<string, string[]>> | null,
  /** Needed for checkbox groups (an array), which react-hook-form otherwise reads as one value. */
  defaultValues?: DefaultValues<z.input<S>>,
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema),
    defaultValues,
    mode: 'onTouched',
    shouldUseNativeValidation: false,
  });
  const submit = useSubmit();

  /** Client errors take precedence (they are newer); otherwise the action's. */
  const errorsFor = (name: string): string[] | undefined => {
    const client = (form.formState.errors as Record<string, { message?: string } | undefined>)[name]?.message;
    return client ? [client] : serverErrors?.[name];
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const formElement = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    void form.handleSubmit(() => submit(submitter ?? formElement, { method: 'post' }))(event);
  };

  return { ...form, errorsFor, onSubmit };
}
