// The one database connection of the process. Kept on globalThis because the server entry (run by
// tsx) and the Remix server build are separate module graphs in the same process, and must share it.
import { databaseFileFromUrl, openDatabase, type DB, type OpenDatabase } from '~db/connect';
import { env } from '~/env.server';

const globalStore = globalThis as typeof globalThis & { __frontlineDb?: OpenDatabase };

export function getDatabase(): OpenDatabase {
  globalStore.__frontlineDb ??= openDatabase(databaseFileFromUrl(env().DATABASE_URL));
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
