// The command line, run as a real child process against its own copy of the test database. Commands
// that do not depend on each other run in parallel: each tsx start costs about half a second.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase, type OpenDatabase } from '~db/connect';
import { addDays, localDate } from '~/domain/calendar';
import { passwordProblem } from '~/domain/password-policy';
import { verifyPassword } from '~/models/password.server';
import { insertUser } from '~/models/user.server';
import { BASE_DB, CONTENT_DIR, ROOT } from '../support/paths';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(ROOT, 'app', 'cli.server.ts');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { databaseFile: string; input?: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${options.databaseFile}`, CONTENT_DIR, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
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

function expectSuccess(result: CliResult) {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
}

// This file's own scratch directory: another test run starting meanwhile empties tests/.tmp.
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-cli-test-'));
const connections: OpenDatabase[] = [];

/** A copy of the migrated base database (content loaded, no users) for one group of tests. */
function freshDatabaseFile(): string {
  const file = path.join(WORK, `${randomUUID()}.db`);
  fs.copyFileSync(BASE_DB, file);
  return file;
}

function open(file: string): OpenDatabase {
  const connection = openDatabase(file);
  connections.push(connection);
  return connection;
}

afterAll(async () => {
  for (const c of connections) await c.db.destroy();
  fs.rmSync(WORK, { recursive: true, force: true });
});

async function rolesOf(db: OpenDatabase['db'], email: string) {
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select('user_roles.role')
    .where('users.email', '=', email)
    .orderBy('user_roles.role')
    .execute();
  return rows.map((r) => r.role);
}

describe('accounts, cohorts and enrolments', () => {
  const databaseFile = freshDatabaseFile();
  const { db } = open(databaseFile);
  const run = (args: string[], input?: string) => cli(args, { databaseFile, input });

  test('user:create makes accounts with roles and a hashed password, and refuses mistakes in one line', async () => {
    const [manager, learner, generated, badRole, commonPassword, unknownCommand, help] = await Promise.all([
      run(['user:create', '--email', 'Mona@Example.com', '--name', 'Mona Manager', '--roles', 'manager,trainer', '--password', 'quiet-harbour-lantern-42']),
      run(['user:create', '--email', 'leo@example.com', '--name', 'Leo Learner', '--roles', 'learner', '--password-stdin'], 'walnut-cobalt-meadow-19\n'),
      run(['user:create', '--email', 'lia@example.com', '--name', 'Lia Learner', '--roles', 'learner']),
      run(['user:create', '--email', 'bob@example.com', '--name', 'Bob', '--roles', 'learner,boss', '--password', 'quiet-harbour-lantern-42']),
      run(['user:create', '--email', 'bob@example.com', '--name', 'Bob', '--roles', 'learner', '--password', 'password1234']),
      run(['user:delete', '--email', 'bob@example.com']),
      run([]),
    ]);

    expectSuccess(manager);
    expect(manager.stdout).toMatch(/^Created user \d+ \(mona@example\.com\) with roles trainer, manager\.\n$/);
    expectSuccess(learner);
    expect(learner.stdout).toMatch(/^Created user \d+ \(leo@example\.com\) with roles learner\.\n$/);
    expectSuccess(generated);
    const generatedPassword = /Generated password.*: (\S+)$/m.exec(generated.stdout)?.[1] ?? '';
    expect(passwordProblem(generatedPassword)).toBeNull();

    const users = await db.selectFrom('users').select(['email', 'name', 'password_hash', 'status']).orderBy('email').execute();
    expect(users.map((u) => u.email)).toEqual(['leo@example.com', 'lia@example.com', 'mona@example.com']);
    const byEmail = new Map(users.map((u) => [u.email, u]));
    expect(await rolesOf(db, 'mona@example.com')).toEqual(['manager', 'trainer']);
    expect(await verifyPassword(byEmail.get('mona@example.com')?.password_hash ?? null, 'quiet-harbour-lantern-42')).toBe(true);
    // stdin gives the password without its trailing newline
    expect(await verifyPassword(byEmail.get('leo@example.com')?.password_hash ?? null, 'walnut-cobalt-meadow-19')).toBe(true);
    expect(await verifyPassword(byEmail.get('lia@example.com')?.password_hash ?? null, generatedPassword)).toBe(true);

    expectMistake(badRole, /Unknown role "boss".*learner, trainer, manager, admin/);
    expectMistake(commonPassword, /Password refused: .*too common/);
    expectMistake(unknownCommand, /Unknown command "user:delete".*user:create/);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: .*<command>/);
    for (const name of ['user:create', 'cohort:create', 'enroll', 'content:check', 'db:backup', 'demo:seed']) expect(help.stdout).toContain(name);
  });

  test('cohort:create makes a cohort in the default time zone with its managers and refuses mistakes; user:create refuses a taken email', async () => {
    const [created, badDate, badZone, notAManager, duplicateUser] = await Promise.all([
      // no --timezone: DEFAULT_TIME_ZONE, which the tests leave at its default
      run(['cohort:create', '--name', 'Spring 2027', '--start', '2027-03-01', '--manager', 'mona@example.com']),
      run(['cohort:create', '--name', 'Leap', '--start', '2027-02-29']),
      run(['cohort:create', '--name', 'Mars', '--start', '2027-03-01', '--timezone', 'Mars/Olympus_Mons']),
      run(['cohort:create', '--name', 'Led by a learner', '--start', '2027-03-01', '--manager', 'leo@example.com']),
      // user:create again with an email that differs only in case
      run(['user:create', '--email', 'MONA@example.com', '--name', 'Mona Again', '--roles', 'learner', '--password', 'quiet-harbour-lantern-42']),
    ]);
    expectSuccess(created);
    expect(created.stdout).toMatch(/^Created cohort \d+ "Spring 2027" starting 2027-03-01 \(Asia\/Shanghai\), managed by mona@example\.com\.\n$/);
    const cohorts = await db.selectFrom('cohorts').selectAll().execute();
    expect(cohorts).toHaveLength(1);
    expect(cohorts[0]).toMatchObject({ name: 'Spring 2027', start_date: '2027-03-01', time_zone: 'Asia/Shanghai' });
    const managers = await db
      .selectFrom('cohort_managers')
      .innerJoin('users', 'users.id', 'cohort_managers.user_id')
      .select('users.email')
      .where('cohort_id', '=', cohorts[0]?.id ?? -1)
      .execute();
    expect(managers).toEqual([{ email: 'mona@example.com' }]);

    expectMistake(badDate, /--start "2027-02-29" is not a calendar date/);
    expectMistake(badZone, /--timezone "Mars\/Olympus_Mons"/);
    expectMistake(notAManager, /--manager leo@example\.com: .*manager role/);
    expectMistake(duplicateUser, /A user with the email mona@example\.com already exists/);
    expect(await db.selectFrom('users').select('id').execute()).toHaveLength(3);
  });

  test('enroll puts a learner on the default track with a cohort or a personal start date; cohort:create refuses a taken name', async () => {
    const [withCohort, withStart, unknownUser, duplicateCohort] = await Promise.all([
      run(['enroll', '--cohort', 'Spring 2027', '--email', 'leo@example.com']),
      run(['enroll', '--start', '2027-01-04', '--email', 'lia@example.com']),
      run(['enroll', '--cohort', 'Spring 2027', '--email', 'nobody@example.com']),
      // cohort:create again with a name in use
      run(['cohort:create', '--name', 'Spring 2027', '--start', '2027-04-01', '--timezone', 'Europe/Berlin']),
    ]);
    expectSuccess(withCohort);
    expect(withCohort.stdout).toMatch(/Enrolled leo@example\.com .*"Spring 2027"/);
    expectSuccess(withStart);
    expect(withStart.stdout).toMatch(/Enrolled lia@example\.com .*2027-01-04/);

    const track = await db.selectFrom('tracks').select('id').executeTakeFirstOrThrow();
    const spring = await db.selectFrom('cohorts').select('id').where('name', '=', 'Spring 2027').executeTakeFirstOrThrow();
    const enrolments = await db
      .selectFrom('enrolments')
      .innerJoin('users', 'users.id', 'enrolments.user_id')
      .select(['users.email', 'enrolments.track_id', 'enrolments.cohort_id', 'enrolments.start_date'])
      .orderBy('users.email')
      .execute();
    expect(enrolments).toEqual([
      { email: 'leo@example.com', track_id: track.id, cohort_id: spring.id, start_date: null },
      { email: 'lia@example.com', track_id: track.id, cohort_id: null, start_date: '2027-01-04' },
    ]);

    expectMistake(unknownUser, /No user has the email nobody@example\.com/);
    expectMistake(duplicateCohort, /A cohort named "Spring 2027" already exists/);
    expect(await db.selectFrom('cohorts').select('id').execute()).toHaveLength(1);
  });
});

describe('content:check', () => {
  const lessonFiles = fs.readdirSync(path.join(CONTENT_DIR, 'lessons'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));

  test('counts the shipped content without touching the database, and names the file, field and line of a mistake', async () => {
    // A database path that does not exist: content:check must neither need nor create it.
    const noDatabase = path.join(WORK, 'no-database', 'frontline.db');
    const brokenDir = path.join(WORK, 'broken-content');
    fs.cpSync(CONTENT_DIR, brokenDir, { recursive: true });
    const brokenFile = path.join('lessons', lessonFiles[0] ?? '');
    const lines = fs.readFileSync(path.join(brokenDir, brokenFile), 'utf8').split('\n');
    const minutesLine = lines.findIndex((l) => l.startsWith('minutes:')) + 1;
    expect(minutesLine).toBeGreaterThan(1);
    lines[minutesLine - 1] = 'minutes: about twenty';
    fs.writeFileSync(path.join(brokenDir, brokenFile), lines.join('\n'));

    const [json, broken, badOption] = await Promise.all([
      cli(['content:check', '--json'], { databaseFile: noDatabase }),
      cli(['content:check'], { databaseFile: noDatabase, env: { CONTENT_DIR: brokenDir } }),
      cli(['content:check', '--jsn'], { databaseFile: noDatabase }),
    ]);

    expectSuccess(json);
    expect(json.stdout.trimEnd().split('\n')).toHaveLength(1);
    const scenarioFiles = fs.readdirSync(path.join(CONTENT_DIR, 'scenarios'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    const scenarioTexts = scenarioFiles.map((f) => fs.readFileSync(path.join(CONTENT_DIR, 'scenarios', f), 'utf8'));
    const itemCount = scenarioTexts.reduce((n, text) => n + (text.match(/^ {2}- id: /gm) ?? []).length, 0);
    const counts = JSON.parse(json.stdout) as { lessons: number; scenarios: number; items: number; itemsByType: Record<string, number>; critical: number };
    expect(counts).toMatchObject({ lessons: lessonFiles.length, scenarios: scenarioFiles.length, items: itemCount });
    expect(Object.keys(counts.itemsByType).sort()).toEqual(['branching', 'matching', 'multiple', 'ordering', 'single', 'written']);
    expect(Object.values(counts.itemsByType).reduce((a, b) => a + b, 0)).toBe(itemCount);
    expect(counts.critical).toBe(scenarioTexts.reduce((n, text) => n + (text.match(/^ {4}critical: true/gm) ?? []).length, 0));

    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain(`${brokenFile}:${minutesLine} (minutes):`);
    expect(broken.stderr).toMatch(/^error: \d+ problems? in .*broken-content/m);

    expectMistake(badOption, /Unknown option --jsn/);
    expect(fs.existsSync(path.dirname(noDatabase))).toBe(false);
  });
});

describe('db:backup', () => {
  test('copies the database while another connection has unsaved-to-file writes, and never overwrites a file', async () => {
    const databaseFile = freshDatabaseFile();
    // The "server": an open connection whose latest write is still only in the write-ahead log.
    const server = open(databaseFile);
    await insertUser(server.db, { email: 'during-backup@example.com', name: 'Written while serving', passwordHash: 'x', roles: ['learner'] });
    expect(fs.statSync(`${databaseFile}-wal`).size).toBeGreaterThan(0);

    const dir = path.join(WORK, 'backups');
    fs.mkdirSync(dir);
    const existing = path.join(dir, 'existing.db');
    fs.writeFileSync(existing, 'keep me');
    const target = path.join(dir, 'nested', 'frontline-backup.db');

    const [backup, overwrite] = await Promise.all([
      cli(['db:backup', '--to', target], { databaseFile }),
      cli(['db:backup', '--to', existing], { databaseFile }),
    ]);
    expectSuccess(backup);
    expect(backup.stdout).toContain(target);
    expect(backup.stdout).toMatch(/\(\d+(\.\d)? (bytes|KiB|MiB)\)/);
    expectMistake(overwrite, /already exists/);
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    // Only the backup itself: no temporary file or write-ahead log left beside it.
    expect(fs.readdirSync(path.dirname(target))).toEqual(['frontline-backup.db']);

    const copy = open(target);
    expect(copy.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const users = await copy.db.selectFrom('users').select('email').execute();
    expect(users).toEqual([{ email: 'during-backup@example.com' }]);
    expect(await copy.db.selectFrom('lessons').select('id').execute()).toHaveLength(
      (await server.db.selectFrom('lessons').select('id').execute()).length,
    );
  });
});

describe('demo:seed', () => {
  test('creates a demo cohort and users of every role; a second run creates nothing new', async () => {
    const databaseFile = freshDatabaseFile();
    const todayBefore = localDate(new Date(), 'Asia/Shanghai');
    const [first, badOption] = await Promise.all([cli(['demo:seed'], { databaseFile }), cli(['demo:seed', '--force'], { databaseFile })]);
    const todayAfter = localDate(new Date(), 'Asia/Shanghai');
    expectSuccess(first);
    expectMistake(badOption, /Unknown option --force/);

    const password = /Password for the 7 demo users created now: (\S+)/.exec(first.stdout)?.[1] ?? '';
    expect(passwordProblem(password)).toBeNull();
    expect(first.stdout).toMatch(/admin@demo\.frontline\.test\s+admin\s/);
    expect(first.stdout).toMatch(/learner@demo\.frontline\.test\s+learner\s+Demo cohort · day 13 of 28/);

    const { db } = open(databaseFile);
    const users = await db.selectFrom('users').select(['id', 'email', 'password_hash']).where('email', 'like', '%@demo.frontline.test').execute();
    expect(users).toHaveLength(7);
    const id = (local: string) => users.find((u) => u.email === `${local}@demo.frontline.test`)?.id ?? -1;
    const admin = users.find((u) => u.email === 'admin@demo.frontline.test');
    expect(await verifyPassword(admin?.password_hash ?? null, password)).toBe(true);
    const roles = await db.selectFrom('user_roles').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'learner', 'manager', 'trainer']);

    const cohort = await db.selectFrom('cohorts').selectAll().where('name', '=', 'Demo cohort').executeTakeFirstOrThrow();
    expect([addDays(todayBefore, -12), addDays(todayAfter, -12)]).toContain(cohort.start_date);
    expect(cohort.time_zone).toBe('Asia/Shanghai');
    const managers = await db.selectFrom('cohort_managers').select('user_id').where('cohort_id', '=', cohort.id).execute();
    expect(managers).toEqual([{ user_id: id('manager') }]);

    const enrolments = await db.selectFrom('enrolments').selectAll().execute();
    const enrolmentOf = (local: string) => enrolments.find((e) => e.user_id === id(local));
    expect(enrolments).toHaveLength(4);
    expect(enrolmentOf('learner')).toMatchObject({ cohort_id: cohort.id, start_date: null });
    expect(enrolmentOf('late.joiner')).toMatchObject({ cohort_id: cohort.id, start_date: null });
    expect(enrolmentOf('new.starter')).toMatchObject({ cohort_id: null });
    expect([todayBefore, todayAfter]).toContain(enrolmentOf('new.starter')?.start_date);
    expect([addDays(todayBefore, -26), addDays(todayAfter, -26)]).toContain(enrolmentOf('nearly.done')?.start_date);

    const lessons = await db
      .selectFrom('lessons')
      .innerJoin('modules', 'modules.id', 'lessons.module_id')
      .select(['lessons.id', 'modules.week'])
      .where('retired_at', 'is', null)
      .execute();
    const completions = await db.selectFrom('lesson_completions').select(['user_id', 'lesson_id']).execute();
    const doneBy = (local: string) => completions.filter((c) => c.user_id === id(local)).map((c) => c.lesson_id);
    const firstTwoWeeks = lessons.filter((l) => l.week <= 2).map((l) => l.id);
    expect(doneBy('learner').length).toBeGreaterThan(firstTwoWeeks.length / 2);
    expect(doneBy('learner').length).toBeLessThan(firstTwoWeeks.length);
    expect(firstTwoWeeks).toEqual(expect.arrayContaining(doneBy('learner')));
    expect(doneBy('late.joiner')).toEqual([]);
    expect(doneBy('new.starter')).toEqual([]);
    expect(doneBy('nearly.done').length).toBeGreaterThan(doneBy('learner').length);
    expect(doneBy('nearly.done').length).toBeLessThan(lessons.length);

    const counts = async () =>
      Promise.all(
        (['users', 'user_roles', 'cohorts', 'cohort_managers', 'enrolments', 'lesson_completions'] as const).map(async (table) =>
          Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        ),
      );
    const before = await counts();
    const second = await cli(['demo:seed'], { databaseFile });
    expectSuccess(second);
    expect(await counts()).toEqual(before);
    expect(second.stdout.match(/already existed/g)).toHaveLength(7);
    expect(second.stdout).toContain('Cohort "Demo cohort" already exists');
    expect(second.stdout).not.toMatch(/Password for the/);
  });
});
