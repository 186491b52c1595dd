// npm run bench: build if needed, start a production server on 127.0.0.1 with its own database,
// and measure throughput and latency with autocannon. `--quick` runs each load for 3 s; `--exam`
// runs only the exam simulation.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '~db/connect';
import { serializeSessionCookie } from '~/auth.server';
import { addDays, localDate } from '~/domain/calendar';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { hashPassword } from '~/models/password.server';
import { getQuiz, loadAttempt, startPracticeAttempt } from '~/models/attempt.server';
import { createSession } from '~/models/session.server';
import { publicItems } from '~/quiz.server';
import { insertUser } from '~/models/user.server';
import { buildScaleProgramme } from '~/cli/demo-scale.server';
import { createTakers, simulate, type SimulationFigure } from './exam-sim';
import { benchImport } from './import-bench';
import { benchStudioList } from './studio-bench';

const quick = process.argv.includes('--quick');
const DURATION = quick ? 3 : 10;
const CONNECTIONS = 50;
const PORT = 3399;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = path.resolve('tests/.tmp/bench');
const DB_FILE = path.join(DATA_DIR, 'frontline.db');
const SECRET = 'bench-session-secret-0123456789abcdef0123';
/** Both cores: the figures are for the server as it would be run on this machine. */
const WORKERS = process.env.WEB_CONCURRENCY ?? '2';

process.env.SESSION_SECRET = SECRET;

async function startServer(): Promise<ChildProcess> {
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.server.ts'], {
    env: { ...process.env, WEB_CONCURRENCY: WORKERS, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: `file:${DB_FILE}`, SESSION_SECRET: SECRET, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not start within 3 minutes');
}

/** A learner on day 10 of the track, signed in, with a week-1 practice attempt open. */
async function learnerSetup(): Promise<{ cookie: string; attemptId: number; saveBody: string }> {
  const { db } = openDatabase(DB_FILE);
  const userId = await insertUser(db, { email: 'bench@bench.test', name: 'Bench Learner', passwordHash: await hashPassword('bench password 123'), roles: ['learner'] });
  const trackId = await defaultTrackId(db);
  if (!trackId) throw new Error('no track loaded');
  await enrol(db, { userId, trackId, cohortId: null, startDate: addDays(localDate(new Date(), 'Asia/Shanghai'), -9) });
  const token = await createSession(db, { userId, limits: { idleMinutes: 600, maxDays: 1 } });
  const quiz = await getQuiz(db, { quizId: 'week-1-practice' });
  if (!quiz) throw new Error('the week-1 practice quiz is not loaded');
  const attemptId = await startPracticeAttempt(db, { userId, quiz });
  const attempt = await loadAttempt(db, { attemptId, userId, kind: 'practice' });
  const firstCase = attempt?.scenarios[0];
  const item = firstCase ? publicItems(firstCase).find((i) => i.type === 'single') : undefined;
  if (!item || item.type !== 'single') throw new Error('the first case has no single-choice item');
  // The choice ids the page shows (o1, o2…), as a browser would post them.
  const saveBody = new URLSearchParams({ case: '0', present: item.id, [`item.${item.id}`]: item.options[0]?.id ?? '' }).toString();
  await db.destroy();
  return { cookie: (await serializeSessionCookie(token)).split(';')[0] ?? '', attemptId, saveBody };
}

interface Figure {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(name: string, urlPath: string, cookie?: string, post?: string): Promise<Figure> {
  const result = await autocannon({
    url: `${BASE}${urlPath}`,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { ...(cookie ? { cookie } : {}), ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(post ? { method: 'POST' as const, body: post } : {}),
  });
  const bad = result.errors + result.timeouts + result.non2xx;
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: bad };
}

function verdict(met: boolean, target: string): string {
  return `${met ? 'met' : 'MISSED'} (${target})`;
}

function row(cells: (string | number)[]) {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 22 : 14)).join('');
}

/** The JavaScript a page makes the browser load (scripts and module preloads, and inline scripts), gzipped, in bytes. */
async function javaScriptShipped(urlPath: string, cookie: string): Promise<number> {
  const html = await (await fetch(`${BASE}${urlPath}`, { headers: { cookie } })).text();
  const sources = new Set([...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!));
  let total = 0;
  for (const source of sources) total += gzipSync(Buffer.from(await (await fetch(new URL(source, BASE))).arrayBuffer())).length;
  for (const [, inline] of html.matchAll(/<script(?![^>]*\ssrc)[^>]*>([\s\S]*?)<\/script>/g)) total += gzipSync(Buffer.from(inline ?? '')).length;
  return total;
}

/** Peak resident memory (VmHWM) of the server process and its workers, in MB (Linux /proc). */
function peakMemoryMb(rootPid: number): number | null {
  try {
    const pids = [rootPid];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === rootPid) pids.push(Number(entry));
    }
    let kb = 0;
    for (const pid of pids) kb += Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}

/** Latency of one page, asked for again and again on one connection (the figure a manager feels). */
async function latencyOf(name: string, urlPath: string, cookie: string, seconds: number) {
  const result = await autocannon({ url: `${BASE}${urlPath}`, connections: 1, duration: seconds, headers: { cookie } });
  return { name, requests: result.requests.total, p50: result.latency.p50, p95: result.latency.p97_5 ?? result.latency.p99, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** The manager view at 10,000 learners (demo:scale): the roster's first page, the funnel page, and the CSV export. */
async function managerAtScale() {
  const open = openDatabase(DB_FILE);
  console.log('\nBuilding a 10,000-learner programme (demo:scale)…');
  const built = await buildScaleProgramme(open, { learners: 10_000 });
  const adminId = await insertUser(open.db, { email: 'bench-admin@bench.test', name: 'Bench Admin', passwordHash: await hashPassword('bench password 123'), roles: ['admin'] });
  const cookie = (await serializeSessionCookie(await createSession(open.db, { userId: adminId, limits: { idleMinutes: 600, maxDays: 1 } }))).split(';')[0] ?? '';
  await open.db.destroy();
  const seconds = quick ? 3 : 10;
  const roster = await latencyOf('roster, first page', '/manage', cookie, seconds);
  const funnel = await latencyOf('the picture (funnel…)', '/manage/insights', cookie, seconds);
  // The same page recomputed on every request (?refresh), without the minute-long reuse of the figures.
  const recomputed = await latencyOf('picture, recomputed', '/manage/insights?refresh', cookie, seconds);
  // The admin sees every learner: the 10,000 built here and the bench's other learners.
  const started = performance.now();
  const csv = await fetch(`${BASE}/manage/export.csv`, { headers: { cookie } });
  const text = await csv.text();
  const exportSeconds = (performance.now() - started) / 1000;
  const rows = text.split('\r\n').filter(Boolean).length - 1;
  console.log(`\nManager view at ${built.learners.toLocaleString('en-GB')} learners (${built.answers.toLocaleString('en-GB')} saved answers), one connection\n`);
  console.log(row(['page', 'requests', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'target']));
  for (const figure of [roster, funnel]) {
    console.log(row([figure.name, figure.requests, figure.p50, figure.p95, figure.p99, figure.errors, verdict(figure.p95 < 150 && figure.errors === 0, 'p97.5<150 (so p95<150)')]));
  }
  console.log(row([recomputed.name, recomputed.requests, recomputed.p50, recomputed.p95, recomputed.p99, recomputed.errors, '(for information)']));
  console.log(row(['CSV export', `${rows} rows`, `${exportSeconds.toFixed(2)} s`, '', '', csv.ok ? 0 : 1, verdict(exportSeconds < 3 && csv.ok && rows >= built.learners, '<3 s, every row')]));
  return { learners: built.learners, answers: built.answers, roster, funnel, funnelRecomputed: recomputed, csv: { rows, seconds: Number(exportSeconds.toFixed(3)) } };
}

/** 2,000 exam-takers each loading a question and saving an answer every 30 s; then the largest load held. */
async function examSimulation() {
  const TAKERS = 2000;
  const { db } = openDatabase(DB_FILE);
  console.log(`\nPreparing ${TAKERS} exam-takers (users, sessions, drawn exams)…`);
  const takers = await createTakers(db, TAKERS, await hashPassword('bench password 123'));
  await db.destroy();
  const held = await simulate(BASE, takers, { periodMs: 30_000, durationMs: quick ? 30_000 : 60_000 });
  const show = (f: SimulationFigure, target: string) =>
    console.log(row([`${f.takers} takers/${f.periodSeconds}s`, f.requestsPerSecond.toFixed(0), f.p50, f.p95, f.p99, f.errors, target]));
  console.log('\nExam simulation: each taker loads a question page and saves an answer once per period\n');
  console.log(row(['load', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx/err', 'target']));
  show(held, verdict(held.p99 < 150 && held.errors === 0, '2,000 takers: p99<150, no error'));
  // The same takers acting k times as often: k × 2,000 takers' worth of requests.
  const ramp: SimulationFigure[] = [];
  let largest = held.p99 < 250 && held.errors === 0 ? held.takers : 0;
  for (const k of [2, 3, 4, 6, 8, 12, 16]) {
    const figure = await simulate(BASE, takers, { periodMs: 30_000 / k, durationMs: quick ? 8_000 : 20_000, equivalentTakers: TAKERS * k });
    ramp.push(figure);
    const ok = figure.p99 < 250 && figure.errors === 0;
    show(figure, ok ? 'held (p99<250)' : 'not held');
    if (!ok) break;
    largest = figure.takers;
  }
  console.log(`\nLargest number of simultaneous exam-takers held with p99 under 250 ms: ${largest.toLocaleString('en-GB')}`);
  const first = takers[0];
  const samplePage = first ? { path: `/exam/attempts/${first.attemptId}?item=1`, cookie: first.cookie } : null;
  return { held, ramp, largestHeld: largest, samplePage };
}

async function main() {
  const server = await startServer();
  try {
    // `--exam` runs only the exam simulation (it takes a few minutes; handy while working on the exam).
    if (process.argv.includes('--exam')) {
      await examSimulation();
      return;
    }
    const { cookie, attemptId, saveBody } = await learnerSetup();
    // warm up
    await measure('warm-up', '/learn', cookie);
    const trivial = await measure('trivial (/healthz)', '/healthz');
    const results: { figure: Figure; target: (f: Figure, ratio: number) => string | null }[] = [
      { figure: trivial, target: () => null },
      { figure: await measure('learner /learn', '/learn', cookie), target: () => null },
      { figure: await measure('lesson page', '/learn/lessons/the-7-day-return-rule', cookie), target: (f, ratio) => verdict(ratio >= 0.5 && f.p99 < 100 && f.errors === 0, '≥0.5×, p99<100') },
      { figure: await measure('quiz case page', `/learn/attempts/${attemptId}`, cookie), target: () => null },
      { figure: await measure('answer save (POST)', `/learn/attempts/${attemptId}/answers`, cookie, saveBody), target: (f) => verdict(f.requestsPerSecond >= 800 && f.p99 < 100 && f.errors === 0, '≥800/s, p99<100') },
    ];

    console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, on ${BASE} (WEB_CONCURRENCY=${WORKERS})\n`);
    console.log(row(['route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/err', 'ratio', 'target']));
    const report: Record<string, unknown>[] = [];
    for (const { figure, target } of results) {
      const ratio = figure.requestsPerSecond / trivial.requestsPerSecond;
      const verdictText = target(figure, ratio) ?? '';
      console.log(row([figure.name, figure.requestsPerSecond.toFixed(0), figure.p50, figure.p99, figure.errors, ratio.toFixed(2), verdictText]));
      report.push({ ...figure, ratio: Number(ratio.toFixed(3)), target: verdictText });
    }

    const exam = await examSimulation();
    const manager = await managerAtScale();
    const imported = await benchImport();
    console.log(`\nImporting a ${imported.questions.toLocaleString('en-GB')}-question GIFT file: ${(imported.ms / 1000).toFixed(2)} s — ${verdict(imported.ms < 5000, '<5 s')}`);
    const studioList = await benchStudioList();
    console.log(`Studio scenario list, ${studioList.scenarios.toLocaleString('en-GB')} scenarios, ${studioList.queries} filtered queries: p50 ${studioList.p50} ms, p95 ${studioList.p95} ms — ${verdict(studioList.p95 < 150, 'p95<150')}`);

    const BUDGET = 120 * 1024;
    const lessonJs = await javaScriptShipped('/learn/lessons/the-7-day-return-rule', cookie);
    const examPage = exam.samplePage;
    const examJs = examPage ? await javaScriptShipped(examPage.path, examPage.cookie) : 0;
    console.log('\nJavaScript shipped (gzipped)\n');
    console.log(row(['page', 'KB', 'target']));
    console.log(row(['lesson page', (lessonJs / 1024).toFixed(1), verdict(lessonJs <= BUDGET, '≤120 KB')]));
    console.log(row(['exam question page', (examJs / 1024).toFixed(1), verdict(examJs <= BUDGET, '≤120 KB')]));
    const memory = server.pid ? peakMemoryMb(server.pid) : null;
    console.log(`\nPeak memory of the server (primary and workers): ${memory ?? 'unknown'} MB`);

    fs.mkdirSync('bench', { recursive: true });
    const { samplePage: _samplePage, ...examFigures } = exam;
    fs.writeFileSync(
      'bench/results.json',
      `${JSON.stringify({ at: new Date().toISOString(), quick, workers: WORKERS, routes: report, exam: examFigures, manager, import: imported, studioList, javaScriptGzipBytes: { lesson: lessonJs, exam: examJs, budget: BUDGET }, peakMemoryMb: memory }, null, 2)}\n`,
    );
    console.log('\nWritten to bench/results.json');
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
