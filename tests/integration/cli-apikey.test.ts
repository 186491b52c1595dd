// apikey:create, run as a real child process against its own copy of the test database (as in
// cli.test.ts): the key is printed once, works, and is stored only as a hash.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase, type OpenDatabase } from '~db/connect';
import { authenticateApiKey } from '~/models/api-key.server';
import { BASE_DB, CONTENT_DIR, ROOT } from '../support/paths';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(ROOT, 'app', 'cli.server.ts');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], databaseFile: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${databaseFile}`, CONTENT_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A mistake: exit code 1, nothing on stdout, exactly one line on stderr matching `message`. */
function expectMistake(result: CliResult, message: RegExp) {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

// This file's own scratch directory: another test run starting meanwhile empties tests/.tmp.
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-cli-apikey-test-'));
let connection: OpenDatabase | undefined;

afterAll(async () => {
  await connection?.db.destroy();
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe('apikey:create', () => {
  test('prints a working key once, stores only its hash, and refuses a missing or invalid name in one line', async () => {
    const databaseFile = path.join(WORK, `${randomUUID()}.db`);
    fs.copyFileSync(BASE_DB, databaseFile);
    const [created, missing, tooShort, tooLong] = await Promise.all([
      cli(['apikey:create', '--name', 'Helpdesk production'], databaseFile),
      cli(['apikey:create'], databaseFile),
      cli(['apikey:create', '--name', ' HD '], databaseFile),
      cli(['apikey:create', '--name', 'x'.repeat(81)], databaseFile),
    ]);

    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toBe('');
    const keys = created.stdout.match(/fl_live_[A-Za-z0-9_-]{43}/g) ?? [];
    expect(keys).toHaveLength(1);
    const key = keys[0] ?? '';
    expect(created.stdout).toMatch(/^Created API key \d+ "Helpdesk production" \(starts with fl_live_.{4}\)\.$/m);
    expect(created.stdout).toMatch(new RegExp(`^${key}$`, 'm'));
    expect(created.stdout).toMatch(/will not be shown again/);

    expectMistake(missing, /^error: --name is required\. Usage: .*apikey:create --name NAME/);
    expectMistake(tooShort, /^error: --name " HD ": Use at least 3 characters/);
    expectMistake(tooLong, /^error: --name "x+": Use at most 80 characters/);

    connection = openDatabase(databaseFile);
    const { db } = connection;
    const rows = await db.selectFrom('api_keys').selectAll().execute();
    expect(rows.map((r) => [r.name, r.created_by, r.revoked_at])).toEqual([['Helpdesk production', null, null]]);
    expect(rows.some((r) => Object.values(r).some((value) => String(value).includes(key)))).toBe(false);
    expect((await authenticateApiKey(db, key))?.name).toBe('Helpdesk production');
    const audit = await db.selectFrom('audit_events').select(['action', 'actor_id']).where('action', '=', 'apikey.created').execute();
    expect(audit).toEqual([{ action: 'apikey.created', actor_id: null }]);
  }, 60_000); // four tsx processes at once: slow on a busy machine
});
