// Autosave: the exam page posts one item's answer here as the learner answers (with JavaScript).
// The reply says whether it was saved, when, and the item's new save count; never whether it is right.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth.server';
import { saveExamItemFromForm } from '~/exam.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'learner');
  return Response.json({ error: 'Send answers with POST.' }, { status: 405, headers: { Allow: 'POST' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, 'learner');
  const { result } = await saveExamItemFromForm(request, params.attemptId, await readForm(request));
  if (!result.ok) return Response.json({ error: result.reason }, { status: result.status });
  return Response.json({ saved: result.savedAt !== null, savedAt: result.savedAt, seq: result.seq });
}
