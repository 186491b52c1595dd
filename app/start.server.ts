// `npm start`: prepare the data directory, migrate, load content/, build when needed, and serve.
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { databaseFileFromUrl, migrateToLatest } from '~db/connect';
import { formatContentError, loadContent } from '~/content/load.server';
import { closeDatabase, getDatabase } from '~/db.server';
import { env, resetEnvCache } from '~/env.server';
import { createHttpApp } from '~/http.server';
import { startJobs, type JobRunner } from '~/jobs.server';
import { syncContent } from '~/models/content.server';

// React and Remix pick their production code paths from NODE_ENV; `npm start` serves production.
process.env.NODE_ENV ??= 'production';

const ROOT = process.cwd();
const BUILD_DIR = path.join(ROOT, 'build');
const SERVER_BUILD = path.join(BUILD_DIR, 'server', 'index.js');

function log(message: string) {
  console.log(`[frontline] ${message}`);
}

function fail(message: string): never {
  console.error(`[frontline] ${message}`);
  process.exit(1);
}

/** SESSION_SECRET from the environment, or one generated once and kept beside the database. */
function ensureSessionSecret(dataDir: string) {
  if (process.env.SESSION_SECRET) return;
  const file = path.join(dataDir, 'session-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    log(`SESSION_SECRET is not set: generated one in ${path.relative(ROOT, file)} (owner-only; kept for later starts).`);
  } else {
    log(`SESSION_SECRET is not set: using the one kept in ${path.relative(ROOT, file)}.`);
  }
  process.env.SESSION_SECRET = fs.readFileSync(file, 'utf8').trim();
  resetEnvCache();
}

/** The newest modification time among everything the build is made from. */
function newestSourceTime(): number {
  const inputs = ['app', 'db', 'public', 'remix.config.js', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];
  let newest = 0;
  for (const input of inputs) {
    const full = path.join(ROOT, input);
    if (!fs.existsSync(full)) continue;
    const files = fs.statSync(full).isDirectory()
      ? fs.readdirSync(full, { recursive: true, encoding: 'utf8' }).map((f) => path.join(full, f))
      : [full];
    for (const file of files) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  if (fs.existsSync(SERVER_BUILD) && fs.statSync(SERVER_BUILD).mtimeMs >= newestSourceTime()) return;
  log('Building the application (the build is missing or older than the source)…');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js'), 'vite:build'], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  if (result.status !== 0) fail('The build failed; see the output above.');
}

/** Prepares the data directory, database and content; run once, by the primary process. */
async function prepare(config: ReturnType<typeof env>) {
  const dbFile = databaseFileFromUrl(config.DATABASE_URL);
  const { db } = getDatabase();
  await migrateToLatest(db);
  log(`Database ready: ${path.relative(ROOT, dbFile) || dbFile}`);

  const loaded = loadContent(path.resolve(config.CONTENT_DIR));
  if (!loaded.ok) {
    fail(`Content in ${config.CONTENT_DIR} is invalid, so Frontline will not start:\n${loaded.errors.map((e) => `  ${formatContentError(e)}`).join('\n')}`);
  }
  const synced = await syncContent(db, loaded.content);
  log(
    `Content loaded: ${loaded.content.lessons.length} lessons (${synced.created} new, ${synced.updated} updated, ${synced.retired} retired), ` +
      `${loaded.content.scenarios.length} scenarios (${synced.scenarios.created} new, ${synced.scenarios.versioned} new versions, ${synced.scenarios.retired} retired), ` +
      `${loaded.content.quizzes.length} quizzes, ${loaded.content.policies.length} handbook parts.`,
  );
  if (process.env.FRONTLINE_SKIP_BUILD !== '1') buildIfStale();
}

/** Serves HTTP until SIGTERM/SIGINT: then stops accepting, lets requests in flight finish, closes the database. */
async function serve(config: ReturnType<typeof env>, onStopped: () => void) {
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  const app = createHttpApp({
    build,
    clientDir: path.join(BUILD_DIR, 'client'),
    trustProxy: config.TRUST_PROXY,
    appOrigin: config.APP_ORIGIN,
  });

  const server: Server = app.listen(config.PORT, config.HOST, () => {
    if (cluster.isWorker && cluster.worker?.id !== 1) return;
    const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    log(`Listening on http://${shown}:${config.PORT}`);
  });
  server.on('error', (error) => fail(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`));

  // Background jobs run once per deployment: here when this is the only process, else in the primary.
  const jobs: JobRunner | null = cluster.isWorker ? null : startJobs(getDatabase().db);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const jobsStopped = jobs ? jobs.stop() : Promise.resolve();
    server.close(() => void jobsStopped.then(closeDatabase).then(onStopped));
    // Answers from now on say "Connection: close", so a client's kept-alive connection ends after its
    // next answer. Idle keep-alive connections are closed only after a second: closing one at once
    // would reset a request the client had just sent on it (sent before the signal, not yet read).
    server.on('request', (_req, res: ServerResponse) => res.setHeader('Connection', 'close'));
    setTimeout(() => {
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), 100).unref();
    }, 1_000).unref();
    // Keep-alive connections that stay busy get a deadline; a request in flight has 10 s to finish.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main() {
  const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY ?? '1') || 1);
  if (cluster.isWorker) {
    await serve(env(), () => process.exit(0));
    return;
  }
  let config = env();
  ensureSessionSecret(path.dirname(databaseFileFromUrl(config.DATABASE_URL)));
  config = env();
  await prepare(config);

  const announce = (signal: string) => log(`${signal} received: finishing requests in flight, then closing the database.`);
  const stopped = () => {
    log('Stopped.');
    process.exit(0);
  };
  if (workers === 1) {
    process.once('SIGTERM', () => announce('SIGTERM'));
    process.once('SIGINT', () => announce('SIGINT'));
    await serve(config, stopped);
    return;
  }

  // Several worker processes share the port; the primary starts and stops them and runs the background jobs.
  const jobs = startJobs(getDatabase().db);
  for (let i = 0; i < workers; i++) cluster.fork();
  let running = workers;
  cluster.on('exit', (worker, code) => {
    running -= 1;
    if (!shuttingDown && code !== 0) {
      log(`Worker ${worker.id} exited with code ${code}; starting another.`);
      running += 1;
      cluster.fork();
    } else if (running === 0) void jobs.stop().then(closeDatabase).then(stopped);
  });
  let shuttingDown = false;
  const stopAll = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    announce(signal);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
