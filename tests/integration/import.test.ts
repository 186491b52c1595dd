// Importing question banks (GIFT, Moodle XML) and scenario files into the studio: the CLI as a real
// child process on its own database copy, the model's all-or-nothing write, and the studio page's
// preview and confirm through its real action.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB, type OpenDatabase } from '~db/connect';
import { scenarioSchema } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { parseGift } from '~/domain/import/gift';
import { importQuestions } from '~/models/import.server';
import { action, loader } from '~/routes/studio.import';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';
import { BASE_DB, CONTENT_DIR, ROOT } from '../support/paths';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(ROOT, 'app', 'cli.server.ts');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'import');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-import-test-'));
const connections: OpenDatabase[] = [];

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], databaseFile: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${databaseFile}`, CONTENT_DIR }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freshDatabase(): { file: string; db: DB } {
  const file = path.join(WORK, `${randomUUID()}.db`);
  fs.copyFileSync(BASE_DB, file);
  const connection = openDatabase(file);
  connections.push(connection);
  return { file, db: connection.db };
}

afterAll(async () => {
  for (const c of connections) await c.db.destroy();
  fs.rmSync(WORK, { recursive: true, force: true });
});

async function studioCounts(database: DB) {
  const count = async (table: 'scenarios' | 'scenario_drafts' | 'audit_events') =>
    Number((await database.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { scenarios: await count('scenarios'), drafts: await count('scenario_drafts'), audit: await count('audit_events') };
}

function expectOneLineError(result: CliResult, message: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

// Each CLI run starts tsx (a few seconds on a busy machine): these get more time than the default.
describe('npm run cli -- import', { timeout: 60_000 }, () => {
  const { file, db: cliDb } = freshDatabase();

  it('prints exactly imported, skipped (line or name, reason) and byType with --json, and creates the drafts', async () => {
    const before = await studioCounts(cliDb);
    const [gift, xml] = await Promise.all([
      cli(['import', path.join(FIXTURES, 'spec-examples.gift'), '--format', 'gift', '--json'], file),
      cli(['import', path.join(FIXTURES, 'moodle-sample.xml'), '--format', 'moodle-xml', '--json'], file),
    ]);
    expect(gift.code, gift.stderr).toBe(0);
    const giftReport: unknown = JSON.parse(gift.stdout);
    expect(giftReport).toEqual({
      imported: 26,
      skipped: [
        { line: 41, reason: expect.stringMatching(/numerical/) },
        { line: 43, reason: expect.stringMatching(/numerical/) },
        { line: 121, reason: expect.stringMatching(/numerical/) },
      ],
      byType: { single: 16, written: 7, matching: 2, multiple: 1 },
    });
    expect(Object.keys(giftReport as object)).toEqual(['imported', 'skipped', 'byType']);
    expect(xml.code, xml.stderr).toBe(0);
    const xmlReport = JSON.parse(xml.stdout) as { imported: number; skipped: { name: string; reason: string }[] };
    expect(xmlReport.imported).toBe(6);
    expect(xmlReport.skipped.map((s) => Object.keys(s))).toEqual(Array(6).fill(['name', 'reason']));
    expect(xmlReport.skipped[0]).toEqual({ name: 'Refund amount', reason: expect.stringMatching(/numerical/) });

    const after = await studioCounts(cliDb);
    expect(after.scenarios - before.scenarios).toBe(32);
    expect(after.drafts - before.drafts).toBe(32);
    const drafts = await cliDb
      .selectFrom('scenarios')
      .innerJoin('scenario_drafts', 'scenario_drafts.scenario_id', 'scenarios.id')
      .select(['scenarios.id', 'scenarios.origin', 'scenarios.status', 'scenarios.current_version_id', 'scenarios.topic', 'scenario_drafts.body'])
      .where('scenarios.origin', '=', 'studio')
      .execute();
    expect(drafts).toHaveLength(32);
    expect(drafts.every((d) => d.status === 'draft' && d.current_version_id === null)).toBe(true);
    const tracking = drafts.find((d) => (JSON.parse(d.body) as { title: string }).title === 'Tracking events');
    expect(tracking?.topic).toBe('logistics-delivery');
    expect(JSON.parse(tracking?.body ?? '{}')).toMatchObject({ id: tracking?.id, items: [{ type: 'matching', points: 3, distractors: ['Refunded to the buyer'] }] });
  });

  it('writes nothing with --dry-run, and says so', async () => {
    const before = await studioCounts(cliDb);
    const [json, text] = await Promise.all([
      cli(['import', path.join(FIXTURES, 'edge-cases.gift'), '--dry-run', '--json'], file),
      cli(['import', path.join(FIXTURES, 'edge-cases.gift'), '--dry-run'], file),
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ imported: 11, byType: { single: 7, multiple: 1, matching: 1, written: 2 } });
    expect(text.stdout).toMatch(/^Would import 11 questions from edge-cases\.gift .*\(dry run: nothing was written\)\.\n/);
    expect(text.stdout).toContain('  line 48: a multiple-choice question needs at least two answers\n');
    expect(await studioCounts(cliDb)).toEqual(before);
  });

  it('refuses a missing file, a directory, a bad format or topic, and a file in the wrong format in one line', async () => {
    const before = await studioCounts(cliDb);
    const results = await Promise.all([
      cli(['import', path.join(WORK, 'missing.gift')], file),
      cli(['import', FIXTURES], file),
      cli(['import', path.join(FIXTURES, 'spec-examples.gift'), '--format', 'qti'], file),
      cli(['import', path.join(FIXTURES, 'spec-examples.gift'), '--topic', 'weather'], file),
      cli(['import', path.join(FIXTURES, 'spec-examples.gift'), '--format', 'moodle-xml'], file),
      cli(['import'], file),
    ]);
    expectOneLineError(results[0] as CliResult, /^error: Cannot read .*missing\.gift: no such file\.$/);
    expectOneLineError(results[1] as CliResult, /is a directory: name a file\.$/);
    expectOneLineError(results[2] as CliResult, /^error: --format "qti" is not one of gift, moodle-xml\.$/);
    expectOneLineError(results[3] as CliResult, /^error: --topic "weather" is not a topic/);
    expectOneLineError(results[4] as CliResult, /^error: spec-examples\.gift: This is not XML/);
    expectOneLineError(results[5] as CliResult, /^error: Name the file to import\./);
    expect(await studioCounts(cliDb)).toEqual(before);
  });
});

describe('npm run cli -- scenarios:export and scenarios:import', { timeout: 60_000 }, () => {
  const { file, db: cliDb } = freshDatabase();
  const out = path.join(WORK, 'export');

  it('writes content/-format files that the schema reads back, and imports them as drafts under free ids', async () => {
    const exported = await cli(['scenarios:export', '--out', out, '--topic', 'payments', '--json'], file);
    expect(exported.code, exported.stderr).toBe(0);
    const report = JSON.parse(exported.stdout) as { exported: number; files: string[]; skipped: unknown[] };
    expect(report.exported).toBe(3);
    expect(report.files.map((f) => path.relative(out, f)).sort()).toEqual([
      'week-3/deposit-and-balance-two-refunds.yaml',
      'week-3/deposit-refund-bounced-closed-card.yaml',
      'week-3/three-charges-on-singles-day.yaml',
    ]);
    for (const f of report.files) {
      const scenario = scenarioSchema.parse(parse(fs.readFileSync(f, 'utf8')));
      const stored = await cliDb
        .selectFrom('scenarios')
        .innerJoin('scenario_versions', 'scenario_versions.id', 'scenarios.current_version_id')
        .select('scenario_versions.body')
        .where('scenarios.id', '=', scenario.id)
        .executeTakeFirstOrThrow();
      expect(scenario).toEqual(JSON.parse(stored.body));
    }

    const before = await studioCounts(cliDb);
    const imported = await cli(['scenarios:import', out, '--json'], file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      imported: 3,
      scenarios: [
        { id: 'deposit-and-balance-two-refunds-2', from: 'deposit-and-balance-two-refunds' },
        { id: 'deposit-refund-bounced-closed-card-2', from: 'deposit-refund-bounced-closed-card' },
        { id: 'three-charges-on-singles-day-2', from: 'three-charges-on-singles-day' },
      ],
    });
    expect((await studioCounts(cliDb)).drafts - before.drafts).toBe(3);
    const draft = await cliDb.selectFrom('scenario_drafts').select('body').where('scenario_id', '=', 'three-charges-on-singles-day-2').executeTakeFirstOrThrow();
    expect(scenarioSchema.parse(JSON.parse(draft.body)).id).toBe('three-charges-on-singles-day-2');
  });

  it('imports nothing when one file has a mistake, naming the file, field and line', async () => {
    const bad = path.join(WORK, 'bad');
    fs.mkdirSync(bad, { recursive: true });
    const good = fs.readFileSync(path.join(CONTENT_DIR, 'scenarios', 'week-1', 'bank-app-refund-missed-its-date.yaml'), 'utf8');
    fs.writeFileSync(path.join(bad, 'a-good.yaml'), good);
    fs.writeFileSync(path.join(bad, 'b-bad.yaml'), good.replace('difficulty: 1', 'difficulty: 9'));
    const before = await studioCounts(cliDb);
    const result = await cli(['scenarios:import', bad], file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^b-bad\.yaml:6 \(difficulty\): Too big/m);
    expect(result.stderr).toMatch(/error: 1 problem in .*bad: nothing was imported\.\n$/);
    expect(await studioCounts(cliDb)).toEqual(before);
  });

  it('lists incomplete drafts instead of writing them', async () => {
    await cli(['import', path.join(FIXTURES, 'spec-examples.gift')], file);
    const result = await cli(['scenarios:export', '--out', path.join(WORK, 'drafts'), '--status', 'draft', '--json'], file);
    const report = JSON.parse(result.stdout) as { exported: number; skipped: { id: string; reason: string }[] };
    expect(report.exported).toBe(3);
    expect(report.skipped).toHaveLength(26);
    expect(report.skipped[0]?.reason).toMatch(/^the draft is not complete yet/);
  });
});

describe('importQuestions', () => {
  const bank = (count: number) =>
    Array.from({ length: count }, (_, i) => `::Question ${i + 1}::Which refund channel is right for case ${i + 1}? {=The original method#Yes ~Cash#No}`).join('\n\n');

  it('writes every question or none: a failure on the last one leaves nothing behind', async () => {
    const result = parseGift(bank(150));
    expect(result.questions).toHaveLength(150);
    const before = await studioCounts(db());
    // The last draft's insert fails inside the database, after the first 149 were written.
    await sql`create trigger fail_last_import before insert on scenario_drafts when new.scenario_id = 'question-150'
      begin select raise(abort, 'simulated failure'); end`.execute(db());
    try {
      await expect(importQuestions(db(), { result, createdBy: null, format: 'gift', fileName: 'bank.gift' })).rejects.toThrow(/simulated failure/);
    } finally {
      await sql`drop trigger fail_last_import`.execute(db());
    }
    expect(await studioCounts(db())).toEqual(before);
    expect(await db().selectFrom('scenarios').select('id').where('id', 'like', 'question-%').execute()).toEqual([]);

    const done = await importQuestions(db(), { result, createdBy: null, format: 'gift', fileName: 'bank.gift' });
    expect(done).toMatchObject({ imported: 150, byType: { single: 150 } });
    expect((await studioCounts(db())).drafts - before.drafts).toBe(150);
  });

  it('gives questions of the same name, and names already in the bank, ids of their own', async () => {
    const result = parseGift('::Question 1::Again? {T}\n\n::Question 1::And again? {F}');
    const done = await importQuestions(db(), { result, createdBy: null, format: 'gift', fileName: 'again.gift' });
    expect(done.scenarioIds).toEqual(['question-1-2', 'question-1-3']);
  });
});

describe('the studio import page', () => {
  let cookie = '';
  beforeAll(async () => {
    const trainer = await createUser({ roles: ['trainer'], name: 'Tara Trainer' });
    cookie = await cookieFor(trainer.id);
  });

  function upload(fields: Record<string, string | File>): Request {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    return new Request('http://localhost/studio/import', { method: 'POST', headers: { Cookie: cookie, Origin: 'http://localhost' }, body: form });
  }
  const giftFile = (name: string) => new File([fs.readFileSync(path.join(FIXTURES, name))], name, { type: 'text/plain' });

  it('offers the topics for questions without a matching category', async () => {
    const response = await call(loader, makeRequest('/studio/import', { cookie }));
    expect(response.status).toBe(200);
    const page = (await response.json()) as { topics: { id: string }[]; defaultTopic: string };
    expect(page.topics).toHaveLength(13);
  });

  it('previews a file without writing, then imports it as drafts on confirm', async () => {
    const before = await studioCounts(db());
    const previewResponse = await call(action, upload({ intent: 'preview', format: 'auto', topic: 'fraud-abuse', file: giftFile('spec-examples.gift') }));
    expect(previewResponse.status).toBe(200);
    const preview = (await previewResponse.json()) as {
      kind: string;
      format: string;
      topic: string;
      fileName: string;
      text: string;
      byType: Record<string, number>;
      questions: { where: string; name: string; type: string; topic: string; fromCategory: boolean; notes: string[] }[];
      skipped: { line: number; reason: string }[];
    };
    expect(preview).toMatchObject({ kind: 'preview', format: 'gift', fileName: 'spec-examples.gift', byType: { single: 16, written: 7, matching: 2, multiple: 1 } });
    expect(preview.questions).toHaveLength(26);
    expect(preview.questions[0]).toEqual({ where: 'line 5', name: "Who's buried in Grant's tomb?", type: 'single choice', topic: 'Fraud and abuse', fromCategory: false, notes: [] });
    expect(preview.questions.find((q) => q.name === 'Q1')).toMatchObject({ topic: 'Privacy and safety', fromCategory: true });
    expect(preview.skipped.map((s) => s.line)).toEqual([41, 43, 121]);
    expect(await studioCounts(db())).toEqual(before);

    const confirm = await call(
      action,
      makeRequest('/studio/import', { cookie, form: { intent: 'confirm', format: preview.format, topic: preview.topic, fileName: preview.fileName, text: preview.text } }),
    );
    expect(confirm.status).toBe(200);
    const done = (await confirm.json()) as { kind: string; imported: number; skipped: number; scenarioIds: string[] };
    expect(done).toMatchObject({ kind: 'done', imported: 26, skipped: 3 });
    const after = await studioCounts(db());
    expect(after.drafts - before.drafts).toBe(26);
    expect(after.audit - before.audit).toBe(1);
    const first = await db()
      .selectFrom('scenarios')
      .innerJoin('scenario_drafts', 'scenario_drafts.scenario_id', 'scenarios.id')
      .select(['scenarios.topic', 'scenarios.status', 'scenario_drafts.updated_by', 'scenario_drafts.body'])
      .where('scenarios.id', '=', done.scenarioIds[0] ?? '')
      .executeTakeFirstOrThrow();
    expect(first).toMatchObject({ topic: 'fraud-abuse', status: 'draft' });
    expect(first.updated_by).not.toBeNull();
    expect(JSON.parse(first.body)).toMatchObject({ summary: expect.stringMatching(/^Imported from the GIFT file “spec-examples\.gift” \(line 5\)/) });
  });

  it('detects Moodle XML and reports its skipped questions by name', async () => {
    const file = new File([fs.readFileSync(path.join(FIXTURES, 'moodle-sample.xml'))], 'bank.xml', { type: 'text/xml' });
    const response = await call(action, upload({ intent: 'preview', format: 'auto', topic: 'payments', file }));
    const preview = (await response.json()) as { format: string; questions: unknown[]; skipped: { name: string }[] };
    expect(preview.format).toBe('moodle-xml');
    expect(preview.questions).toHaveLength(6);
    expect(preview.skipped.map((s) => s.name)).toEqual(['Refund amount', 'Pro rata voucher', 'Drag the right words', 'Read this first', 'Bad fraction', 'Cloze question']);
  });

  it('shows the reason next to the file field: no file, a file too large, a file it cannot read', async () => {
    const errorsOf = async (response: Response) => ((await response.json()) as { errors: Record<string, string[]> }).errors;
    const before = await studioCounts(db());

    const none = await call(action, upload({ intent: 'preview', format: 'auto', topic: 'payments' }));
    expect(none.status).toBe(400);
    expect((await errorsOf(none)).file).toEqual(['Choose a GIFT or Moodle XML file to import.']);

    const big = new File(['::Q::A question {T}\n\n'.repeat(120_000)], 'big.gift');
    const tooLarge = await call(action, upload({ intent: 'preview', format: 'gift', topic: 'payments', file: big }));
    expect(tooLarge.status).toBe(413);
    expect((await errorsOf(tooLarge)).file?.[0]).toMatch(/larger than 2 MB/);

    const broken = await call(action, upload({ intent: 'preview', format: 'moodle-xml', topic: 'payments', file: new File(['<quiz><question>'], 'broken.xml') }));
    expect(broken.status).toBe(400);
    expect((await errorsOf(broken)).file?.[0]).toMatch(/^Moodle XML: The file is not well-formed XML/);

    const binary = await call(action, upload({ intent: 'preview', format: 'gift', topic: 'payments', file: new File([new Uint8Array([0xff, 0xfe, 0x00, 0xc3])], 'x.gift') }));
    expect((await errorsOf(binary)).file).toEqual(['The file is not UTF-8 text: save it as UTF-8 and upload it again.']);
    expect(await studioCounts(db())).toEqual(before);
  });
});
