// Runs once before the integration tests: migrate a base database and load the shipped content
// into it, so each test file starts from a copy instead of repeating the work.
import fs from 'node:fs';
import { migrateToLatest, openDatabase } from '~db/connect';
import { formatContentError, loadContent } from '~/content/load.server';
import { syncContent } from '~/models/content.server';
import { BASE_DB, CONTENT_DIR, TMP } from './paths';

export default async function setup() {
  fs.rmSync(TMP, { recursive: true, force: true });
  fs.mkdirSync(TMP, { recursive: true });
  const { db, sqlite } = openDatabase(BASE_DB);
  await migrateToLatest(db);
  const loaded = loadContent(CONTENT_DIR);
  if (!loaded.ok) throw new Error(`Shipped content is invalid:\n${loaded.errors.map(formatContentError).join('\n')}`);
  await syncContent(db, loaded.content);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await db.destroy();
}
