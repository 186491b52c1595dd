// Certification exams: blueprints synced from content/exams, attempts drawn from the published pool,
// timed by the server, saved item by item with a sequence number, submitted once (by the learner, or
// by the server at the deadline) and graded; written replies wait for a trainer. A passing result
// issues a certification in the same transaction.
//
// An exam attempt reuses the practice tables: each drawn item is one "case" of the attempt
// (attempt_scenarios.position = the item's number in the exam) holding exactly one attempt_items row.
import { randomInt } from 'node:crypto';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { Certification } from '~db/schema';
import type { ParsedContent } from '~/content/load.server';
import { examBlueprintSchema, type ExamBlueprint } from '~/content/exam-schema';
import { shortageMessage } from '~/content/exams.server';
import { itemTopicAndDifficulty, type ScenarioItem } from '~/content/scenario-schema';
import type { ExamAttemptSummary } from '~/domain/certification';
import { drawExam, itemRef, poolItemsOf, type PoolItem } from '~/domain/exam-draw';
import { deriveSeed } from '~/domain/shuffle';
import { gradeResponse, refuseInvalidResponses, scenarioVersions, type SaveResult } from './attempt.server';
import { issueCertification } from './certification.server';
import { contentVersion } from './content-version.server';
import { isUniqueViolation } from './instance.server';
import { fromFlag, toFlag, toJson } from './sql.server';
import { recordAudit } from './user.server';

/** Saves that were in flight at the deadline are still accepted for this long. */
export const EXAM_GRACE_MS = 60_000;

export interface Exam {
  id: string;
  title: string;
  trackId: string;
  queue: string;
  blueprint: ExamBlueprint;
}

export async function syncContentExams(trx: Executor, content: ParsedContent, at: string): Promise<void> {
  // Blueprints written in the studio are not in content/: only those shipped there are synced.
  const existing = await trx.selectFrom('exams').select(['id', 'content_hash', 'retired_at']).where('origin', '=', 'content').execute();
  const loaded = new Set<string>();
  for (const { file: _file, contentHash, ...blueprint } of content.exams) {
    loaded.add(blueprint.id);
    const before = existing.find((e) => e.id === blueprint.id);
    if (before && before.content_hash === contentHash && before.retired_at === null) continue;
    const values = {
      track_id: blueprint.track,
      title: blueprint.title,
      queue: blueprint.queue,
      blueprint: toJson(blueprint),
      content_hash: contentHash,
      retired_at: null,
      updated_at: at,
    };
    if (before) await trx.updateTable('exams').set(values).where('id', '=', blueprint.id).execute();
    else await trx.insertInto('exams').values({ id: blueprint.id, ...values }).execute();
  }
  const gone = existing.filter((e) => !loaded.has(e.id) && e.retired_at === null).map((e) => e.id);
  if (gone.length > 0) await trx.updateTable('exams').set({ retired_at: at }).where('id', 'in', gone).execute();
}

function toExam(row: { id: string; title: string; track_id: string; queue: string; blueprint: string }): Exam {
  return { id: row.id, title: row.title, trackId: row.track_id, queue: row.queue, blueprint: examBlueprintSchema.parse(JSON.parse(row.blueprint)) };
}

// Blueprints change only when content is loaded: kept until the content version moves.
let examCache: { version: number; exams: Exam[] } | null = null;

export async function listExams(db: Executor): Promise<Exam[]> {
  const version = contentVersion();
  if (examCache?.version === version) return examCache.exams;
  const rows = await db.selectFrom('exams').select(['id', 'title', 'track_id', 'queue', 'blueprint']).where('retired_at', 'is', null).orderBy('id').execute();
  const exams = rows.map(toExam);
  examCache = { version, exams };
  return exams;
}

/** The certification exam of a track (the first, should a track have several). */
export async function examForTrack(db: Executor, args: { trackId: string }): Promise<Exam | null> {
  return (await listExams(db)).find((e) => e.trackId === args.trackId) ?? null;
}

export async function getExam(db: Executor, args: { examId: string }): Promise<Exam | null> {
  const cached = (await listExams(db)).find((e) => e.id === args.examId);
  if (cached) return cached;
  // A retired exam still grades the attempts that were started on it.
  const row = await db.selectFrom('exams').select(['id', 'title', 'track_id', 'queue', 'blueprint']).where('id', '=', args.examId).executeTakeFirst();
  return row ? toExam(row) : null;
}

/** Every item of every published scenario's current version: what an exam may draw. */
export async function examPool(db: Executor): Promise<PoolItem[]> {
  const rows = await db
    .selectFrom('scenarios')
    .select(['current_version_id'])
    .where('status', '=', 'published')
    .where('current_version_id', 'is not', null)
    .execute();
  const versionIds = rows.flatMap((r) => (r.current_version_id === null ? [] : [r.current_version_id]));
  const bodies = await scenarioVersions(db, versionIds);
  return versionIds.flatMap((id) => {
    const body = bodies.get(id);
    return body ? poolItemsOf(body, id) : [];
  });
}

export interface ExamAllowance {
  attemptsResetAt: string | null;
  extraAttempts: number;
  cooldownWaivedAt: string | null;
}

export async function getAllowance(db: Executor, args: { userId: number; examId: string }): Promise<ExamAllowance> {
  const row = await db
    .selectFrom('exam_allowances')
    .select(['attempts_reset_at', 'extra_attempts', 'cooldown_waived_at'])
    .where('user_id', '=', args.userId)
    .where('exam_id', '=', args.examId)
    .executeTakeFirst();
  return { attemptsResetAt: row?.attempts_reset_at ?? null, extraAttempts: row?.extra_attempts ?? 0, cooldownWaivedAt: row?.cooldown_waived_at ?? null };
}

export interface ExamAttemptRow {
  id: number;
  status: 'in_progress' | 'submitted';
  startedAt: string;
  submittedAt: string | null;
  deadlineAt: string;
  score: number | null;
  maxScore: number | null;
  passed: boolean | null;
  gradedAt: string | null;
  autoSubmitted: boolean;
}

/** The learner's attempts at an exam, newest first (all of them, including those before a reset). */
export async function listExamAttempts(db: Executor, args: { userId: number; examId: string }): Promise<ExamAttemptRow[]> {
  const rows = await db
    .selectFrom('attempts')
    .select(['id', 'status', 'started_at', 'submitted_at', 'deadline_at', 'score', 'max_score', 'passed', 'graded_at', 'auto_submitted'])
    .where('user_id', '=', args.userId)
    .where('kind', '=', 'exam')
    .where('exam_id', '=', args.examId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    startedAt: r.started_at,
    submittedAt: r.submitted_at,
    deadlineAt: r.deadline_at ?? r.started_at,
    score: r.score,
    maxScore: r.max_score,
    passed: r.passed === null ? null : fromFlag(r.passed),
    gradedAt: r.graded_at,
    autoSubmitted: fromFlag(r.auto_submitted),
  }));
}

/** The attempts that count towards the limit: those started after a manager's last reset. */
export function countedAttempts(attempts: readonly ExamAttemptRow[], allowance: ExamAllowance): ExamAttemptSummary[] {
  return attempts
    .filter((a) => allowance.attemptsResetAt === null || a.startedAt > allowance.attemptsResetAt)
    .map((a) => ({ status: a.status, passed: a.passed, submittedAt: a.submittedAt }));
}

/** The learner's latest certification for a queue, if any. */
export async function latestCertification(db: Executor, args: { userId: number; queue: string }): Promise<Certification | null> {
  const row = await db
    .selectFrom('certifications')
    .selectAll()
    .where('user_id', '=', args.userId)
    .where('queue', '=', args.queue)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

export async function findOpenExamAttempt(db: Executor, args: { userId: number; examId: string }) {
  return db
    .selectFrom('attempts')
    .select(['id', 'deadline_at'])
    .where('user_id', '=', args.userId)
    .where('exam_id', '=', args.examId)
    .where('kind', '=', 'exam')
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
}

export type StartResult = { ok: true; attemptId: number; resumed: boolean } | { ok: false; reason: string };

/**
 * Starts an exam attempt (eligibility is the caller's to check first), or returns the open one:
 * starting twice gives the same attempt. The draw avoids items of the learner's earlier attempts
 * where the pool allows; a pool that cannot fill the blueprint starts nothing and says which section.
 */
export async function startExamAttempt(db: DB, args: { userId: number; exam: Exam; now?: Date; seed?: number }): Promise<StartResult> {
  const open = await findOpenExamAttempt(db, { userId: args.userId, examId: args.exam.id });
  if (open) return { ok: true, attemptId: open.id, resumed: true };
  const now = args.now ?? new Date();
  const seed = args.seed ?? randomInt(0, 2 ** 31);
  try {
    return await writeTransaction(db, async (trx): Promise<StartResult> => {
      const seen = await trx
        .selectFrom('attempt_items')
        .innerJoin('attempts', 'attempts.id', 'attempt_items.attempt_id')
        .innerJoin('attempt_scenarios', (join) =>
          join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
        )
        .innerJoin('scenario_versions', 'scenario_versions.id', 'attempt_scenarios.scenario_version_id')
        .select(['scenario_versions.scenario_id', 'attempt_items.item_key'])
        .where('attempts.user_id', '=', args.userId)
        .where('attempts.kind', '=', 'exam')
        .execute();
      const pool = await examPool(trx);
      const draw = drawExam({
        blueprint: args.exam.blueprint,
        pool,
        seed,
        seenItemKeys: seen.map((s) => itemRef({ scenarioId: s.scenario_id, itemKey: s.item_key })),
      });
      if (!draw.ok) {
        return { ok: false, reason: `The exam cannot be drawn from the published scenarios: section ${draw.shortSection + 1} ${shortageMessage(args.exam.blueprint.sections, draw)}.` };
      }
      const deadline = new Date(now.getTime() + args.exam.blueprint.durationMinutes * 60_000);
      const { id } = await trx
        .insertInto('attempts')
        .values({
          user_id: args.userId,
          kind: 'exam',
          quiz_id: null,
          exam_id: args.exam.id,
          seed,
          status: 'in_progress',
          started_at: now.toISOString(),
          deadline_at: deadline.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('attempt_scenarios')
        .values(draw.items.map((item, position) => ({ attempt_id: id, position, scenario_version_id: item.versionId })))
        .execute();
      await trx
        .insertInto('attempt_items')
        .values(draw.items.map((item, position) => ({ attempt_id: id, scenario_position: position, item_key: item.itemKey, position: 0 })))
        .execute();
      return { ok: true, attemptId: id, resumed: false };
    });
  } catch (error) {
    // Two requests starting at once: the partial unique index lets one through; use that attempt.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findOpenExamAttempt(db, { userId: args.userId, examId: args.exam.id });
    if (!winner) throw error;
    return { ok: true, attemptId: winner.id, resumed: true };
  }
}

/** The exam item a drawn position holds, with the option-order seed of this attempt. */
export function examItemOf(scenario: { scenario: { items: readonly ScenarioItem[] }; items: readonly { key: string }[] }): ScenarioItem | null {
  const key = scenario.items[0]?.key;
  return scenario.scenario.items.find((i) => i.id === key) ?? null;
}

export type ExamSaveResult = (SaveResult & { ok: false }) | { ok: true; savedAt: string; seq: number };

const submittedAlready: ExamSaveResult = { ok: false, status: 409, reason: 'This exam has been submitted; its answers can no longer change.' };
const timeIsUp: ExamSaveResult = { ok: false, status: 409, reason: 'Time is up: answers sent after the end of the exam are not saved.' };
export const STALE_SAVE: ExamSaveResult = {
  ok: false,
  status: 409,
  reason:
    'Not saved: this answer was changed in another tab or window (or you went back to an older page) after this page was loaded. Reload the question to see the answer that is saved, then change it there.',
};

/**
 * Saves the answer to one exam item. `seq` is the item's save count the page was rendered with: a save
 * from an older page (another tab, the back button) no longer matches and is refused rather than
 * overwriting a newer answer. Refused after submission and once the deadline plus the grace has passed.
 */
export async function saveExamAnswer(
  db: DB,
  args: { attemptId: number; userId: number; position: number; response: unknown; seq: number; now?: Date },
): Promise<ExamSaveResult> {
  const now = args.now ?? new Date();
  const row = await db
    .selectFrom('attempts')
    .innerJoin('attempt_scenarios', 'attempt_scenarios.attempt_id', 'attempts.id')
    .innerJoin('attempt_items', (join) =>
      join.onRef('attempt_items.attempt_id', '=', 'attempt_scenarios.attempt_id').onRef('attempt_items.scenario_position', '=', 'attempt_scenarios.position'),
    )
    .select(['attempts.status', 'attempts.seed', 'attempts.deadline_at', 'attempt_scenarios.scenario_version_id', 'attempt_items.item_key', 'attempt_items.save_seq', 'attempt_items.response', 'attempt_items.saved_at'])
    .where('attempts.id', '=', args.attemptId)
    .where('attempts.user_id', '=', args.userId)
    .where('attempts.kind', '=', 'exam')
    .where('attempt_scenarios.position', '=', args.position)
    .executeTakeFirst();
  if (!row) return { ok: false, status: 404, reason: 'There is no such question in this exam.' };
  if (row.status !== 'in_progress') return submittedAlready;
  const cutoff = new Date(now.getTime() - EXAM_GRACE_MS).toISOString();
  if (!row.deadline_at || row.deadline_at < cutoff) return timeIsUp;
  if (row.save_seq !== args.seq) {
    // The same answer again (an autosave and the button racing each other) changes nothing: no conflict.
    const same = args.response === null ? row.response === null : row.response === toJson(args.response);
    return same ? { ok: true, savedAt: row.saved_at ?? now.toISOString(), seq: row.save_seq } : STALE_SAVE;
  }
  const scenario = (await scenarioVersions(db, [row.scenario_version_id])).get(row.scenario_version_id);
  const refused = refuseInvalidResponses(scenario, deriveSeed(row.seed, `case:${args.position}`), { [row.item_key]: args.response });
  if (refused && !refused.ok) return refused;

  const savedAt = now.toISOString();
  // One statement: the sequence number, the attempt being open and the deadline are checked as it writes.
  const result = await db
    .updateTable('attempt_items')
    .set((eb) => ({ response: args.response === null ? null : toJson(args.response), saved_at: savedAt, save_seq: eb('save_seq', '+', 1) }))
    .where('attempt_id', '=', args.attemptId)
    .where('scenario_position', '=', args.position)
    .where('save_seq', '=', args.seq)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('attempts')
          .select('attempts.id')
          .where('attempts.id', '=', args.attemptId)
          .where('attempts.status', '=', 'in_progress')
          .where('attempts.deadline_at', '>=', cutoff),
      ),
    )
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { ok: true, savedAt, seq: args.seq + 1 };
  // Something changed between the read and the write: say what.
  const again = await db
    .selectFrom('attempts')
    .select(['status', 'deadline_at'])
    .where('id', '=', args.attemptId)
    .executeTakeFirst();
  if (again?.status !== 'in_progress') return submittedAlready;
  if (!again.deadline_at || again.deadline_at < cutoff) return timeIsUp;
  return STALE_SAVE;
}

/** Flags an item for review, or clears the flag; only while the attempt is open. */
export async function setItemFlag(db: DB, args: { attemptId: number; userId: number; position: number; flagged: boolean; now?: Date }): Promise<boolean> {
  const cutoff = new Date((args.now ?? new Date()).getTime() - EXAM_GRACE_MS).toISOString();
  const result = await db
    .updateTable('attempt_items')
    .set({ flagged: toFlag(args.flagged) })
    .where('attempt_id', '=', args.attemptId)
    .where('scenario_position', '=', args.position)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('attempts')
          .select('attempts.id')
          .where('attempts.id', '=', args.attemptId)
          .where('attempts.user_id', '=', args.userId)
          .where('attempts.kind', '=', 'exam')
          .where('attempts.status', '=', 'in_progress')
          .where('attempts.deadline_at', '>=', cutoff),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether a written reply holds anything to grade. */
function hasText(response: unknown): boolean {
  return typeof response === 'object' && response !== null && typeof (response as { text?: unknown }).text === 'string' && (response as { text: string }).text.trim() !== '';
}

/**
 * Submits an exam attempt, once: the first request flips it from in progress to submitted, every other
 * one (another tab, a double click, the deadline job) finds it submitted and changes nothing. Each item
 * is graded from the answers saved; written replies with text wait for a trainer, and the result is
 * final (and a pass certified) when none is waiting. `userId` limits it to the learner's own attempt.
 */
export async function submitExamAttempt(
  db: DB,
  args: { attemptId: number; userId?: number; now?: Date; auto?: boolean },
): Promise<{ submitted: boolean; certification: Certification | null }> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx) => {
    const claimed = await trx
      .updateTable('attempts')
      .set({ status: 'submitted', submitted_at: now.toISOString(), auto_submitted: toFlag(args.auto ?? false) })
      .where('id', '=', args.attemptId)
      .where('kind', '=', 'exam')
      .where('status', '=', 'in_progress')
      .$if(args.userId !== undefined, (qb) => qb.where('user_id', '=', args.userId ?? -1))
      .returning(['id', 'seed'])
      .executeTakeFirst();
    if (!claimed) return { submitted: false, certification: null };

    const cases = await trx.selectFrom('attempt_scenarios').select(['position', 'scenario_version_id']).where('attempt_id', '=', claimed.id).execute();
    const saved = await trx.selectFrom('attempt_items').select(['scenario_position', 'item_key', 'response']).where('attempt_id', '=', claimed.id).execute();
    const bodies = await scenarioVersions(trx, cases.map((c) => c.scenario_version_id));
    for (const answer of saved) {
      const versionId = cases.find((c) => c.position === answer.scenario_position)?.scenario_version_id;
      const item = (versionId === undefined ? undefined : bodies.get(versionId))?.items.find((i) => i.id === answer.item_key);
      if (!item) continue;
      const response = answer.response === null ? null : (JSON.parse(answer.response) as unknown);
      const grade = gradeResponse(item, deriveSeed(claimed.seed, `case:${answer.scenario_position}`), response);
      // A written reply with text waits for a trainer (score null); an empty one scores nothing.
      const pending = grade.status === 'ungraded' && hasText(response);
      const score = grade.status === 'graded' ? grade.score : pending ? null : 0;
      await trx
        .updateTable('attempt_items')
        .set({
          score,
          max_score: item.points,
          critical_failure: toFlag(grade.status === 'graded' && grade.criticalFailure),
          ...(grade.status === 'ungraded' && !pending ? { graded_at: now.toISOString() } : {}),
        })
        .where('attempt_id', '=', claimed.id)
        .where('scenario_position', '=', answer.scenario_position)
        .where('item_key', '=', answer.item_key)
        .execute();
    }
    const certification = await finaliseIfGraded(trx, { attemptId: claimed.id, now });
    return { submitted: true, certification };
  });
}

/**
 * Makes the result final once every item has a score: totals, pass or fail (a wrong critical item
 * fails whatever the score), and for a pass the certification. Does nothing while a reply waits.
 */
async function finaliseIfGraded(trx: Executor, args: { attemptId: number; now: Date }): Promise<Certification | null> {
  const attempt = await trx
    .selectFrom('attempts')
    .select(['id', 'user_id', 'exam_id', 'graded_at', 'status'])
    .where('id', '=', args.attemptId)
    .executeTakeFirstOrThrow();
  if (attempt.graded_at !== null || attempt.status !== 'submitted' || attempt.exam_id === null) return null;
  const items = await trx.selectFrom('attempt_items').select(['score', 'max_score', 'critical_failure']).where('attempt_id', '=', attempt.id).execute();
  if (items.some((i) => i.score === null)) return null;
  const exam = await getExam(trx, { examId: attempt.exam_id });
  if (!exam) throw new Error(`exam ${attempt.exam_id} of attempt ${attempt.id} is missing`);
  const score = items.reduce((n, i) => n + (i.score ?? 0), 0);
  const max = items.reduce((n, i) => n + (i.max_score ?? 0), 0);
  const criticalFailure = items.some((i) => fromFlag(i.critical_failure));
  const passed = max > 0 && (100 * score) / max >= exam.blueprint.passMark && !criticalFailure;
  await trx
    .updateTable('attempts')
    .set({ score, max_score: max, passed: toFlag(passed), graded_at: args.now.toISOString() })
    .where('id', '=', attempt.id)
    .execute();
  if (!passed) return null;
  return issueCertification(trx, {
    userId: attempt.user_id,
    exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
    attemptId: attempt.id,
    now: args.now,
  });
}

/**
 * Submits every exam attempt left open past its deadline and the grace, with the answers saved.
 * Run by the background job; the learner's next request does the same for their own attempt.
 */
export async function submitOverdueExamAttempts(db: DB, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - EXAM_GRACE_MS).toISOString();
  const overdue = await db
    .selectFrom('attempts')
    .select('id')
    .where('status', '=', 'in_progress')
    .where('kind', '=', 'exam')
    .where('deadline_at', '<', cutoff)
    .limit(200)
    .execute();
  let submitted = 0;
  for (const { id } of overdue) {
    if ((await submitExamAttempt(db, { attemptId: id, now, auto: true })).submitted) submitted++;
  }
  return submitted;
}

/** The learner's own open attempt, submitted now if its time has run out (the "next request" rule). */
export async function closeIfOverdue(db: DB, args: { attemptId: number; userId: number; deadlineAt: string | null; now?: Date }): Promise<boolean> {
  const now = args.now ?? new Date();
  if (!args.deadlineAt || args.deadlineAt > now.toISOString()) return false;
  return (await submitExamAttempt(db, { attemptId: args.attemptId, userId: args.userId, now, auto: true })).submitted;
}

// ——— Trainers: grading written replies ———

export interface PendingReply {
  attemptId: number;
  position: number;
  learnerName: string;
  examTitle: string;
  submittedAt: string;
  scenarioTitle: string;
}

/** Written exam replies waiting for a trainer, oldest submission first. */
export async function listPendingReplies(db: Executor, args: { page: number; perPage: number }) {
  const base = db
    .selectFrom('attempt_items')
    .innerJoin('attempts', 'attempts.id', 'attempt_items.attempt_id')
    .where('attempts.kind', '=', 'exam')
    .where('attempts.status', '=', 'submitted')
    .where('attempt_items.score', 'is', null)
    .where('attempt_items.response', 'is not', null);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('users', 'users.id', 'attempts.user_id')
    .innerJoin('attempt_scenarios', (join) =>
      join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
    )
    .leftJoin('exams', 'exams.id', 'attempts.exam_id')
    .select([
      'attempts.id as attempt_id',
      'attempt_items.scenario_position as position',
      'users.name as learner_name',
      'exams.title as exam_title',
      'attempts.submitted_at',
      'attempt_scenarios.scenario_version_id',
    ])
    .orderBy('attempts.submitted_at')
    .orderBy('attempts.id')
    .orderBy('attempt_items.scenario_position')
    .limit(args.perPage)
    .offset((args.page - 1) * args.perPage)
    .execute();
  const bodies = await scenarioVersions(db, rows.map((r) => r.scenario_version_id));
  const replies: PendingReply[] = rows.map((r) => ({
    attemptId: r.attempt_id,
    position: r.position,
    learnerName: r.learner_name,
    examTitle: r.exam_title ?? 'Exam',
    submittedAt: r.submitted_at ?? '',
    scenarioTitle: bodies.get(r.scenario_version_id)?.title ?? '',
  }));
  return { total: Number(total.n), replies };
}

/** One written reply of a submitted exam, for the trainer grading it. */
export async function loadReplyForGrading(db: Executor, args: { attemptId: number; position: number }) {
  const row = await db
    .selectFrom('attempt_items')
    .innerJoin('attempts', 'attempts.id', 'attempt_items.attempt_id')
    .innerJoin('users', 'users.id', 'attempts.user_id')
    .leftJoin('users as graders', 'graders.id', 'attempt_items.graded_by')
    .innerJoin('attempt_scenarios', (join) =>
      join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
    )
    .select([
      'graders.name as grader_name',
      'attempts.id as attempt_id',
      'attempts.status',
      'attempts.submitted_at',
      'users.name as learner_name',
      'attempt_items.item_key',
      'attempt_items.response',
      'attempt_items.score',
      'attempt_items.graded_at',
      'attempt_items.rubric_levels',
      'attempt_items.grader_comment',
      'attempt_scenarios.scenario_version_id',
    ])
    .where('attempts.id', '=', args.attemptId)
    .where('attempts.kind', '=', 'exam')
    .where('attempts.status', '=', 'submitted')
    .where('attempt_items.scenario_position', '=', args.position)
    .executeTakeFirst();
  if (!row) return null;
  const scenario = (await scenarioVersions(db, [row.scenario_version_id])).get(row.scenario_version_id);
  const item = scenario?.items.find((i) => i.id === row.item_key);
  if (!scenario || !item || item.type !== 'written') return null;
  const response = row.response === null ? null : (JSON.parse(row.response) as { text?: string });
  return {
    attemptId: row.attempt_id,
    position: args.position,
    learnerName: row.learner_name,
    submittedAt: row.submitted_at,
    scenario,
    item,
    reply: response?.text ?? '',
    graded: row.graded_at !== null && row.score !== null,
    gradedAt: row.graded_at,
    graderName: row.grader_name,
    score: row.score,
    rubricLevels: row.rubric_levels === null ? null : (JSON.parse(row.rubric_levels) as number[]),
    comment: row.grader_comment,
  };
}

export type GradeReplyResult = { ok: true; finalised: boolean; certification: Certification | null } | { ok: false; status: 400 | 404 | 409; reason: string };

/**
 * Records a trainer's grade of a written reply: one level per rubric criterion (the points are the
 * sum, capped at the item's points) and a comment. When it was the last reply waiting, the result
 * becomes final and a pass is certified. A reply is graded once; a second grader is told.
 */
export async function gradeWrittenReply(
  db: DB,
  args: { attemptId: number; position: number; graderId: number; levels: readonly number[]; comment: string; now?: Date },
): Promise<GradeReplyResult> {
  const now = args.now ?? new Date();
  const reply = await loadReplyForGrading(db, args);
  if (!reply) return { ok: false, status: 404, reason: 'There is no such written reply waiting in a submitted exam.' };
  const { rubric } = reply.item;
  if (args.levels.length !== rubric.length) return { ok: false, status: 400, reason: `Choose a level for each of the ${rubric.length} criteria.` };
  for (const [index, criterion] of rubric.entries()) {
    if (!criterion.levels.some((level) => level.points === args.levels[index])) {
      return { ok: false, status: 400, reason: `Choose one of the levels for “${criterion.criterion}”.` };
    }
  }
  const score = Math.min(reply.item.points, args.levels.reduce((n, p) => n + p, 0));
  return writeTransaction(db, async (trx): Promise<GradeReplyResult> => {
    const updated = await trx
      .updateTable('attempt_items')
      .set({ score, graded_by: args.graderId, graded_at: now.toISOString(), rubric_levels: toJson(args.levels), grader_comment: args.comment || null })
      .where('attempt_id', '=', args.attemptId)
      .where('scenario_position', '=', args.position)
      .where('score', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, status: 409, reason: 'This reply has already been graded.' };
    const attempt = await trx.selectFrom('attempts').select('user_id').where('id', '=', args.attemptId).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: args.graderId,
      action: 'exam.reply-graded',
      subjectUserId: attempt.user_id,
      details: { attemptId: args.attemptId, position: args.position, score, levels: args.levels },
      now,
    });
    const certification = await finaliseIfGraded(trx, { attemptId: args.attemptId, now });
    const final = await trx.selectFrom('attempts').select('graded_at').where('id', '=', args.attemptId).executeTakeFirstOrThrow();
    return { ok: true, finalised: final.graded_at !== null, certification };
  });
}

// ——— Managers: allowances and deadlines ———

async function upsertAllowance(trx: Executor, args: { userId: number; examId: string; now: Date; reset?: boolean; extra?: number; waiveCooldown?: boolean }) {
  const at = args.now.toISOString();
  const before = await getAllowance(trx, args);
  const values = {
    attempts_reset_at: args.reset ? at : before.attemptsResetAt,
    extra_attempts: args.reset ? 0 : before.extraAttempts + (args.extra ?? 0),
    cooldown_waived_at: args.waiveCooldown ? at : before.cooldownWaivedAt,
    updated_at: at,
  };
  await trx
    .insertInto('exam_allowances')
    .values({ user_id: args.userId, exam_id: args.examId, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'exam_id']).doUpdateSet(values))
    .execute();
}

/** Starts the learner's attempts afresh: earlier attempts (and their cooldown) no longer count. */
export async function resetExamAttempts(db: DB, args: { userId: number; examId: string; actorId: number; reason: string; now?: Date }): Promise<void> {
  const now = args.now ?? new Date();
  await writeTransaction(db, async (trx) => {
    await upsertAllowance(trx, { ...args, now, reset: true });
    await recordAudit(trx, { actorId: args.actorId, action: 'exam.attempts-reset', subjectUserId: args.userId, details: { examId: args.examId }, reason: args.reason, now });
  });
}

/** One more attempt on top of the blueprint's limit. */
export async function grantExtraAttempt(db: DB, args: { userId: number; examId: string; actorId: number; reason: string; now?: Date }): Promise<void> {
  const now = args.now ?? new Date();
  await writeTransaction(db, async (trx) => {
    await upsertAllowance(trx, { ...args, now, extra: 1 });
    await recordAudit(trx, { actorId: args.actorId, action: 'exam.extra-attempt', subjectUserId: args.userId, details: { examId: args.examId }, reason: args.reason, now });
  });
}

/** Lets the learner sit again now, without waiting for the cooldown after their failed attempts. */
export async function waiveCooldown(db: DB, args: { userId: number; examId: string; actorId: number; reason: string; now?: Date }): Promise<void> {
  const now = args.now ?? new Date();
  await writeTransaction(db, async (trx) => {
    await upsertAllowance(trx, { ...args, now, waiveCooldown: true });
    await recordAudit(trx, { actorId: args.actorId, action: 'exam.cooldown-waived', subjectUserId: args.userId, details: { examId: args.examId }, reason: args.reason, now });
  });
}

/** Gives the learner's open attempt more time (an accommodation, or time lost to an outage). */
export async function extendExamDeadline(
  db: DB,
  args: { attemptId: number; actorId: number; minutes: number; reason: string; now?: Date },
): Promise<{ ok: true; deadlineAt: string } | { ok: false; reason: string }> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx) => {
    const attempt = await trx
      .selectFrom('attempts')
      .select(['id', 'user_id', 'deadline_at', 'status'])
      .where('id', '=', args.attemptId)
      .where('kind', '=', 'exam')
      .executeTakeFirst();
    if (!attempt || attempt.status !== 'in_progress' || !attempt.deadline_at) return { ok: false, reason: 'Only an exam in progress can be given more time.' };
    if (attempt.deadline_at < new Date(now.getTime() - EXAM_GRACE_MS).toISOString()) {
      return { ok: false, reason: 'This exam has already run out of time and is being submitted.' };
    }
    const deadlineAt = new Date(Date.parse(attempt.deadline_at) + args.minutes * 60_000).toISOString();
    await trx.updateTable('attempts').set({ deadline_at: deadlineAt }).where('id', '=', attempt.id).execute();
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'exam.deadline-extended',
      subjectUserId: attempt.user_id,
      details: { attemptId: attempt.id, minutes: args.minutes, from: attempt.deadline_at, to: deadlineAt },
      reason: args.reason,
      now,
    });
    return { ok: true, deadlineAt };
  });
}

/** Topic of each drawn item (the item's own, else its scenario's): for the result's breakdown. */
export function examItemTopic(scenario: { topic: string; difficulty: number }, item: ScenarioItem): string {
  return itemTopicAndDifficulty(scenario, item).topic;
}
