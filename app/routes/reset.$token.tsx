import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { SetPasswordForm } from '~/components/set-password-form';
import { db } from '~/db.server';
import { findPendingReset, redeemPasswordReset } from '~/models/invitation.server';
import { hashPassword } from '~/models/password.server';
import { parseNewPassword } from '~/password-form.server';
import { readForm } from '~/read-form.server';

export async function loader({ params }: LoaderFunctionArgs) {
  // Public: the token in the link is the credential.
  const reset = await findPendingReset(db(), { token: params.token ?? '' });
  return { reset: reset ? { email: reset.email } : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  if (!(await findPendingReset(db(), { token }))) {
    return Response.json({ formError: 'This reset link is no longer valid.' }, { status: 410 });
  }
  const result = parseNewPassword(await readForm(request));
  if ('errors' in result) return Response.json({ errors: result.errors }, { status: 400 });
  const userId = await redeemPasswordReset(db(), { token, passwordHash: await hashPassword(result.password) });
  if (userId === null) return Response.json({ formError: 'This reset link is no longer valid.' }, { status: 410 });
  return redirect('/login?reset=1');
}

export default function ResetPassword() {
  const { reset } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Partial<Record<string, string[]>>; formError?: string }>();
  if (!reset || actionData?.formError) {
    return (
      <div className="mx-auto max-w-md">
        <h1 className="mb-4 text-2xl font-bold">Reset link not valid</h1>
        <p className="mb-4">This link has expired or was already used. Ask an administrator for a new one.</p>
        <Link to="/login">Go to sign in</Link>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">Choose a new password</h1>
      <p className="mb-6 text-slate-700">
        For <strong>{reset.email}</strong>. Signing in everywhere else ends when you save.
      </p>
      <SetPasswordForm errors={actionData?.errors} submitLabel="Save new password" />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Reset password · Frontline' }];
