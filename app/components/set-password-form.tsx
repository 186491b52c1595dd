import type { UseFormRegisterReturn } from 'react-hook-form';
import { Field, Form, FormAlert, SubmitButton } from '~/components/forms';
import { setPasswordSchema } from '~/forms/schemas';
import { useZodForm } from '~/forms/use-zod-form';

interface PasswordFieldsForm {
  register: (name: 'password' | 'confirmPassword') => UseFormRegisterReturn;
  errorsFor: (name: string) => string[] | undefined;
}

/** "Password" and "Confirm password", for any form whose schema has both. */
export function NewPasswordFields({ form }: { form: PasswordFieldsForm }) {
  return (
    <>
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. A few unrelated words make a strong password."
        errors={form.errorsFor('password')}
        {...form.register('password')}
      />
      <Field label="Confirm password" type="password" autoComplete="new-password" errors={form.errorsFor('confirmPassword')} {...form.register('confirmPassword')} />
    </>
  );
}

/** New password + confirmation, used by the invitation and password-reset pages. */
export function SetPasswordForm({ errors, submitLabel }: { errors?: Partial<Record<string, string[]>>; submitLabel: string }) {
  const form = useZodForm(setPasswordSchema, errors);
  return (
    <>
      {errors ? <FormAlert>Please correct the fields marked below.</FormAlert> : null}
      <Form method="post" noValidate onSubmit={form.onSubmit} className="rounded bg-white p-6 shadow">
        <NewPasswordFields form={form} />
        <SubmitButton pendingText="Saving…">{submitLabel}</SubmitButton>
      </Form>
    </>
  );
}
