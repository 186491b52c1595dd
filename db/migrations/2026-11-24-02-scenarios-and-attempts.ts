// Frozen once shipped. The scenario bank (versioned: a published version never changes), the weekly
// practice quizzes, and attempts that point at the exact versions they were taken with.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scenarios')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('week', 'integer', (c) => c.notNull())
    .addColumn('difficulty', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_version_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scenario_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('scenario_versions_unique', ['scenario_id', 'version'])
    .execute();

  await db.schema
    .createTable('scenario_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('scenario_version_id', 'integer', (c) => c.notNull().references('scenario_versions.id').onDelete('cascade'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('difficulty', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addUniqueConstraint('scenario_items_unique', ['scenario_version_id', 'item_key'])
    .execute();
  await db.schema.createIndex('scenario_items_topic_idx').on('scenario_items').columns(['topic', 'difficulty']).execute();

  await db.schema
    .createTable('quizzes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('track_id', 'text', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull().references('modules.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('pass_mark', 'integer', (c) => c.notNull())
    .addColumn('scenario_ids', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();

  await db.schema
    .createTable('attempts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('quiz_id', 'text', (c) => c.references('quizzes.id'))
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('deadline_at', 'text')
    .addColumn('score', 'real')
    .addColumn('max_score', 'real')
    .addColumn('passed', 'integer')
    .execute();
  await db.schema.createIndex('attempts_user_idx').on('attempts').columns(['user_id', 'quiz_id', 'status']).execute();
  // At most one open practice attempt per learner and quiz: starting twice returns the same attempt.
  await sql`create unique index attempts_one_open_idx on attempts (user_id, quiz_id) where status = 'in_progress' and kind = 'practice'`.execute(db);

  await db.schema
    .createTable('attempt_scenarios')
    .addColumn('attempt_id', 'integer', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('scenario_version_id', 'integer', (c) => c.notNull().references('scenario_versions.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('score', 'real')
    .addColumn('max_score', 'real')
    .addPrimaryKeyConstraint('attempt_scenarios_pk', ['attempt_id', 'position'])
    .execute();

  await db.schema
    .createTable('attempt_items')
    .addColumn('attempt_id', 'integer', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('scenario_position', 'integer', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('saved_at', 'text')
    .addColumn('save_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'real')
    .addColumn('max_score', 'real')
    .addColumn('critical_failure', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('attempt_items_pk', ['attempt_id', 'scenario_position', 'item_key'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['attempt_items', 'attempt_scenarios', 'attempts', 'quizzes', 'scenario_items', 'scenario_versions', 'scenarios']) {
    await db.schema.dropTable(table).execute();
  }
}
