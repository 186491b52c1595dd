// The server is killed (SIGKILL: no clean-up, no chance to flush) while a learner's exam answers are
// being saved. After a restart every save the server had acknowledged is there, and the exam's
// deadline is what it was. The saves go through HTTP exactly as the exam page's autosave sends them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { migrateToLatest, openDatabase } from '~db/connect';
import { serializeSessionCookie } from '~/auth.server';
import { formatContentError, loadContent } from '~/content/load.server';
import { presentItemToLearner } from '~/domain/presentation';
import { loadAttempt } from '~/models/attempt.server';
import { syncContent } from '~/models/content.server';
import { getExam, startExamAttempt } from '~/models/exam.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { createSession } from '~/models/session.server';
import { insertUser } from '~/models/user.server';

const PORT = 3314;
const ROOT = process.cwd();
const DATA_DIR = path.join(ROOT, 'tests/.tmp/exam-faults');
const DB_FILE = path.join(DATA_DIR, 'frontline.db');
const BASE = `http://127.0.0.1:${PORT}`;

function startServer() {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: `file:${DB_FILE}`, FRONTLINE_SKIP_BUILD: '1', NODE_ENV: 'production' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited };
}

async function waitForHealthy() {
  await expect.poll(async () => (await fetch(`${BASE}/healthz`).catch(() => null))?.status ?? 0, { timeout: 30_000 }).toBe(200);
}

interface Ack {
  seq: number;
  text: string | null;
}

test('SIGKILL while exam answers are saved: every acknowledged save survives, the deadline is unchanged', async () => {
  test.setTimeout(120_000);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(DATA_DIR, { recursive: true });

  // A database with the shipped content and a learner with an exam in progress.
  const { db } = openDatabase(DB_FILE);
  await migrateToLatest(db);
  const loaded = loadContent(path.join(ROOT, 'content'));
  if (!loaded.ok) throw new Error(loaded.errors.map(formatContentError).join('\n'));
  await syncContent(db, loaded.content);
  const userId = await insertUser(db, { email: 'kill@e2e.test', name: 'Kill Test', passwordHash: 'x', roles: ['learner'] });
  await enrol(db, { userId, trackId: (await defaultTrackId(db))!, cohortId: null, startDate: '2026-01-01' });
  const exam = await getExam(db, { examId: 'returns-refunds-certification' });
  const started = await startExamAttempt(db, { userId, exam: exam! });
  if (!started.ok) throw new Error(started.reason);
  const attemptId = started.attemptId;
  const before = await db.selectFrom('attempts').select(['deadline_at']).where('id', '=', attemptId).executeTakeFirstOrThrow();
  const token = await createSession(db, { userId, limits: { idleMinutes: 60, maxDays: 1 } });
  const cookie = (await serializeSessionCookie(token)).split(';')[0]!;

  // Single-choice and written questions: their form fields are simple to write by hand.
  const attempt = await loadAttempt(db, { attemptId, userId, kind: 'exam' });
  const targets = attempt!.scenarios.flatMap((s) => {
    const item = s.scenario.items.find((i) => i.id === s.items[0]?.key);
    if (!item || (item.type !== 'single' && item.type !== 'written')) return [];
    const shown = presentItemToLearner(item, s.seed);
    const choices = shown.type === 'single' ? shown.options.map((o) => o.id) : [];
    return [{ position: s.position, id: item.id, type: item.type, choices }];
  });
  expect(targets.length).toBeGreaterThanOrEqual(4);
  await db.destroy();

  const server = startServer();
  await waitForHealthy();

  const acks = new Map<number, Ack>();
  let stop = false;
  let acknowledged = 0;
  const saver = async (target: (typeof targets)[number]) => {
    let seq = 0;
    for (let n = 1; !stop; n++) {
      const form = new URLSearchParams({ item: String(target.position), seq: String(seq), present: target.id });
      const text = target.type === 'written' ? `Reply draft ${n} for question ${target.position + 1}.` : null;
      form.set(`item.${target.id}`, text ?? target.choices[n % target.choices.length]!);
      const response = await fetch(`${BASE}/exam/attempts/${attemptId}/answers`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: BASE, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form,
      }).catch(() => null);
      if (!response) return; // the server is gone: this save was never acknowledged
      const body = (await response.json().catch(() => null)) as { seq?: number } | null;
      if (response.status !== 200 || typeof body?.seq !== 'number') throw new Error(`save refused: ${response.status} ${JSON.stringify(body)}`);
      seq = body.seq;
      acks.set(target.position, { seq, text });
      acknowledged += 1;
    }
  };
  const savers = targets.map(saver);
  // Kill mid-stream, once a good number of saves has been acknowledged.
  await expect.poll(() => acknowledged, { timeout: 30_000 }).toBeGreaterThan(150);
  server.child.kill('SIGKILL');
  expect(await server.exited).toBe('SIGKILL');
  stop = true;
  await Promise.all(savers);

  // Restart on the same files: the server recovers the write-ahead log as it opens the database.
  const again = startServer();
  await waitForHealthy();
  const reopened = openDatabase(DB_FILE);
  try {
    const rows = await reopened.db
      .selectFrom('attempt_items')
      .select(['scenario_position', 'save_seq', 'response'])
      .where('attempt_id', '=', attemptId)
      .execute();
    let checked = 0;
    for (const [position, ack] of acks) {
      const row = rows.find((r) => r.scenario_position === position)!;
      // A save in flight at the kill may have been written without its answer reaching us: never fewer.
      expect(row.save_seq, `question ${position + 1}`).toBeGreaterThanOrEqual(ack.seq);
      expect(row.response).not.toBeNull();
      if (row.save_seq === ack.seq && ack.text !== null) {
        expect(JSON.parse(row.response!)).toEqual({ text: ack.text });
        checked++;
      }
    }
    expect(acks.size).toBe(targets.length);
    expect(checked).toBeGreaterThan(0);
    const after = await reopened.db.selectFrom('attempts').select(['deadline_at', 'status']).where('id', '=', attemptId).executeTakeFirstOrThrow();
    expect(after.deadline_at).toBe(before.deadline_at);
    expect(after.status).toBe('in_progress');

    // And the learner carries on where they were.
    const page = await fetch(`${BASE}/exam/attempts/${attemptId}?item=${targets[0]!.position + 1}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
  } finally {
    await reopened.db.destroy();
    again.child.kill('SIGTERM');
    await again.exited;
  }
});
