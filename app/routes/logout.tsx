import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { signOut } from '~/auth.server';

export async function loader() {
  // Signing out changes state, so it only happens on POST.
  throw redirect('/');
}

export async function action({ request }: ActionFunctionArgs) {
  // Public: signing out without a session is harmless.
  return signOut(request);
}
