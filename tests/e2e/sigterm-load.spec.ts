// SIGTERM while the server is busy: 30 clients keep requesting pages and health checks over kept-alive
// connections; the operator stops the server. Every request that got an answer got a whole, valid one
// (no 5xx, no cut-off body), a request half-sent at the signal is still answered, new connections are
// refused at once, and the process exits 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openDatabase } from '~db/connect';

const PORT = 3316;
const BASE = `http://127.0.0.1:${PORT}`;
const ROOT = process.cwd();
const LOOPS = 30;

let started: ReturnType<typeof startServer> | undefined;
// A failed test must not leave its server holding the port.
test.afterEach(() => {
  if (started && started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
});

function startServer(dataDir: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${path.join(dataDir, 'frontline.db')}`,
    FRONTLINE_SKIP_BUILD: '1',
    NODE_ENV: 'production',
  };
  delete env.SESSION_SECRET;
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.server.ts'], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The error code behind a failed fetch (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? (error as { code?: string }).code ?? String(error);
}

/** Resolves with the connection's fate: 'connected' or the error code (ECONNREFUSED once the server stopped listening). */
function tryConnect(): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(PORT, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

interface Outcome {
  path: string;
  sentAt: number;
  endedAt: number;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  /** What was wrong with the answer (null: a whole, valid one), or the error when none came. */
  problem: string | null;
  errorCode: string | null;
}

/** One request, and whether its answer is whole: the health check's JSON, the sign-in page's whole document. */
async function request(target: string): Promise<Outcome> {
  const sentAt = performance.now();
  let response: Response;
  try {
    response = await fetch(`${BASE}${target}`, { redirect: 'manual' });
  } catch (error) {
    return { path: target, sentAt, endedAt: performance.now(), status: null, problem: null, errorCode: errorCode(error) };
  }
  let problem: string | null = null;
  try {
    const body = Buffer.from(await response.arrayBuffer());
    const declared = response.headers.get('content-length');
    if (response.status >= 500) problem = `status ${response.status}`;
    else if (declared !== null && Number(declared) !== body.length) problem = `${body.length} of ${declared} bytes`;
    else if (target === '/healthz' && (response.status !== 200 || JSON.parse(body.toString('utf8')).status !== 'ok')) problem = `health ${response.status} ${body.toString('utf8')}`;
    else if (target === '/login' && (response.status !== 200 || !body.toString('utf8').includes('</html>'))) problem = `sign-in page ${response.status}, ${body.length} bytes, not a whole document`;
  } catch (error) {
    problem = `body cut off: ${errorCode(error)}`;
  }
  return { path: target, sentAt, endedAt: performance.now(), status: response.status, problem, errorCode: null };
}

test('SIGTERM under load: requests in flight finish, new ones are refused, the process exits 0', async () => {
  test.setTimeout(120_000);
  const dataDir = path.join(ROOT, 'tests/.tmp/sigterm-load');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const server = startServer(dataDir);
  started = server;
  await expect
    .poll(async () => (await fetch(`${BASE}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
    .toBe(200);
  // Set-up done, so /login is the sign-in page itself rather than a redirect to /setup.
  const database = openDatabase(path.join(dataDir, 'frontline.db'));
  await database.db.insertInto('instance').values({ id: 1, setup_completed_at: new Date().toISOString() }).execute();
  await database.db.destroy();
  expect((await fetch(`${BASE}/login`, { redirect: 'manual' })).status).toBe(200);

  // The load: each loop asks for the health check and the sign-in page in turn until a request fails.
  const outcomes: Outcome[] = [];
  let signalAt = Number.POSITIVE_INFINITY;
  const loops = Array.from({ length: LOOPS }, async (_, index) => {
    for (let n = index; ; n++) {
      const outcome = await request(n % 2 === 0 ? '/healthz' : '/login');
      outcomes.push(outcome);
      if (outcome.status === null) return;
      if (outcome.problem) return;
      // A loop that still gets answers long after the signal means the server never stopped.
      if (outcome.sentAt > signalAt + 15_000) return;
    }
  });

  // A request in flight at the signal: its headers and half of its body are sent before SIGTERM.
  const body = 'email=someone%40example.com&password=not-the-password';
  const halfSent = http.request({ host: '127.0.0.1', port: PORT, method: 'POST', path: '/login', agent: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } });
  const halfSentAnswer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    halfSent.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    halfSent.on('error', reject);
  });
  halfSent.write(body.slice(0, 10));

  // Well under way: every loop has had answers.
  await expect.poll(() => outcomes.filter((o) => o.status !== null).length, { timeout: 30_000 }).toBeGreaterThan(LOOPS * 10);
  const beforeSignal = outcomes.length;
  signalAt = performance.now();
  server.child.kill('SIGTERM');
  await expect.poll(() => server.output(), { timeout: 5_000 }).toContain('SIGTERM received');

  // New connections are refused within a short time of the signal, while the process finishes up.
  await expect.poll(tryConnect, { timeout: 2_000, intervals: [20] }).toBe('ECONNREFUSED');
  const refusedAfterMs = performance.now() - signalAt;

  halfSent.end(body.slice(10));
  const halfSentResult = await halfSentAnswer;
  await Promise.all(loops);
  const code = await server.exited;

  const answered = outcomes.filter((o) => o.status !== null);
  const failed = outcomes.filter((o) => o.status === null);
  const answeredAcrossSignal = answered.filter((o) => o.sentAt < signalAt && o.endedAt > signalAt);
  const failedCodes = [...new Set(failed.map((o) => o.errorCode))];
  test.info().annotations.push({
    type: 'load',
    description: `${outcomes.length} requests (${beforeSignal} before the signal); ${answered.length} answered, ${answeredAcrossSignal.length} of them in flight at the signal; ${failed.length} not answered (${failedCodes.join(', ')}); new connections refused ${Math.round(refusedAfterMs)} ms after SIGTERM`,
  });

  // Every answer is whole and valid: no 5xx, no cut-off body, the right document.
  expect(answered.filter((o) => o.problem !== null).map((o) => `${o.path}: ${o.problem}`)).toEqual([]);
  // Requests in flight at the signal were answered, including the one whose body was still arriving.
  expect(answeredAcrossSignal.length).toBeGreaterThan(0);
  expect(halfSentResult.status).toBe(400); // the sign-in page again, saying the password is wrong
  expect(halfSentResult.body).toContain('</html>');
  // Only after the signal did a request go unanswered, and only because its connection was refused or
  // closed before it was taken up (a kept-alive connection the stopping server closed while idle).
  expect(failed.filter((o) => o.sentAt < signalAt).map((o) => `${o.path}: ${o.errorCode}`)).toEqual([]);
  expect(failedCodes.filter((c) => !['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(c ?? ''))).toEqual([]);
  // Every loop ended on a refused or closed connection, not by running on: the server stopped serving.
  expect(failed).toHaveLength(LOOPS);
  expect(failed.some((o) => o.errorCode === 'ECONNREFUSED')).toBe(true);

  expect(code).toBe(0);
  expect(server.output()).toContain('Stopped.');
});
