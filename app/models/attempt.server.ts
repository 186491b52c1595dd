// Practice attempts: frozen at start (the exact scenario versions, an option-order seed), answers
// saved as the learner goes, each case graded once when submitted. Every query is scoped to the
// learner who owns the attempt.
import { randomInt } from 'node:crypto';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { AttemptKind } from '~db/schema';
import type { ScenarioFile, ScenarioItem } from '~/content/scenario-schema';
import { gradeItem, type Grade } from '~/domain/grading';
import { conclusionIdMap } from '~/domain/presentation';
import { deriveSeed } from '~/domain/shuffle';
import { contentVersion } from './content-version.server';
import { isUniqueViolation } from './instance.server';
import { parseScenarioBody } from './scenario.server';
import { fromFlag, parseJsonArray, toFlag, toJson } from './sql.server';

// Versions never change, so their parsed bodies can be kept for the life of the process.
const versionCache = new Map<number, ScenarioFile>();

export async function scenarioVersions(db: Executor, versionIds: readonly number[]): Promise<Map<number, ScenarioFile>> {
  const missing = versionIds.filter((id) => !versionCache.has(id));
  if (missing.length > 0) {
    const rows = await db.selectFrom('scenario_versions').select(['id', 'body']).where('id', 'in', missing).execute();
    for (const row of rows) versionCache.set(row.id, parseScenarioBody(row.body));
  }
  return new Map(versionIds.flatMap((id) => {
    const scenario = versionCache.get(id);
    return scenario ? [[id, scenario] as const] : [];
  }));
}

export interface Quiz {
  id: string;
  moduleId: string;
  title: string;
  day: number;
  passMark: number;
  scenarioIds: string[];
}

const quizColumns = ['id', 'module_id', 'title', 'day', 'pass_mark', 'scenario_ids'] as const;

function toQuiz(q: { id: string; module_id: string; title: string; day: number; pass_mark: number; scenario_ids: string }): Quiz {
  return { id: q.id, moduleId: q.module_id, title: q.title, day: q.day, passMark: q.pass_mark, scenarioIds: parseJsonArray(q.scenario_ids) };
}

// Quizzes change only when content is loaded: kept in memory until the content version moves.
const quizCache = new Map<string, { version: number; quizzes: Quiz[] }>();

export async function listQuizzes(db: Executor, args: { trackId: string }): Promise<Quiz[]> {
  const version = contentVersion();
  const cached = quizCache.get(args.trackId);
  if (cached?.version === version) return cached.quizzes;
  const rows = await db.selectFrom('quizzes').select(quizColumns).where('track_id', '=', args.trackId).where('retired_at', 'is', null).orderBy('day').execute();
  const quizzes = rows.map(toQuiz);
  quizCache.set(args.trackId, { version, quizzes });
  return quizzes;
}

export async function getQuiz(db: Executor, args: { quizId: string }): Promise<Quiz | null> {
  const row = await db.selectFrom('quizzes').select(quizColumns).where('id', '=', args.quizId).executeTakeFirst();
  return row ? toQuiz(row) : null;
}

/** Each quiz's best submitted score (percent) for a learner, and whether it was passed. */
export async function quizResults(db: Executor, args: { userId: number }) {
  const rows = await db
    .selectFrom('attempts')
    .select(['quiz_id', 'score', 'max_score', 'passed'])
    .where('user_id', '=', args.userId)
    .where('kind', '=', 'practice')
    .where('status', '=', 'submitted')
    .execute();
  const results = new Map<string, { bestPercent: number; passed: boolean; attempts: number }>();
  for (const row of rows) {
    if (!row.quiz_id) continue;
    const percent = row.max_score ? Math.round((100 * (row.score ?? 0)) / row.max_score) : 0;
    const previous = results.get(row.quiz_id);
    results.set(row.quiz_id, {
      bestPercent: Math.max(previous?.bestPercent ?? 0, percent),
      passed: (previous?.passed ?? false) || fromFlag(row.passed),
      attempts: (previous?.attempts ?? 0) + 1,
    });
  }
  return results;
}

export async function findOpenAttempt(db: Executor, args: { userId: number; quizId: string }) {
  return db
    .selectFrom('attempts')
    .select(['id'])
    .where('user_id', '=', args.userId)
    .where('quiz_id', '=', args.quizId)
    .where('kind', '=', 'practice')
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
}

export async function listAttempts(db: Executor, args: { userId: number; quizId: string }) {
  return db
    .selectFrom('attempts')
    .select(['id', 'status', 'started_at', 'submitted_at', 'score', 'max_score', 'passed'])
    .where('user_id', '=', args.userId)
    .where('quiz_id', '=', args.quizId)
    .orderBy('id', 'desc')
    .execute();
}

/** Starts a practice attempt, or returns the one already open (starting twice gives the same attempt). */
export async function startPracticeAttempt(db: DB, args: { userId: number; quiz: Quiz; now?: Date }): Promise<number> {
  const open = await findOpenAttempt(db, { userId: args.userId, quizId: args.quiz.id });
  if (open) return open.id;
  try {
    return await writeTransaction(db, async (trx) => {
      const scenarios = await trx
        .selectFrom('scenarios')
        .select(['id', 'current_version_id'])
        .where('id', 'in', args.quiz.scenarioIds)
        .where('status', '=', 'published')
        .execute();
      const versionIds = args.quiz.scenarioIds.flatMap((id) => {
        const versionId = scenarios.find((s) => s.id === id)?.current_version_id;
        return versionId ? [versionId] : [];
      });
      if (versionIds.length === 0) throw new Error(`quiz ${args.quiz.id} has no published scenarios`);
      const bodies = await scenarioVersions(trx, versionIds);
      const { id } = await trx
        .insertInto('attempts')
        .values({
          user_id: args.userId,
          kind: 'practice',
          quiz_id: args.quiz.id,
          seed: randomInt(0, 2 ** 31),
          status: 'in_progress',
          started_at: (args.now ?? new Date()).toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('attempt_scenarios')
        .values(versionIds.map((scenario_version_id, position) => ({ attempt_id: id, position, scenario_version_id })))
        .execute();
      const items = versionIds.flatMap((versionId, scenarioPosition) =>
        (bodies.get(versionId)?.items ?? []).map((item, position) => ({ attempt_id: id, scenario_position: scenarioPosition, item_key: item.id, position })),
      );
      await trx.insertInto('attempt_items').values(items).execute();
      return id;
    });
  } catch (error) {
    // Two tabs starting at once: the unique index lets one insert through; use that attempt.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findOpenAttempt(db, { userId: args.userId, quizId: args.quiz.id });
    if (!winner) throw error;
    return winner.id;
  }
}

export interface AttemptScenario {
  position: number;
  versionId: number;
  scenario: ScenarioFile;
  /** Seeds the option order of this case's items in this attempt. */
  seed: number;
  submittedAt: string | null;
  score: number | null;
  maxScore: number | null;
  items: {
    key: string;
    response: unknown;
    score: number | null;
    maxScore: number | null;
    criticalFailure: boolean;
    /** How many times the answer was saved: an exam save must name the count it started from. */
    saveSeq: number;
    flagged: boolean;
    savedAt: string | null;
    /** Written replies in an exam: when a trainer graded it. */
    gradedAt: string | null;
  }[];
}

/**
 * The attempt with its cases and saved answers, only if it belongs to `userId`. With `position`,
 * only that case is loaded (saving an answer needs no more).
 */
export async function loadAttempt(db: Executor, args: { attemptId: number; userId: number; kind: AttemptKind; position?: number }) {
  const attempt = await db
    .selectFrom('attempts')
    .selectAll()
    .where('id', '=', args.attemptId)
    .where('user_id', '=', args.userId)
    .where('kind', '=', args.kind)
    .executeTakeFirst();
  if (!attempt) return null;
  const position = args.position;
  const [scenarioRows, itemRows] = await Promise.all([
    db
      .selectFrom('attempt_scenarios')
      .selectAll()
      .where('attempt_id', '=', attempt.id)
      .$if(position !== undefined, (qb) => qb.where('position', '=', position ?? -1))
      .orderBy('position')
      .execute(),
    db
      .selectFrom('attempt_items')
      .selectAll()
      .where('attempt_id', '=', attempt.id)
      .$if(position !== undefined, (qb) => qb.where('scenario_position', '=', position ?? -1))
      .orderBy('scenario_position')
      .orderBy('position')
      .execute(),
  ]);
  const bodies = await scenarioVersions(db, scenarioRows.map((s) => s.scenario_version_id));
  const scenarios: AttemptScenario[] = scenarioRows.flatMap((row) => {
    const scenario = bodies.get(row.scenario_version_id);
    if (!scenario) return [];
    return [
      {
        position: row.position,
        versionId: row.scenario_version_id,
        scenario,
        seed: deriveSeed(attempt.seed, `case:${row.position}`),
        submittedAt: row.submitted_at,
        score: row.score,
        maxScore: row.max_score,
        items: itemRows
          .filter((i) => i.scenario_position === row.position)
          .map((i) => ({
            key: i.item_key,
            response: i.response === null ? null : (JSON.parse(i.response) as unknown),
            score: i.score,
            maxScore: i.max_score,
            criticalFailure: fromFlag(i.critical_failure),
            saveSeq: i.save_seq,
            flagged: fromFlag(i.flagged),
            savedAt: i.saved_at,
            gradedAt: i.graded_at,
          })),
      },
    ];
  });
  return { ...attempt, scenarios };
}

export type LoadedAttempt = NonNullable<Awaited<ReturnType<typeof loadAttempt>>>;

export function gradeResponse(item: ScenarioItem, seed: number, response: unknown): Grade {
  return gradeItem(item, response, conclusionIdMap(item, seed));
}

export type SaveResult = { ok: true; savedAt: string } | { ok: false; status: 400 | 404 | 409; reason: string };

/**
 * Saves answers for one case of an open attempt. Answers that do not fit their item are refused
 * with the reason; nothing is saved after the case or the attempt was submitted.
 */
export async function saveResponses(
  db: DB,
  args: { attemptId: number; userId: number; position: number; responses: Record<string, unknown>; now?: Date },
): Promise<SaveResult> {
  const row = await db
    .selectFrom('attempts')
    .innerJoin('attempt_scenarios', 'attempt_scenarios.attempt_id', 'attempts.id')
    .select(['attempts.status', 'attempts.seed', 'attempt_scenarios.submitted_at', 'attempt_scenarios.scenario_version_id'])
    .where('attempts.id', '=', args.attemptId)
    .where('attempts.user_id', '=', args.userId)
    .where('attempts.kind', '=', 'practice')
    .where('attempt_scenarios.position', '=', args.position)
    .executeTakeFirst();
  if (!row) return { ok: false, status: 404, reason: 'There is no such attempt.' };
  if (row.status !== 'in_progress' || row.submitted_at !== null) return CASE_CLOSED;
  const scenario = (await scenarioVersions(db, [row.scenario_version_id])).get(row.scenario_version_id);
  const refused = refuseInvalidResponses(scenario, deriveSeed(row.seed, `case:${args.position}`), args.responses);
  if (refused) return refused;
  return writeResponses(db, { ...args, savedAt: (args.now ?? new Date()).toISOString() });
}

export const CASE_CLOSED: SaveResult = { ok: false, status: 409, reason: 'This case has already been submitted; its answers can no longer change.' };

/** A 400 result naming the first answer that does not fit its item, or null when all fit. */
export function refuseInvalidResponses(scenario: ScenarioFile | undefined, seed: number, responses: Record<string, unknown>): SaveResult | null {
  for (const [key, response] of Object.entries(responses)) {
    const item = scenario?.items.find((i) => i.id === key);
    if (!item) return { ok: false, status: 400, reason: `There is no question "${key}" in this case.` };
    const grade = gradeResponse(item, seed, response);
    if (grade.status === 'invalid') return { ok: false, status: 400, reason: `Answer to "${key}" not saved: ${grade.reason}.` };
  }
  return null;
}

/**
 * Writes checked answers of one case. Each write re-checks, in the same statement, that the case is
 * still open: a submit that got in first wins, and the save is refused (409) rather than lost silently.
 */
export async function writeResponses(
  db: DB,
  args: { attemptId: number; position: number; responses: Record<string, unknown>; savedAt: string },
): Promise<SaveResult> {
  const update = (executor: Executor, key: string, response: unknown) =>
    executor
      .updateTable('attempt_items')
      .set((eb) => ({ response: response === null ? null : toJson(response), saved_at: args.savedAt, save_seq: eb('save_seq', '+', 1) }))
      .where('attempt_id', '=', args.attemptId)
      .where('scenario_position', '=', args.position)
      .where('item_key', '=', key)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('attempt_scenarios')
            .innerJoin('attempts', 'attempts.id', 'attempt_scenarios.attempt_id')
            .select('attempt_scenarios.position')
            .where('attempt_scenarios.attempt_id', '=', args.attemptId)
            .where('attempt_scenarios.position', '=', args.position)
            .where('attempt_scenarios.submitted_at', 'is', null)
            .where('attempts.status', '=', 'in_progress'),
        ),
      )
      .executeTakeFirst();
  const entries = Object.entries(args.responses);
  const [only] = entries;
  // One answer (autosave, most of the time): a single statement is atomic without a transaction.
  if (entries.length === 1 && only) {
    const result = await update(db, only[0], only[1]);
    return Number(result.numUpdatedRows) === 1 ? { ok: true, savedAt: args.savedAt } : CASE_CLOSED;
  }
  const saved = await writeTransaction(db, async (trx) => {
    for (const [key, response] of entries) {
      if (Number((await update(trx, key, response)).numUpdatedRows) !== 1) throw new CaseClosed();
    }
  }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof CaseClosed) return false;
      throw error;
    },
  );
  return saved ? { ok: true, savedAt: args.savedAt } : CASE_CLOSED;
}

class CaseClosed extends Error {}

/**
 * Grades one case of the attempt, once: a second submit (another tab, a double click) finds it
 * already submitted and changes nothing. When every case is in, the attempt is scored and closed.
 */
export async function submitCase(db: DB, args: { attemptId: number; userId: number; position: number; passMark: number; now?: Date }): Promise<boolean> {
  const at = (args.now ?? new Date()).toISOString();
  return writeTransaction(db, async (trx) => {
    const attempt = await trx
      .selectFrom('attempts')
      .select(['id', 'seed', 'status'])
      .where('id', '=', args.attemptId)
      .where('user_id', '=', args.userId)
      .where('kind', '=', 'practice')
      .executeTakeFirst();
    if (!attempt || attempt.status !== 'in_progress') return false;
    const claimed = await trx
      .updateTable('attempt_scenarios')
      .set({ submitted_at: at })
      .where('attempt_id', '=', attempt.id)
      .where('position', '=', args.position)
      .where('submitted_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;

    const row = await trx
      .selectFrom('attempt_scenarios')
      .select('scenario_version_id')
      .where('attempt_id', '=', attempt.id)
      .where('position', '=', args.position)
      .executeTakeFirstOrThrow();
    const scenario = (await scenarioVersions(trx, [row.scenario_version_id])).get(row.scenario_version_id);
    const items = await trx
      .selectFrom('attempt_items')
      .select(['item_key', 'response'])
      .where('attempt_id', '=', attempt.id)
      .where('scenario_position', '=', args.position)
      .execute();
    const seed = deriveSeed(attempt.seed, `case:${args.position}`);
    let score = 0;
    let max = 0;
    for (const saved of items) {
      const item = scenario?.items.find((i) => i.id === saved.item_key);
      if (!item) continue;
      const grade = gradeResponse(item, seed, saved.response === null ? null : (JSON.parse(saved.response) as unknown));
      // A saved answer was valid when saved; should it not be now, it scores nothing.
      const result = grade.status === 'graded' ? grade : grade.status === 'invalid' ? { score: 0, max: item.points, criticalFailure: false } : null;
      if (result) {
        score += result.score;
        max += result.max;
      }
      await trx
        .updateTable('attempt_items')
        .set({ score: result?.score ?? null, max_score: result?.max ?? null, critical_failure: toFlag(result?.criticalFailure ?? false) })
        .where('attempt_id', '=', attempt.id)
        .where('scenario_position', '=', args.position)
        .where('item_key', '=', saved.item_key)
        .execute();
    }
    await trx
      .updateTable('attempt_scenarios')
      .set({ score, max_score: max })
      .where('attempt_id', '=', attempt.id)
      .where('position', '=', args.position)
      .execute();

    const open = await trx
      .selectFrom('attempt_scenarios')
      .select('position')
      .where('attempt_id', '=', attempt.id)
      .where('submitted_at', 'is', null)
      .executeTakeFirst();
    if (!open) {
      const totals = await trx
        .selectFrom('attempt_scenarios')
        .select((eb) => [eb.fn.sum<number>('score').as('score'), eb.fn.sum<number>('max_score').as('max')])
        .where('attempt_id', '=', attempt.id)
        .executeTakeFirstOrThrow();
      const total = Number(totals.score ?? 0);
      const totalMax = Number(totals.max ?? 0);
      await trx
        .updateTable('attempts')
        .set({
          status: 'submitted',
          submitted_at: at,
          score: total,
          max_score: totalMax,
          passed: toFlag(totalMax > 0 && (100 * total) / totalMax >= args.passMark),
        })
        .where('id', '=', attempt.id)
        .execute();
    }
    return true;
  });
}

export interface PractiseCase {
  id: string;
  title: string;
  topic: string;
  difficulty: number;
}

/** At most this many extra cases are listed for a week (a big bank is browsed in the studio, not here). */
export const PRACTISE_CASES_LIMIT = 50;

function practiseCases(db: Executor, week: number) {
  return db
    .selectFrom('scenarios')
    .select(['id', 'title', 'topic', 'difficulty'])
    .where('status', '=', 'published')
    .where('origin', '=', 'studio')
    .where('week', '=', week)
    .where('current_version_id', 'is not', null);
}

/** The week's published studio scenarios: more cases a learner may practise one at a time, easiest first. */
export async function listPractiseCases(db: Executor, args: { week: number }): Promise<PractiseCase[]> {
  return practiseCases(db, args.week).orderBy('difficulty').orderBy('title').orderBy('id').limit(PRACTISE_CASES_LIMIT).execute();
}

/** One of the week's cases to practise, or undefined when it is not one (another week, unpublished, from content/). */
export async function findPractiseCase(db: Executor, args: { week: number; scenarioId: string }): Promise<PractiseCase | undefined> {
  return practiseCases(db, args.week).where('id', '=', args.scenarioId).executeTakeFirst();
}

/** The learner's open one-case practice attempt of this scenario (whichever version it was started with). */
function findOpenCasePractice(db: Executor, args: { userId: number; scenarioId: string }) {
  return db
    .selectFrom('attempts as a')
    .innerJoin('attempt_scenarios as s', 's.attempt_id', 'a.id')
    .innerJoin('scenario_versions as v', 'v.id', 's.scenario_version_id')
    .select('a.id')
    .where('a.user_id', '=', args.userId)
    .where('a.kind', '=', 'practice')
    .where('a.quiz_id', 'is', null)
    .where('a.status', '=', 'in_progress')
    .where('v.scenario_id', '=', args.scenarioId)
    .where((eb) => eb(eb.selectFrom('attempt_scenarios as x').select((x) => x.fn.countAll<number>().as('n')).whereRef('x.attempt_id', '=', 'a.id'), '=', 1))
    .orderBy('a.id', 'desc')
    .executeTakeFirst();
}

/**
 * Starts a practice attempt of one published scenario (its current version, no quiz: it counts
 * towards no week), or returns the learner's open one of that scenario. Null when the scenario is
 * not published. The partial unique index does not cover attempts without a quiz (NULLs differ), so
 * the check for an open one runs inside the write transaction, which SQLite runs one at a time.
 */
export async function startCasePractice(db: DB, args: { userId: number; scenarioId: string; now?: Date }): Promise<number | null> {
  return writeTransaction(db, async (trx) => {
    const scenario = await trx
      .selectFrom('scenarios')
      .select('current_version_id')
      .where('id', '=', args.scenarioId)
      .where('status', '=', 'published')
      .executeTakeFirst();
    const versionId = scenario?.current_version_id;
    if (!versionId) return null;
    const open = await findOpenCasePractice(trx, args);
    if (open) return open.id;
    const body = (await scenarioVersions(trx, [versionId])).get(versionId);
    if (!body) return null;
    const { id } = await trx
      .insertInto('attempts')
      .values({
        user_id: args.userId,
        kind: 'practice',
        quiz_id: null,
        seed: randomInt(0, 2 ** 31),
        status: 'in_progress',
        started_at: (args.now ?? new Date()).toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('attempt_scenarios').values({ attempt_id: id, position: 0, scenario_version_id: versionId }).execute();
    await trx
      .insertInto('attempt_items')
      .values(body.items.map((item, position) => ({ attempt_id: id, scenario_position: 0, item_key: item.id, position })))
      .execute();
    return id;
  });
}
