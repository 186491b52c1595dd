// npm start as an operator sees it: the generated session secret, refusing invalid content, and a
// clean stop on SIGTERM. Each test starts its own server process on the production build.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const PORT = 3313;
const ROOT = process.cwd();

function startServer(dataDir: string, extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(dataDir, 'frontline.db')}`, FRONTLINE_SKIP_BUILD: '1', ...extraEnv };
  delete env.SESSION_SECRET;
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.server.ts'], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitForHealthy() {
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${PORT}/healthz`).catch(() => null))?.status ?? 0, { timeout: 30_000 })
    .toBe(200);
}

test.describe.configure({ mode: 'serial' });

test('generates a session secret once, serves, and stops cleanly on SIGTERM', async () => {
  const dataDir = path.join(ROOT, 'tests/.tmp/lifecycle');
  fs.rmSync(dataDir, { recursive: true, force: true });

  const first = startServer(dataDir);
  await waitForHealthy();
  expect(first.output()).toContain('SESSION_SECRET is not set: generated one');
  const secretFile = path.join(dataDir, 'session-secret');
  expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
  const secret = fs.readFileSync(secretFile, 'utf8');

  // A request in flight when SIGTERM arrives (its body only half sent) still gets its answer.
  const body = 'email=someone%40example.com&password=not-the-password';
  const request = http.request({ host: '127.0.0.1', port: PORT, method: 'POST', path: '/login', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } });
  const answered = new Promise<number>((resolve, reject) => {
    request.on('response', (response) => resolve(response.statusCode ?? 0));
    request.on('error', reject);
  });
  request.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the server read the headers
  first.child.kill('SIGTERM');
  await expect.poll(() => first.output()).toContain('SIGTERM received');
  request.end(body.slice(10));
  expect(await answered).toBe(302); // answered normally: no administrator yet, so to /setup
  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('Stopped.');

  const second = startServer(dataDir);
  await waitForHealthy();
  expect(second.output()).toContain('using the one kept');
  expect(fs.readFileSync(secretFile, 'utf8')).toBe(secret);
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
});

test('refuses to start on invalid content, naming the file, field and line', async () => {
  const dataDir = path.join(ROOT, 'tests/.tmp/lifecycle-bad');
  const contentDir = path.join(dataDir, 'content');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'content'), contentDir, { recursive: true });
  const lesson = path.join(contentDir, 'lessons/week-2/d08-the-7-day-return-rule.md');
  fs.writeFileSync(lesson, fs.readFileSync(lesson, 'utf8').replace(/^day: 8$/m, 'day: eight'));

  const server = startServer(dataDir, { CONTENT_DIR: contentDir });
  expect(await server.exited).toBe(1);
  expect(server.output()).toMatch(/lessons\/week-2\/d08-the-7-day-return-rule\.md:5 \(day\): /);
});

test('with WEB_CONCURRENCY=2 two workers share the port and all stop on SIGTERM', async () => {
  const dataDir = path.join(ROOT, 'tests/.tmp/lifecycle-cluster');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const server = startServer(dataDir, { WEB_CONCURRENCY: '2' });
  await waitForHealthy();
  const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.status)));
  expect(answers.every((status) => status === 200)).toBe(true);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(server.output()).toContain('Stopped.');
});
