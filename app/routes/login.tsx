import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useSearchParams } from '@remix-run/react';
import { clientAddress, getUser, homeFor, safeRedirect, signIn } from '~/auth.server';
import { Field, Form, FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { keptValues, parseForm } from '~/forms/parse';
import { loginSchema } from '~/forms/schemas';
import { useZodForm } from '~/forms/use-zod-form';
import { isSetupComplete } from '~/models/instance.server';
import { verifyPassword } from '~/models/password.server';
import { beginSignInAttempt, signInSucceeded } from '~/models/throttle.server';
import { findUserByEmail } from '~/models/user.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  // Public: the sign-in page. Someone already signed in goes on to where they were headed.
  if (!(await isSetupComplete(db()))) throw redirect('/setup');
  const user = await getUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo'), homeFor(user)));
  return null;
}

const INCORRECT = 'Email or password is incorrect.';

export async function action({ request, context }: ActionFunctionArgs) {
  // Public: this is where a session starts. Throttled per account and per client address.
  const formData = await readForm(request);
  const values = keptValues(formData);
  const parsed = parseForm(loginSchema, formData);
  if (!parsed.success) return Response.json({ errors: parsed.errors, values }, { status: 400 });

  const { email, password, redirectTo } = parsed.data;
  const address = clientAddress(context);
  // Counted as a failure before the password is checked (see beginSignInAttempt); a success takes it back.
  const wait = await beginSignInAttempt(db(), { email, clientAddress: address });
  if (wait > 0) {
    return Response.json(
      { formError: `Too many failed sign-in attempts. Try again in ${formatWait(wait)}.`, values },
      { status: 429, headers: { 'Retry-After': String(wait) } },
    );
  }

  const user = await findUserByEmail(db(), { email });
  const valid = await verifyPassword(user?.password_hash ?? null, password);
  if (!user || !valid) return Response.json({ formError: INCORRECT, values }, { status: 400 });
  if (user.status !== 'active') {
    return Response.json({ formError: 'This account is disabled. Ask your administrator to enable it.', values }, { status: 403 });
  }
  await signInSucceeded(db(), { email, clientAddress: address });
  return signIn(request, { userId: user.id, redirectTo: safeRedirect(redirectTo, '/') });
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

type ActionData = { errors?: Partial<Record<string, string[]>>; formError?: string; values?: Record<string, string> };

export default function Login() {
  const actionData = useActionData<ActionData>();
  const [searchParams] = useSearchParams();
  const form = useZodForm(loginSchema, actionData?.errors);
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-2xl font-bold">Sign in to Frontline</h1>
      {searchParams.has('reset') && !actionData ? <FormAlert tone="success">Your password was changed. Sign in with the new one.</FormAlert> : null}
      <FormAlert>{actionData?.formError}</FormAlert>
      <Form method="post" noValidate onSubmit={form.onSubmit} className="rounded bg-white p-6 shadow">
        <input type="hidden" name="redirectTo" value={actionData?.values?.redirectTo ?? searchParams.get('redirectTo') ?? ''} />
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          defaultValue={actionData?.values?.email}
          errors={form.errorsFor('email')}
          {...form.register('email')}
        />
        <Field label="Password" type="password" autoComplete="current-password" errors={form.errorsFor('password')} {...form.register('password')} />
        <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      </Form>
      <p className="mt-4 text-sm text-slate-700">
        No account yet? Volunteers join through an invitation link from an administrator. Forgotten password? Ask an
        administrator for a reset link.
      </p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Sign in · Frontline' }];
