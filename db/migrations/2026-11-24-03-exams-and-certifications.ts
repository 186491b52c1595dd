// Frozen once shipped. Certification exams (blueprints from content/exams), exam attempts (the
// attempts table with a deadline, flags and trainer grading of written replies), certifications
// with public credential ids, the key that signs them, per-learner allowances granted by managers,
// the helpdesk's API keys, and webhooks with their outbox and delivery log.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('exams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('track_id', 'text', (c) => c.notNull().references('tracks.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('blueprint', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('attempts').addColumn('exam_id', 'text', (c) => c.references('exams.id')).execute();
  await db.schema.alterTable('attempts').addColumn('auto_submitted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // When the result became final (at submission, or when a trainer graded the last written reply).
  await db.schema.alterTable('attempts').addColumn('graded_at', 'text').execute();
  await db.schema.createIndex('attempts_exam_idx').on('attempts').columns(['user_id', 'exam_id', 'status']).execute();
  await db.schema.createIndex('attempts_deadline_idx').on('attempts').columns(['status', 'deadline_at']).execute();
  // At most one open exam attempt per learner and exam: starting twice returns the same attempt.
  await sql`create unique index attempts_one_open_exam_idx on attempts (user_id, exam_id) where status = 'in_progress' and kind = 'exam'`.execute(db);

  await db.schema.alterTable('attempt_items').addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('attempt_items').addColumn('graded_by', 'integer', (c) => c.references('users.id')).execute();
  await db.schema.alterTable('attempt_items').addColumn('graded_at', 'text').execute();
  /** JSON array: the level's points chosen for each rubric criterion, in rubric order. */
  await db.schema.alterTable('attempt_items').addColumn('rubric_levels', 'text').execute();
  await db.schema.alterTable('attempt_items').addColumn('grader_comment', 'text').execute();

  await db.schema
    .createTable('exam_allowances')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
    .addColumn('attempts_reset_at', 'text')
    .addColumn('extra_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_allowances_pk', ['user_id', 'exam_id'])
    .execute();

  await db.schema
    .createTable('certifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    // One certification per passing attempt, whatever races: the unique constraint decides.
    .addColumn('attempt_id', 'integer', (c) => c.unique().references('attempts.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'integer', (c) => c.references('users.id'))
    .addColumn('revoke_reason', 'text')
    // Set when the expiry was announced (webhook certification.expired), so it is announced once.
    .addColumn('expiry_announced_at', 'text')
    .execute();
  await db.schema.createIndex('certifications_user_idx').on('certifications').columns(['user_id', 'queue']).execute();
  await db.schema.createIndex('certifications_queue_idx').on('certifications').columns(['queue', 'expires_at']).execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    /** The first characters of the key, shown so an admin can tell keys apart. */
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    /** JSON array of event types */
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  // The outbox: written in the same transaction as the change it announces.
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    /** JSON: the whole body that is sent */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['webhook_deliveries', 'webhook_events', 'webhooks', 'api_keys', 'signing_keys', 'certifications', 'exam_allowances']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop index attempts_one_open_exam_idx`.execute(db);
  await db.schema.dropIndex('attempts_deadline_idx').execute();
  await db.schema.dropIndex('attempts_exam_idx').execute();
  for (const column of ['flagged', 'graded_by', 'graded_at', 'rubric_levels', 'grader_comment']) {
    await db.schema.alterTable('attempt_items').dropColumn(column).execute();
  }
  for (const column of ['exam_id', 'auto_submitted', 'graded_at']) await db.schema.alterTable('attempts').dropColumn(column).execute();
  await db.schema.dropTable('exams').execute();
}
