// The scenario bank in the database. A scenario's published versions are immutable: a changed file
// becomes a new version, and attempts keep pointing at the version they were taken with.
import type { Executor } from '~db/connect';
import type { ParsedContent } from '~/content/load.server';
import { itemTopicAndDifficulty, scenarioSchema, type ScenarioFile } from '~/content/scenario-schema';
import { toFlag, toJson } from './sql.server';

export interface ScenarioSyncSummary {
  created: number;
  /** A changed file: a new version. */
  versioned: number;
  unchanged: number;
  retired: number;
  /** A retired scenario whose unchanged file came back: published again, no new version. */
  restored: number;
}

/** The stored body of a version back into a checked scenario (the schema also fills defaults). */
export function parseScenarioBody(body: string): ScenarioFile {
  return scenarioSchema.parse(JSON.parse(body));
}

async function insertVersion(trx: Executor, args: { scenario: ScenarioFile; contentHash: string; version: number; changeNote: string | null; at: string }) {
  const { scenario } = args;
  const { id } = await trx
    .insertInto('scenario_versions')
    .values({
      scenario_id: scenario.id,
      version: args.version,
      content_hash: args.contentHash,
      body: toJson(scenario),
      change_note: args.changeNote,
      published_at: args.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('scenario_items')
    .values(
      scenario.items.map((item, position) => ({
        scenario_version_id: id,
        item_key: item.id,
        position,
        type: item.type,
        ...itemTopicAndDifficulty(scenario, item),
        points: item.points,
        critical: toFlag(item.critical),
      })),
    )
    .execute();
  return id;
}

/** Content scenarios into the bank; run inside the content-sync transaction. */
export async function syncContentScenarios(trx: Executor, content: ParsedContent, at: string): Promise<ScenarioSyncSummary> {
  const summary: ScenarioSyncSummary = { created: 0, versioned: 0, unchanged: 0, retired: 0, restored: 0 };
  const existing = new Map(
    (
      await trx
        .selectFrom('scenarios')
        .leftJoin('scenario_versions', 'scenario_versions.id', 'scenarios.current_version_id')
        .select(['scenarios.id', 'scenarios.status', 'scenario_versions.content_hash', 'scenario_versions.version'])
        .where('scenarios.origin', '=', 'content')
        .execute()
    ).map((row) => [row.id, row]),
  );
  for (const parsed of content.scenarios) {
    const { file: _file, contentHash, ...scenario } = parsed;
    const before = existing.get(scenario.id);
    existing.delete(scenario.id);
    if (before && before.content_hash === contentHash && before.status === 'published') {
      summary.unchanged++;
      continue;
    }
    const meta = { title: scenario.title, topic: scenario.topic, week: scenario.week, difficulty: scenario.difficulty, status: 'published' as const, updated_at: at };
    if (!before) {
      await trx.insertInto('scenarios').values({ id: scenario.id, origin: 'content', ...meta, current_version_id: null, created_at: at }).execute();
    }
    const sameText = before?.content_hash === contentHash;
    const versionId = sameText
      ? null
      : await insertVersion(trx, {
          scenario,
          contentHash,
          version: (before?.version ?? 0) + 1,
          changeNote: before ? `Updated from ${parsed.file}` : `Loaded from ${parsed.file}`,
          at,
        });
    await trx
      .updateTable('scenarios')
      .set(versionId === null ? meta : { ...meta, current_version_id: versionId })
      .where('id', '=', scenario.id)
      .execute();
    if (!before) summary.created++;
    else if (sameText) summary.restored++;
    else summary.versioned++;
  }
  const gone = [...existing.values()].filter((s) => s.status !== 'retired').map((s) => s.id);
  if (gone.length > 0) {
    await trx.updateTable('scenarios').set({ status: 'retired', updated_at: at }).where('id', 'in', gone).execute();
    summary.retired = gone.length;
  }

  const quizIds = new Set(content.quizzes.map((q) => q.id));
  for (const quiz of content.quizzes) {
    const values = {
      track_id: content.track.id,
      module_id: quiz.module,
      title: quiz.title,
      day: quiz.day,
      pass_mark: quiz.passMark,
      scenario_ids: toJson(quiz.scenarios),
      content_hash: quiz.contentHash,
      retired_at: null,
    };
    await trx.insertInto('quizzes').values({ id: quiz.id, ...values }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
  }
  const staleQuizzes = (await trx.selectFrom('quizzes').select('id').where('retired_at', 'is', null).execute()).filter((q) => !quizIds.has(q.id));
  if (staleQuizzes.length > 0) {
    await trx.updateTable('quizzes').set({ retired_at: at }).where('id', 'in', staleQuizzes.map((q) => q.id)).execute();
  }
  return summary;
}
