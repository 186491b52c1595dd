import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { signIn } from '~/auth.server';
import { SetPasswordForm } from '~/components/set-password-form';
import { db } from '~/db.server';
import { acceptInvitation, findPendingInvitation } from '~/models/invitation.server';
import { hashPassword } from '~/models/password.server';
import { parseNewPassword } from '~/password-form.server';
import { readForm } from '~/read-form.server';

export async function loader({ params }: LoaderFunctionArgs) {
  // Public: the token in the link is the credential.
  const invitation = await findPendingInvitation(db(), { token: params.token ?? '' });
  return { invitation: invitation ? { name: invitation.name, email: invitation.email } : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  if (!(await findPendingInvitation(db(), { token }))) {
    return Response.json({ formError: 'This invitation link is no longer valid.' }, { status: 410 });
  }
  const result = parseNewPassword(await readForm(request));
  if ('errors' in result) return Response.json({ errors: result.errors }, { status: 400 });
  const userId = await acceptInvitation(db(), { token, passwordHash: await hashPassword(result.password) });
  if (userId === null) return Response.json({ formError: 'This invitation link is no longer valid.' }, { status: 410 });
  return signIn(request, { userId, redirectTo: '/' });
}

export default function AcceptInvitation() {
  const { invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Partial<Record<string, string[]>>; formError?: string }>();
  if (!invitation || actionData?.formError) {
    return (
      <div className="mx-auto max-w-md">
        <h1 className="mb-4 text-2xl font-bold">Invitation not valid</h1>
        <p className="mb-4">
          This invitation link has expired, was already used, or was replaced by a newer one. Ask the administrator who
          invited you for a new link.
        </p>
        <Link to="/login">Go to sign in</Link>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">Welcome to Frontline, {invitation.name}</h1>
      <p className="mb-6 text-slate-700">
        Choose a password for <strong>{invitation.email}</strong>. You will use this email and password to sign in.
      </p>
      <SetPasswordForm errors={actionData?.errors} submitLabel="Create my account" />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Accept invitation · Frontline' }];
