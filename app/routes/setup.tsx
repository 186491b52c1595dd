import { redirect, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { signIn } from '~/auth.server';
import { Field, Form, FormAlert, SubmitButton } from '~/components/forms';
import { NewPasswordFields } from '~/components/set-password-form';
import { db } from '~/db.server';
import { passwordProblem } from '~/domain/password-policy';
import { keptValues, parseForm } from '~/forms/parse';
import { setupSchema } from '~/forms/schemas';
import { useZodForm } from '~/forms/use-zod-form';
import { createFirstAdministrator, isSetupComplete } from '~/models/instance.server';
import { hashPassword } from '~/models/password.server';
import { readForm } from '~/read-form.server';

export async function loader() {
  // Public only while no account exists; afterwards the page is gone.
  if (await isSetupComplete(db())) throw redirect('/login');
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  if (await isSetupComplete(db())) throw redirect('/login');
  const formData = await readForm(request);
  const parsed = parseForm(setupSchema, formData);
  const values = keptValues(formData);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });
  const problem = passwordProblem(parsed.data.password);
  if (problem) return Response.json({ errors: { password: [problem] }, values }, { status: 400 });

  const passwordHash = await hashPassword(parsed.data.password);
  const userId = await createFirstAdministrator(db(), { ...parsed.data, passwordHash });
  if (userId === null) throw redirect('/login');
  return signIn(request, { userId, redirectTo: '/admin' });
}

type ActionData = { errors?: Partial<Record<string, string[]>>; values?: Record<string, string> };

export default function Setup() {
  const actionData = useActionData<ActionData>();
  const form = useZodForm(setupSchema, actionData?.errors);
  const values = actionData?.values;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">Set up Frontline</h1>
      <p className="mb-6 text-slate-700">
        No one has an account yet. Create the administrator account: you will then invite trainers, managers and
        volunteers.
      </p>
      {actionData?.errors ? <FormAlert>Please correct the fields marked below.</FormAlert> : null}
      <Form method="post" noValidate onSubmit={form.onSubmit} className="rounded bg-white p-6 shadow">
        <Field label="Your name" autoComplete="name" defaultValue={values?.name} errors={form.errorsFor('name')} {...form.register('name')} />
        <Field label="Email" type="email" autoComplete="email" defaultValue={values?.email} errors={form.errorsFor('email')} {...form.register('email')} />
        <NewPasswordFields form={form} />
        <SubmitButton pendingText="Creating…">Create administrator</SubmitButton>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Set up · Frontline' }];
