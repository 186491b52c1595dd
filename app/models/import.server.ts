// Bringing question banks and scenario files into the studio, and reading the bank out again.
// Everything imported becomes a studio draft: a `scenarios` row (origin studio, status draft, no
// version yet) and its `scenario_drafts` row holding the editor's body. The schema keeps one draft
// per scenario, so each imported question is its own draft scenario; an import writes all of them
// in one transaction or none.
import { writeTransaction, type DB, type Executor } from '~db/connect';
import type { ScenarioStatus } from '~db/schema';
import { scenarioSchema, type ScenarioFile, type Topic } from '~/content/scenario-schema';
import { DEFAULT_IMPORT_TOPIC, questionToDraft, uniqueScenarioIds } from '~/domain/import/to-scenario';
import { countByType, type ImportedItemType, type ImportFormat, type ImportResult } from '~/domain/import/types';
import { recordAudit } from './user.server';
import { toJson } from './sql.server';

export interface QuestionImportSummary {
  imported: number;
  byType: Partial<Record<ImportedItemType, number>>;
  /** The draft scenarios created, in the file's order. */
  scenarioIds: string[];
}

interface NewDraft {
  body: ScenarioFile;
}

/** Scenario rows and their drafts, in batches (one statement per table per batch). */
async function insertDrafts(trx: Executor, drafts: readonly NewDraft[], args: { createdBy: number | null; at: string }) {
  const BATCH = 100;
  for (let start = 0; start < drafts.length; start += BATCH) {
    const batch = drafts.slice(start, start + BATCH);
    await trx
      .insertInto('scenarios')
      .values(
        batch.map(({ body }) => ({
          id: body.id,
          origin: 'studio' as const,
          title: body.title,
          topic: body.topic,
          week: body.week,
          difficulty: body.difficulty,
          status: 'draft' as const,
          current_version_id: null,
          created_at: args.at,
          updated_at: args.at,
        })),
      )
      .execute();
    await trx
      .insertInto('scenario_drafts')
      .values(batch.map(({ body }) => ({ scenario_id: body.id, body: toJson(body), base_version_id: null, updated_by: args.createdBy, updated_at: args.at })))
      .execute();
  }
}

async function takenIds(trx: Executor): Promise<Set<string>> {
  return new Set((await trx.selectFrom('scenarios').select('id').execute()).map((r) => r.id));
}

/** Each imported question as a draft scenario, all in one transaction. */
export async function importQuestions(
  db: DB,
  args: { result: ImportResult; createdBy: number | null; now?: Date; format: ImportFormat; fileName: string; defaultTopic?: Topic },
): Promise<QuestionImportSummary> {
  const { questions, skipped } = args.result;
  const byType = countByType(questions);
  if (questions.length === 0) return { imported: 0, byType, scenarioIds: [] };
  const at = (args.now ?? new Date()).toISOString();
  return writeTransaction(db, async (trx) => {
    const ids = uniqueScenarioIds(
      questions.map((q) => q.name),
      await takenIds(trx),
    );
    const drafts = questions.map((question, index) => ({
      body: questionToDraft(question, { format: args.format, fileName: args.fileName, id: ids[index] ?? '', defaultTopic: args.defaultTopic ?? DEFAULT_IMPORT_TOPIC }).body,
    }));
    await insertDrafts(trx, drafts, { createdBy: args.createdBy, at });
    await recordAudit(trx, {
      actorId: args.createdBy,
      action: 'scenarios.imported',
      details: { format: args.format, file: args.fileName, imported: questions.length, skipped: skipped.length, byType },
      now: args.now,
    });
    return { imported: questions.length, byType, scenarioIds: ids };
  });
}

/** Checked scenario files (content/ format) as drafts; an id already taken gets a suffix. */
export async function importScenarioFiles(
  db: DB,
  args: { scenarios: readonly ScenarioFile[]; createdBy: number | null; now?: Date; source: string },
): Promise<{ id: string; requestedId: string }[]> {
  if (args.scenarios.length === 0) return [];
  const at = (args.now ?? new Date()).toISOString();
  return writeTransaction(db, async (trx) => {
    const taken = await takenIds(trx);
    const placed = args.scenarios.map((scenario) => {
      const [id = scenario.id] = uniqueScenarioIds([scenario.id], taken);
      taken.add(id);
      return { id, requestedId: scenario.id, body: { ...scenario, id } };
    });
    await insertDrafts(trx, placed, { createdBy: args.createdBy, at });
    await recordAudit(trx, {
      actorId: args.createdBy,
      action: 'scenarios.imported',
      details: { format: 'yaml', file: args.source, imported: placed.length },
      now: args.now,
    });
    return placed.map(({ id, requestedId }) => ({ id, requestedId }));
  });
}

/** Handbook section references ("2.5") that exist, to check citations of imported files. */
export async function knownSectionRefs(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('policy_sections').select('ref').execute()).map((r) => r.ref));
}

export type ExportedScenario =
  | { id: string; status: ScenarioStatus; version: number | null; ok: true; scenario: ScenarioFile }
  | { id: string; status: ScenarioStatus; version: number | null; ok: false; reason: string };

/**
 * Scenarios to write out in the content/ format: each one's current version (published or
 * retired), or with status "draft" the drafts, those that pass the schema. Ordered by id.
 */
export async function scenariosForExport(db: Executor, args: { status?: ScenarioStatus; topic?: string }): Promise<ExportedScenario[]> {
  if (args.status === 'draft') {
    let query = db
      .selectFrom('scenarios')
      .innerJoin('scenario_drafts', 'scenario_drafts.scenario_id', 'scenarios.id')
      .select(['scenarios.id', 'scenarios.status', 'scenario_drafts.body'])
      .where('scenarios.status', '=', 'draft');
    if (args.topic) query = query.where('scenarios.topic', '=', args.topic);
    const rows = await query.orderBy('scenarios.id').execute();
    return rows.map((row): ExportedScenario => {
      const parsed = scenarioSchema.safeParse(JSON.parse(row.body));
      if (parsed.success) return { id: row.id, status: row.status, version: null, ok: true, scenario: parsed.data };
      const issue = parsed.error.issues[0];
      return { id: row.id, status: row.status, version: null, ok: false, reason: `the draft is not complete yet (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})` };
    });
  }
  let query = db
    .selectFrom('scenarios')
    .innerJoin('scenario_versions', 'scenario_versions.id', 'scenarios.current_version_id')
    .select(['scenarios.id', 'scenarios.status', 'scenario_versions.version', 'scenario_versions.body']);
  if (args.status) query = query.where('scenarios.status', '=', args.status);
  if (args.topic) query = query.where('scenarios.topic', '=', args.topic);
  const rows = await query.orderBy('scenarios.id').execute();
  return rows.map((row): ExportedScenario => {
    const parsed = scenarioSchema.safeParse(JSON.parse(row.body));
    return parsed.success
      ? { id: row.id, status: row.status, version: row.version, ok: true, scenario: parsed.data }
      : { id: row.id, status: row.status, version: row.version, ok: false, reason: 'its stored version no longer passes the schema' };
  });
}
