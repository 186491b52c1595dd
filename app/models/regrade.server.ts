// Regrading exam attempts after a trainer fixed an answer key by publishing a new version of a
// scenario. A preview (dry run) says whose grade and whose pass or fail would change; applying it
// rewrites the grades in one transaction, with an audit entry per attempt, and revokes or issues the
// certifications that flip, with their usual audit entries and webhook events.
//
// Design choice: an attempt keeps pointing at the scenario version it was sat with (what the learner
// saw is never rewritten); the regrade records the new grades on its items and result, and the grade
// before is in the audit trail (`exam.regraded`). A later regrade starts again from that version, so
// regrading version 1 to 3 after 1 to 2 grades against 3, and applying the same regrade twice changes
// nothing the second time.
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { ScenarioFile } from '~/content/scenario-schema';
import { regradeAttempt, type AttemptRegrade, type RegradeTarget, type StoredItemGrade } from '~/domain/regrade';
import { deriveSeed } from '~/domain/shuffle';
import { scenarioVersions } from './attempt.server';
import { issueCertification, reinstateWithin, revokeWithin } from './certification.server';
import { getExam, type Exam } from './exam.server';
import { fromFlag, toFlag } from './sql.server';
import { recordAudit } from './user.server';

/** Marks a revocation made by a regrade, so a later regrade back to a pass may reinstate it (and only it). */
export const REGRADE_REVOCATION_PREFIX = 'Regrade: ';

export interface RegradableScenario {
  id: string;
  title: string;
  versions: number;
}

/** Scenarios with more than one version: those a regrade can move between. */
export async function listRegradableScenarios(db: Executor): Promise<RegradableScenario[]> {
  const rows = await db
    .selectFrom('scenarios')
    .innerJoin('scenario_versions', 'scenario_versions.scenario_id', 'scenarios.id')
    .select((eb) => ['scenarios.id', 'scenarios.title', eb.fn.countAll<number>().as('versions')])
    .groupBy(['scenarios.id', 'scenarios.title'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy('scenarios.title')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, versions: Number(r.versions) }));
}

export interface ScenarioVersionSummary {
  id: number;
  version: number;
  changeNote: string | null;
  publishedAt: string;
  current: boolean;
  /** Graded exam attempts sat with this version. */
  gradedAttempts: number;
}

export async function listVersionsForRegrade(db: Executor, args: { scenarioId: string }): Promise<ScenarioVersionSummary[]> {
  const scenario = await db.selectFrom('scenarios').select('current_version_id').where('id', '=', args.scenarioId).executeTakeFirst();
  if (!scenario) return [];
  const versions = await db
    .selectFrom('scenario_versions')
    .select(['id', 'version', 'change_note', 'published_at'])
    .where('scenario_id', '=', args.scenarioId)
    .orderBy('version', 'desc')
    .execute();
  const counts = versions.length
    ? await db
        .selectFrom('attempt_scenarios')
        .innerJoin('attempts', 'attempts.id', 'attempt_scenarios.attempt_id')
        .select((eb) => ['attempt_scenarios.scenario_version_id', eb.fn.count<number>('attempts.id').distinct().as('n')])
        .where('attempt_scenarios.scenario_version_id', 'in', versions.map((v) => v.id))
        .where('attempts.kind', '=', 'exam')
        .where('attempts.graded_at', 'is not', null)
        .groupBy('attempt_scenarios.scenario_version_id')
        .execute()
    : [];
  return versions.map((v) => ({
    id: v.id,
    version: v.version,
    changeNote: v.change_note,
    publishedAt: v.published_at,
    current: v.id === scenario.current_version_id,
    gradedAttempts: Number(counts.find((c) => c.scenario_version_id === v.id)?.n ?? 0),
  }));
}

export interface RegradeRequest {
  scenarioId: string;
  fromVersionId: number;
  toVersionId: number;
}

/** What will happen to the certification of an attempt whose pass or fail flips. */
export type CertificationChange = 'revoke' | 'issue' | 'reinstate' | 'none';

export interface RegradedAttempt {
  attemptId: number;
  userId: number;
  learnerName: string;
  examId: string;
  examTitle: string;
  submittedAt: string | null;
  regrade: AttemptRegrade;
  certification: { change: CertificationChange; id: number | null; credentialId: string | null };
}

export type RegradePreview =
  | {
      ok: true;
      from: { id: number; version: number };
      to: { id: number; version: number };
      /** Graded exam attempts sat with the old version. */
      considered: number;
      /** Those whose grade changes (the flips among them). */
      changed: RegradedAttempt[];
    }
  | { ok: false; reason: string };

type VersionRow = { id: number; version: number; scenario_id: string };

async function checkVersions(db: Executor, args: RegradeRequest): Promise<{ ok: true; from: VersionRow; to: VersionRow; bodies: Map<number, ScenarioFile> } | { ok: false; reason: string }> {
  if (args.fromVersionId === args.toVersionId) return { ok: false, reason: 'Choose two different versions.' };
  const rows = await db
    .selectFrom('scenario_versions')
    .select(['id', 'version', 'scenario_id'])
    .where('id', 'in', [args.fromVersionId, args.toVersionId])
    .where('scenario_id', '=', args.scenarioId)
    .execute();
  const from = rows.find((r) => r.id === args.fromVersionId);
  const to = rows.find((r) => r.id === args.toVersionId);
  if (!from || !to) return { ok: false, reason: 'Both versions must be versions of this scenario.' };
  if (to.version <= from.version) return { ok: false, reason: 'Regrade to a newer version than the one the attempts were sat with.' };
  const bodies = await scenarioVersions(db, [from.id, to.id]);
  if (!bodies.has(from.id) || !bodies.has(to.id)) return { ok: false, reason: 'A version could not be read.' };
  return { ok: true, from, to, bodies };
}

async function certificationChange(db: Executor, attemptId: number, regrade: AttemptRegrade): Promise<RegradedAttempt['certification']> {
  const none = { change: 'none' as const, id: null, credentialId: null };
  if (!regrade.flip) return none;
  const held = await db.selectFrom('certifications').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst();
  if (regrade.flip === 'pass-to-fail') {
    return held && held.revoked_at === null ? { change: 'revoke', id: held.id, credentialId: held.credential_id } : none;
  }
  if (!held) return { change: 'issue', id: null, credentialId: null };
  // Reinstate only what a regrade revoked: a manager's revocation stands.
  if (held.revoked_at !== null && (held.revoke_reason ?? '').startsWith(REGRADE_REVOCATION_PREFIX)) {
    return { change: 'reinstate', id: held.id, credentialId: held.credential_id };
  }
  return { ...none, id: held.id, credentialId: held.credential_id };
}

/**
 * The dry run: every graded exam attempt that holds an item of `fromVersion`, regraded against the
 * item with the same key in `toVersion`; returns those whose grade changes. Nothing is written.
 */
export async function previewRegrade(db: Executor, args: RegradeRequest): Promise<RegradePreview> {
  const checked = await checkVersions(db, args);
  if (!checked.ok) return checked;
  const { from, to, bodies } = checked;
  const oldScenario = bodies.get(from.id);
  const newScenario = bodies.get(to.id);
  if (!oldScenario || !newScenario) return { ok: false, reason: 'A version could not be read.' };

  const attempts = await db
    .selectFrom('attempts')
    .innerJoin('users', 'users.id', 'attempts.user_id')
    .select(['attempts.id', 'attempts.user_id', 'attempts.exam_id', 'attempts.seed', 'attempts.score', 'attempts.max_score', 'attempts.passed', 'attempts.submitted_at', 'users.name'])
    .where('attempts.kind', '=', 'exam')
    .where('attempts.status', '=', 'submitted')
    .where('attempts.graded_at', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('attempt_scenarios')
          .select('attempt_scenarios.attempt_id')
          .whereRef('attempt_scenarios.attempt_id', '=', 'attempts.id')
          .where('attempt_scenarios.scenario_version_id', '=', from.id),
      ),
    )
    .orderBy('attempts.submitted_at')
    .orderBy('attempts.id')
    .execute();

  const exams = new Map<string, Exam | null>();
  const changed: RegradedAttempt[] = [];
  for (const attempt of attempts) {
    if (attempt.exam_id === null) continue;
    if (!exams.has(attempt.exam_id)) exams.set(attempt.exam_id, await getExam(db, { examId: attempt.exam_id }));
    const exam = exams.get(attempt.exam_id);
    if (!exam) continue;
    const items = await db
      .selectFrom('attempt_items')
      .innerJoin('attempt_scenarios', (join) =>
        join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
      )
      .select([
        'attempt_items.scenario_position as position',
        'attempt_items.item_key',
        'attempt_items.score',
        'attempt_items.max_score',
        'attempt_items.critical_failure',
        'attempt_items.response',
        'attempt_scenarios.scenario_version_id as version_id',
      ])
      .where('attempt_items.attempt_id', '=', attempt.id)
      .orderBy('attempt_items.scenario_position')
      .execute();
    const regrade = regradeAttempt({
      passMark: exam.blueprint.passMark,
      old: { score: attempt.score ?? 0, max: attempt.max_score ?? 0, passed: fromFlag(attempt.passed) },
      items: items.map((row) => {
        const stored: StoredItemGrade = {
          position: row.position,
          itemKey: row.item_key,
          score: row.score ?? 0,
          max: row.max_score ?? 0,
          criticalFailure: fromFlag(row.critical_failure),
          response: row.response === null ? null : (JSON.parse(row.response) as unknown),
        };
        const oldItem = row.version_id === from.id ? oldScenario.items.find((i) => i.id === row.item_key) : undefined;
        // The case seed as exam.server.ts grades with it: matching ids depend on it.
        const target: RegradeTarget | null = oldItem
          ? { oldItem, newItem: newScenario.items.find((i) => i.id === row.item_key), caseSeed: deriveSeed(attempt.seed, `case:${row.position}`) }
          : null;
        return { stored, target };
      }),
    });
    if (!regrade.changed) continue;
    changed.push({
      attemptId: attempt.id,
      userId: attempt.user_id,
      learnerName: attempt.name,
      examId: exam.id,
      examTitle: exam.title,
      submittedAt: attempt.submitted_at,
      regrade,
      certification: await certificationChange(db, attempt.id, regrade),
    });
  }
  return { ok: true, from: { id: from.id, version: from.version }, to: { id: to.id, version: to.version }, considered: attempts.length, changed };
}

// ——— Certifications inside the regrade's transaction ———

export type ApplyResult =
  | { ok: true; regraded: number; flipped: number; revoked: number; issued: number; reinstated: number }
  | { ok: false; reason: string };

/**
 * Applies a regrade in one transaction: the preview is worked out again inside it (so what is written
 * is what the data says now), then per changed attempt its items, its result and `regraded_at`, an
 * `exam.regraded` audit entry with the old and new score, and the certification a flip concerns.
 */
export async function applyRegrade(db: DB, args: RegradeRequest & { actorId: number; reason: string; now?: Date }): Promise<ApplyResult> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx): Promise<ApplyResult> => {
    const preview = await previewRegrade(trx, args);
    if (!preview.ok) return preview;
    const result = { ok: true as const, regraded: 0, flipped: 0, revoked: 0, issued: 0, reinstated: 0 };
    const certificationReason = `${REGRADE_REVOCATION_PREFIX}${args.reason}`;
    for (const attempt of preview.changed) {
      const { regrade } = attempt;
      for (const item of regrade.items.filter((i) => i.changed)) {
        await trx
          .updateTable('attempt_items')
          .set({ score: item.newScore, max_score: item.newMax, critical_failure: toFlag(item.criticalFailure) })
          .where('attempt_id', '=', attempt.attemptId)
          .where('scenario_position', '=', item.position)
          .where('item_key', '=', item.itemKey)
          .execute();
      }
      await trx
        .updateTable('attempts')
        .set({ score: regrade.new.score, max_score: regrade.new.max, passed: toFlag(regrade.new.passed), regraded_at: now.toISOString() })
        .where('id', '=', attempt.attemptId)
        .execute();
      await recordAudit(trx, {
        actorId: args.actorId,
        action: 'exam.regraded',
        subjectUserId: attempt.userId,
        details: {
          attemptId: attempt.attemptId,
          examId: attempt.examId,
          scenarioId: args.scenarioId,
          fromVersionId: args.fromVersionId,
          toVersionId: args.toVersionId,
          oldScore: regrade.old.score,
          newScore: regrade.new.score,
          oldMaxScore: regrade.old.max,
          newMaxScore: regrade.new.max,
          oldPassed: regrade.old.passed,
          newPassed: regrade.new.passed,
          items: regrade.items.filter((i) => i.changed).map((i) => ({ position: i.position, itemKey: i.itemKey, oldScore: i.oldScore, newScore: i.newScore })),
        },
        reason: args.reason,
        now,
      });
      result.regraded++;
      if (regrade.flip) result.flipped++;

      const { change, id } = attempt.certification;
      if (change === 'revoke' && id !== null) {
        if (await revokeWithin(trx, { certificationId: id, actorId: args.actorId, reason: certificationReason, now })) result.revoked++;
      } else if (change === 'reinstate' && id !== null) {
        if (await reinstateWithin(trx, { certificationId: id, actorId: args.actorId, reason: certificationReason, now })) result.reinstated++;
      } else if (change === 'issue') {
        const exam = await getExam(trx, { examId: attempt.examId });
        if (!exam) continue;
        await issueCertification(trx, {
          userId: attempt.userId,
          exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
          attemptId: attempt.attemptId,
          now,
        });
        result.issued++;
      }
    }
    return result;
  });
}
