// The one database connection of the process. Kept on globalThis because the server entry (run by
// tsx) and the Remix server build are separate module graphs in the same process, and must share it.
import { databaseFileFromUrl, isDatabaseUnavailable, openDatabase, type DB, type OpenDatabase } from '~db/connect';
import { env } from '~/env.server';
import { inRequestScope } from '~/request-scope.server';

const globalStore = globalThis as typeof globalThis & { __frontlineDb?: OpenDatabase };

/**
 * During an HTTP request, a database that cannot be written or reached right now (read-only, disk
 * full, locked for too long) answers 503 "try again shortly" (the error page, or the resource
 * route's response) instead of a 500; the transaction in progress is rolled back, so nothing is half
 * written. Outside a request (jobs, CLI) the error stays as it is.
 */
function unavailableAsResponse(error: unknown): unknown {
  if (!inRequestScope() || !isDatabaseUnavailable(error)) return error;
  console.error(`[frontline] database unavailable: ${error instanceof Error ? error.message : String(error)}`);
  return new Response('Frontline cannot save right now. Your work up to the last save is safe; try again shortly.', {
    status: 503,
    headers: { 'Retry-After': '30', 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

export function getDatabase(): OpenDatabase {
  globalStore.__frontlineDb ??= openDatabase(databaseFileFromUrl(env().DATABASE_URL), { mapError: unavailableAsResponse });
  return globalStore.__frontlineDb;
}

export function db(): DB {
  return getDatabase().db;
}

export async function closeDatabase(): Promise<void> {
  const open = globalStore.__frontlineDb;
  if (!open) return;
  globalStore.__frontlineDb = undefined;
  await open.db.destroy();
}
