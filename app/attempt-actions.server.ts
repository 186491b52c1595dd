// Saving and submitting a case of a practice attempt: shared by the attempt page (forms, works
// without JavaScript) and the autosave endpoint (fetch, with JavaScript).
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { responsesFromForm } from '~/forms/responses';
import { CASE_CLOSED, getQuiz, loadAttempt, refuseInvalidResponses, submitCase, writeResponses, type SaveResult } from '~/models/attempt.server';
import { publicItems, publicResponses, responsesFromLearner } from '~/quiz.server';

/** The signed-in learner's own attempt (all its cases, or only the case at `position`); 404 for anyone else's. */
export async function requireOwnAttempt(request: Request, attemptIdParam: string | undefined, position?: number) {
  const user = await requireRole(request, 'learner');
  const attemptId = Number(attemptIdParam);
  const attempt = Number.isInteger(attemptId) ? await loadAttempt(db(), { attemptId, userId: user.id, kind: 'practice', position }) : null;
  if (!attempt) throw new Response('There is no such attempt.', { status: 404 });
  return { user, attempt };
}

/** Saves the answers in `formData` for the case it names; submits the case too when asked. */
export async function saveCaseFromForm(
  request: Request,
  attemptIdParam: string | undefined,
  formData: FormData,
  options: { submit: boolean },
): Promise<{ position: number; result: SaveResult; submitted: boolean }> {
  const position = Number(formData.get('case'));
  const { user, attempt } = await requireOwnAttempt(request, attemptIdParam, Number.isInteger(position) ? position : -1);
  const scenario = attempt.scenarios.find((s) => s.position === position);
  if (!scenario) return { position, result: { ok: false, status: 400, reason: 'Which case? The form did not say.' }, submitted: false };
  // The form speaks in the page's choice ids; the attempt is saved in the scenario file's.
  const fromForm = responsesFromForm(publicItems(scenario), formData, new Map(Object.entries(publicResponses(scenario))));
  const mapped = responsesFromLearner(scenario, fromForm);
  if (!mapped.ok) return { position, result: { ok: false, status: 400, reason: mapped.reason }, submitted: false };
  const { responses } = mapped;
  // The case was just loaded for this learner: check it is open and the answers fit, then write.
  const savedAt = new Date().toISOString();
  let result: SaveResult = { ok: true, savedAt };
  if (Object.keys(responses).length > 0) {
    result =
      attempt.status !== 'in_progress' || scenario.submittedAt !== null
        ? CASE_CLOSED
        : (refuseInvalidResponses(scenario.scenario, scenario.seed, responses) ??
          (await writeResponses(db(), { attemptId: attempt.id, position, responses, savedAt })));
  }
  if (!result.ok || !options.submit) return { position, result, submitted: false };
  const quiz = attempt.quiz_id ? await getQuiz(db(), { quizId: attempt.quiz_id }) : null;
  const submitted = await submitCase(db(), { attemptId: attempt.id, userId: user.id, position, passMark: quiz?.passMark ?? 70 });
  return { position, result, submitted };
}
