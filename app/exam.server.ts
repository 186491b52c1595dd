// What the exam pages show: where the learner stands (eligibility, attempts, cooldown), one item of
// an attempt in progress (never its answer or feedback), and the result once submitted. The models
// decide and store; this module turns them into page data.
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { topicLabel } from '~/content/scenario-schema';
import { examEligibility } from '~/domain/certification';
import { isModuleComplete, moduleProgress, trackDay } from '~/domain/schedule';
import { presentItemToLearner, responseFromLearner, responseToLearner, toPublicCaseFile } from '~/domain/presentation';
import { reviewItem } from '~/domain/review';
import { responsesFromForm } from '~/forms/responses';
import { requireLearnerContext } from '~/learner.server';
import { gradeResponse, listQuizzes, loadAttempt, quizResults, type AttemptScenario, type LoadedAttempt } from '~/models/attempt.server';
import {
  closeIfOverdue,
  countedAttempts,
  examForTrack,
  examItemOf,
  examItemTopic,
  getAllowance,
  getExam,
  latestCertification,
  listExamAttempts,
  saveExamAnswer,
  STALE_SAVE,
  type Exam,
  type ExamSaveResult,
} from '~/models/exam.server';
import { sectionLinks } from '~/models/handbook.server';
import { excusedModules } from '~/models/learning.server';

/** The learner, their exam and everything that decides whether they may sit it now. */
export async function requireExamContext(request: Request, now = new Date()) {
  const context = await requireLearnerContext(request, now);
  const { user, enrolment, outline, completed } = context;
  if (!enrolment || !outline) return { ...context, exam: null } as const;
  const exam = await examForTrack(db(), { trackId: enrolment.trackId });
  if (!exam) return { ...context, exam: null } as const;

  const [quizzes, results, allowance, certification, excused] = await Promise.all([
    listQuizzes(db(), { trackId: enrolment.trackId }),
    quizResults(db(), { userId: user.id }),
    getAllowance(db(), { userId: user.id, examId: exam.id }),
    latestCertification(db(), { userId: user.id, queue: exam.queue }),
    excusedModules(db(), { userId: user.id }),
  ]);
  let attempts = await listExamAttempts(db(), { userId: user.id, examId: exam.id });
  // The "next request" rule: an attempt whose time ran out is submitted before anything is shown.
  const open = attempts.find((a) => a.status === 'in_progress');
  if (open && (await closeIfOverdue(db(), { attemptId: open.id, userId: user.id, deadlineAt: open.deadlineAt, now }))) {
    attempts = await listExamAttempts(db(), { userId: user.id, examId: exam.id });
  }

  const progress = moduleProgress(outline.modules.map((m) => m.id), outline.lessons, completed);
  const modules = outline.modules.map((m) => {
    const p = progress.find((x) => x.moduleId === m.id) ?? { completed: 0, total: 0 };
    const quiz = quizzes.find((q) => q.moduleId === m.id);
    // A week a manager excused counts as complete.
    const excusedWeek = excused.has(m.id);
    return { id: m.id, title: m.title, week: m.week, excused: excusedWeek, complete: excusedWeek || isModuleComplete(p, quiz ? { passed: results.get(quiz.id)?.passed ?? false } : null) };
  });
  const eligibility = examEligibility({
    modulesComplete: modules.every((m) => m.complete),
    trackDay: trackDay(enrolment, now),
    blueprint: exam.blueprint,
    attempts: countedAttempts(attempts, allowance),
    extraAttempts: allowance.extraAttempts,
    cooldownWaivedAt: allowance.cooldownWaivedAt,
    certification: certification ? { issuedAt: certification.issued_at, expiresAt: certification.expires_at, revokedAt: certification.revoked_at } : null,
    now,
  });
  return { ...context, exam, modules, attempts, allowance, certification, eligibility } as const;
}

/** The signed-in learner's own exam attempt (submitted first if its time has run out); 404 for anyone else's. */
export async function requireOwnExamAttempt(request: Request, attemptIdParam: string | undefined, now = new Date()) {
  const user = await requireRole(request, 'learner');
  const attemptId = Number(attemptIdParam);
  const load = () => (Number.isInteger(attemptId) ? loadAttempt(db(), { attemptId, userId: user.id, kind: 'exam' }) : Promise.resolve(null));
  let attempt = await load();
  if (!attempt) throw new Response('There is no such exam attempt.', { status: 404 });
  if (attempt.status === 'in_progress' && (await closeIfOverdue(db(), { attemptId: attempt.id, userId: user.id, deadlineAt: attempt.deadline_at, now }))) {
    attempt = await load();
    if (!attempt) throw new Response('There is no such exam attempt.', { status: 404 });
  }
  const exam = attempt.exam_id ? await getExam(db(), { examId: attempt.exam_id }) : null;
  if (!exam) throw new Response('This exam no longer exists.', { status: 404 });
  return { user, attempt, exam };
}

/** A drawn position as a one-item case, so the practice helpers (presentation, form reading) apply as they are. */
export function asOneItemCase(scenario: AttemptScenario): AttemptScenario {
  const item = examItemOf(scenario);
  return { ...scenario, scenario: { ...scenario.scenario, items: item ? [item] : [] } };
}

function isAnswered(response: unknown): boolean {
  if (response === null || response === undefined) return false;
  if (typeof response === 'object' && 'text' in response) return typeof response.text === 'string' && response.text.trim() !== '';
  if (typeof response === 'object' && 'path' in response) return Array.isArray(response.path) && response.path.length > 0;
  if (typeof response === 'object' && 'optionIds' in response) return Array.isArray(response.optionIds) && response.optionIds.length > 0;
  return true;
}

/** Each item's number, whether it holds an answer and whether it is flagged: the exam's navigation. */
export function examNavigation(attempt: LoadedAttempt) {
  return attempt.scenarios.map((s) => {
    const saved = s.items[0];
    return { position: s.position, answered: isAnswered(saved?.response ?? null), flagged: saved?.flagged ?? false };
  });
}

/** One item of an attempt in progress: the case it belongs to, the item as the learner may see it, the saved answer. */
export async function examItemView(scenario: AttemptScenario) {
  const item = examItemOf(scenario);
  const saved = scenario.items[0];
  if (!item || !saved) throw new Response('There is no such question in this exam.', { status: 404 });
  return {
    position: scenario.position,
    caseFile: toPublicCaseFile(scenario.scenario),
    policyLinks: await sectionLinks(db(), scenario.scenario.policies),
    item: presentItemToLearner(item, scenario.seed, saved.response),
    response: responseToLearner(item, scenario.seed, saved.response),
    seq: saved.saveSeq,
    flagged: saved.flagged,
  };
}

/** The answer in a posted exam form for the item at its position, in the scenario file's ids; or why it cannot be read. */
export function examAnswerFromForm(scenario: AttemptScenario, formData: FormData): { ok: true; present: boolean; response: unknown } | { ok: false; reason: string } {
  const item = examItemOf(scenario);
  const saved = scenario.items[0];
  if (!item || !saved) return { ok: false, reason: 'There is no such question in this exam.' };
  const shown = presentItemToLearner(item, scenario.seed, saved.response);
  const fromForm = responsesFromForm([shown], formData, new Map([[item.id, responseToLearner(item, scenario.seed, saved.response)]]));
  if (!(item.id in fromForm)) return { ok: true, present: false, response: null };
  const mapped = responseFromLearner(item, scenario.seed, fromForm[item.id]);
  if (!mapped.ok) return { ok: false, reason: `Answer not saved: ${mapped.reason}.` };
  return { ok: true, present: true, response: mapped.response };
}

/** May the learner see the right answers of this submitted attempt? (blueprint.showAnswers) */
export function answersVisible(exam: Exam, attempt: Pick<LoadedAttempt, 'passed' | 'graded_at'>): boolean {
  if (attempt.graded_at === null) return false;
  if (exam.blueprint.showAnswers === 'always') return true;
  return exam.blueprint.showAnswers === 'after-passing' && attempt.passed === 1;
}

/** A submitted attempt: score, pass or fail, the breakdown by topic, critical errors; answers when allowed. */
export async function examResultView(attempt: LoadedAttempt, exam: Exam) {
  const awaiting = attempt.scenarios.filter((s) => s.items[0]?.score === null).length;
  const topics = new Map<string, { topic: string; label: string; score: number; max: number; pending: number }>();
  const critical: { number: number; topic: string }[] = [];
  for (const s of attempt.scenarios) {
    const item = examItemOf(s);
    const saved = s.items[0];
    if (!item || !saved) continue;
    const topic = examItemTopic(s.scenario, item);
    const row = topics.get(topic) ?? { topic, label: topicLabel(topic), score: 0, max: 0, pending: 0 };
    row.max += saved.maxScore ?? item.points;
    if (saved.score === null) row.pending += 1;
    else row.score += saved.score;
    topics.set(topic, row);
    if (saved.criticalFailure) critical.push({ number: s.position + 1, topic: topicLabel(topic) });
  }
  const final = attempt.graded_at !== null;
  const percent = final && attempt.max_score ? Math.round((1000 * (attempt.score ?? 0)) / attempt.max_score) / 10 : null;
  const showAnswers = answersVisible(exam, attempt);
  const reviews = showAnswers
    ? attempt.scenarios.flatMap((s) => {
        const item = examItemOf(s);
        const saved = s.items[0];
        if (!item || !saved) return [];
        const review = reviewItem(item, s.seed, saved.response, gradeResponse(item, s.seed, saved.response));
        // A trainer's grade of a written reply is the score that counts.
        return [{ ...review, score: saved.score, caseTitle: s.scenario.title }];
      })
    : [];
  return {
    final,
    awaiting,
    percent,
    passed: final ? attempt.passed === 1 : null,
    passMark: exam.blueprint.passMark,
    score: attempt.score,
    maxScore: attempt.max_score,
    submittedAt: attempt.submitted_at,
    autoSubmitted: attempt.auto_submitted === 1,
    topics: [...topics.values()].sort((a, b) => a.score / (a.max || 1) - b.score / (b.max || 1)),
    critical,
    showAnswers,
    answersPolicy: exam.blueprint.showAnswers,
    reviews,
    policyLinks: showAnswers ? await sectionLinks(db(), reviews.flatMap((r) => r.policies)) : [],
  };
}

/**
 * Saves the answer a posted exam form holds for the item it names (`item`, with the `seq` the page was
 * rendered with). Shared by the page's buttons (no JavaScript) and the autosave endpoint.
 */
export async function saveExamItemFromForm(request: Request, attemptIdParam: string | undefined, formData: FormData) {
  const user = await requireRole(request, 'learner');
  const attemptId = Number(attemptIdParam);
  const position = Number(formData.get('item'));
  const seq = Number(formData.get('seq'));
  if (!Number.isInteger(attemptId)) throw new Response('There is no such exam attempt.', { status: 404 });
  if (!Number.isInteger(position) || !Number.isInteger(seq)) {
    return { position, result: { ok: false, status: 400, reason: 'The form did not say which question it answers.' } as ExamSaveResult };
  }
  const attempt = await loadAttempt(db(), { attemptId, userId: user.id, kind: 'exam', position });
  if (!attempt) throw new Response('There is no such exam attempt.', { status: 404 });
  const scenario = attempt.scenarios[0];
  if (!scenario) return { position, result: { ok: false, status: 404, reason: 'There is no such question in this exam.' } as ExamSaveResult };
  const answer = examAnswerFromForm(asOneItemCase(scenario), formData);
  // An answer read against a newer saved one (a conversation moved on in another tab) is stale, not malformed.
  const stale = scenario.items[0]?.saveSeq !== seq;
  if (!answer.ok) return { position, result: stale ? STALE_SAVE : ({ ok: false, status: 400, reason: answer.reason } as ExamSaveResult) };
  if (!answer.present) return { position, result: { ok: true, savedAt: null, seq } as const, userId: user.id, attemptId };
  const result = await saveExamAnswer(db(), { attemptId, userId: user.id, position, response: answer.response, seq });
  return { position, result, userId: user.id, attemptId };
}
