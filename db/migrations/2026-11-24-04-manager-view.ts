// Frozen once shipped. What the manager view needs beyond the learning records: when a learner was
// last active, weeks a manager excused, and a cooldown a manager waived.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  // Refreshed with the session (at most once a minute), so "no activity for 5 days" needs no scan.
  await db.schema.alterTable('users').addColumn('last_active_at', 'text').execute();

  await db.schema
    .createTable('module_excusals')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull().references('modules.id'))
    .addColumn('excused_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('module_excusals_pk', ['user_id', 'module_id'])
    .execute();

  // A manager let the learner sit again before the cooldown after a failed attempt ended.
  await db.schema.alterTable('exam_allowances').addColumn('cooldown_waived_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('exam_allowances').dropColumn('cooldown_waived_at').execute();
  await db.schema.dropTable('module_excusals').execute();
  await db.schema.alterTable('users').dropColumn('last_active_at').execute();
}
