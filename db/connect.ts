// Opening and migrating a database. Used by the server, the CLI and the tests, so each gets the
// same pragmas and the same migrations.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type SqliteDatabase, type Transaction } from 'kysely';
import { migrationProvider } from './migrations/index';
import type { Database } from './schema';

export type DB = Kysely<Database>;
/** A connection or an open transaction: what model functions take first. */
export type Executor = DB | Transaction<Database>;

export interface OpenDatabase {
  db: DB;
  sqlite: SQLite.Database;
  file: string;
}

/** `file:./data/frontline.db` or a plain path → an absolute file path. */
export function databaseFileFromUrl(url: string): string {
  if (!url.startsWith('file:') && url.includes('://')) {
    throw new Error(`DATABASE_URL "${url}" is not supported yet: use file:PATH for the embedded SQLite database.`);
  }
  const file = url.replace(/^file:/, '');
  return path.resolve(file);
}

/**
 * Kysely prepares every query anew, and preparing is most of the cost of a small SQLite query.
 * This keeps the most recent statements by their SQL text. Reuse is safe: Kysely runs one query
 * at a time on this single connection. (Streams, which could overlap, get a fresh statement.)
 */
function withStatementCache(sqlite: SQLite.Database, mapError: MapError | undefined, limit = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  const prepare = (sqlText: string) => (mapError ? mappingErrors(sqlite.prepare(sqlText), mapError) : sqlite.prepare(sqlText));
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (statement?.busy) return prepare(sqlText);
      if (!statement) {
        statement = prepare(sqlText);
        if (statements.size >= limit) statements.delete(statements.keys().next().value as string);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/** Turns an error of the database into another thrown value (see OpenOptions.mapError). */
export type MapError = (error: unknown) => unknown;

/** The statement, with errors of running it passed through `mapError`. */
function mappingErrors(statement: SQLite.Statement, mapError: MapError): SQLite.Statement {
  const run = <A extends unknown[], R>(method: (...args: A) => R) => (...args: A): R => {
    try {
      return method.apply(statement, args);
    } catch (error) {
      throw mapError(error);
    }
  };
  return new Proxy(statement, {
    get(target, property) {
      if (property === 'run' || property === 'all' || property === 'get') return run(target[property] as (...args: unknown[]) => unknown);
      // Native accessors (busy, reader…) must see the statement itself, not the proxy.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** SQLite's answer when the database cannot be written or reached right now (read-only, disk full, I/O error, locked too long). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^SQLITE_(READONLY|FULL|IOERR|BUSY|LOCKED|CANTOPEN|PROTOCOL|NOMEM)/.test(code);
}

export interface OpenOptions {
  /** Called with each error a statement throws; what it returns is thrown instead (the server turns an unavailable database into a 503). */
  mapError?: MapError;
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, options.mapError) }) });
  return { db, sqlite, file };
}

export async function migrateToLatest(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/**
 * A transaction that takes the write lock at its start (BEGIN IMMEDIATE). Kysely's transaction()
 * begins deferred: with several server processes, a transaction that reads and then writes can fail
 * at once with SQLITE_BUSY_SNAPSHOT when another process wrote in between. Taking the lock first
 * makes it wait its turn (busy_timeout) instead. Use it for every transaction that writes.
 */
export async function writeTransaction<T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
