// Before each integration test file: its own copy of the base database, and the environment the
// app modules read. app/db.server.ts opens the file lazily, so this runs before any connection.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { closeDatabase } from '~/db.server';
import { resetEnvCache } from '~/env.server';
import { BASE_DB, CONTENT_DIR, TMP } from './paths';

const file = path.join(TMP, `test-${randomUUID()}.db`);
fs.copyFileSync(BASE_DB, file);
process.env.DATABASE_URL = `file:${file}`;
process.env.SESSION_SECRET = 'test-secret-test-secret-test-secret-0123';
process.env.CONTENT_DIR = CONTENT_DIR;
process.env.NODE_ENV = 'test';
resetEnvCache();

afterAll(async () => {
  await closeDatabase();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
});
