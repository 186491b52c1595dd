import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { getUser, homeFor } from '~/auth.server';
import { db } from '~/db.server';
import { isSetupComplete } from '~/models/instance.server';

export async function loader({ request }: LoaderFunctionArgs) {
  // Public: only decides where to send the visitor.
  if (!(await isSetupComplete(db()))) throw redirect('/setup');
  const user = await getUser(request);
  throw redirect(user ? homeFor(user) : '/login');
}
