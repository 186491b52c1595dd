// Autosave: the attempt page posts its form here as the learner answers (with JavaScript). Answers
// only, never feedback: the response says whether they were saved and when.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth.server';
import { saveCaseFromForm } from '~/attempt-actions.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'learner');
  return Response.json({ error: 'Send answers with POST.' }, { status: 405, headers: { Allow: 'POST' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, 'learner'); // before reading the body: a stranger learns nothing from how it is refused
  const { result } = await saveCaseFromForm(request, params.attemptId, await readForm(request), { submit: false });
  if (!result.ok) return Response.json({ error: result.reason }, { status: result.status });
  return Response.json({ saved: true, savedAt: result.savedAt });
}
