// Frozen once shipped. The trainer studio: a draft per scenario while it is being written (any
// shape: it is checked only when published), who published each version, blueprints written in the
// studio beside those shipped in content/, and regrading of attempts after an answer key is fixed.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scenario_drafts')
    .addColumn('scenario_id', 'text', (c) => c.primaryKey().references('scenarios.id').onDelete('cascade'))
    /** JSON as the editor holds it: may be incomplete or invalid until it is published. */
    .addColumn('body', 'text', (c) => c.notNull())
    /** The published version the draft was started from (null for a new scenario). */
    .addColumn('base_version_id', 'integer', (c) => c.references('scenario_versions.id'))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('scenario_versions').addColumn('published_by', 'integer', (c) => c.references('users.id')).execute();
  await db.schema.createIndex('scenarios_status_idx').on('scenarios').columns(['status', 'topic']).execute();
  await db.schema.createIndex('scenario_versions_scenario_idx').on('scenario_versions').columns(['scenario_id', 'version']).execute();

  // content: shipped in content/exams (read-only in the studio); studio: written there.
  await db.schema.alterTable('exams').addColumn('origin', 'text', (c) => c.notNull().defaultTo('content')).execute();

  // When a trainer last applied a regrade to this attempt (the grade it had is in the audit trail).
  await db.schema.alterTable('attempts').addColumn('regraded_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attempts').dropColumn('regraded_at').execute();
  await db.schema.alterTable('exams').dropColumn('origin').execute();
  await db.schema.dropIndex('scenario_versions_scenario_idx').execute();
  await db.schema.dropIndex('scenarios_status_idx').execute();
  await db.schema.alterTable('scenario_versions').dropColumn('published_by').execute();
  await db.schema.dropTable('scenario_drafts').execute();
}
