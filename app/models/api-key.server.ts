// API keys for machines (the helpdesk) that ask the API who may take live chats. A key is shown once
// when it is made and never stored: the database keeps its SHA-256 and its first characters, so an
// admin can tell keys apart and a stolen database file does not hand out working keys.
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { ApiKeysTable } from '~db/schema';
import { nowIso } from './sql.server';
import { recordAudit } from './user.server';

export type ApiKey = Selectable<ApiKeysTable>;

/** Every key starts so: a secret scanner (or a person) can recognise one pasted where it should not be. */
export const API_KEY_PREFIX = 'fl_live_';
/** How much of the key is kept to tell keys apart: "fl_live_" and 4 random characters (24 bits). */
const SHOWN_CHARACTERS = 12;
/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_PRECISION_MS = 60_000;
/** 32 random bytes in base64url are 43 characters. */
const KEY_PATTERN = /^fl_live_[A-Za-z0-9_-]{43}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Makes a key, audited. The returned `key` is the only copy: show it once. */
export async function createApiKey(db: DB, args: { name: string; createdBy: number | null; now?: Date }): Promise<{ id: number; key: string; prefix: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, SHOWN_CHARACTERS);
  const at = nowIso(args.now);
  return writeTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('api_keys')
      .values({ name: args.name.trim(), prefix, key_hash: hashApiKey(key), created_by: args.createdBy, created_at: at, last_used_at: null, revoked_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorId: args.createdBy, action: 'apikey.created', details: { apiKeyId: id, name: args.name.trim(), prefix }, now: args.now });
    return { id, key, prefix };
  });
}

export interface ApiKeyListing {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Every key, those in use first, newest first. */
export async function listApiKeys(db: Executor): Promise<ApiKeyListing[]> {
  const rows = await db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.created_at', 'api_keys.last_used_at', 'api_keys.revoked_at', 'users.name as created_by_name'])
    .orderBy((eb) => eb('api_keys.revoked_at', 'is', null), 'desc')
    .orderBy('api_keys.created_at', 'desc')
    .orderBy('api_keys.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    createdByName: r.created_by_name,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

export type RevokeResult = { ok: true; name: string } | { ok: false; reason: string };

/** Revokes a key: the next request with it gets a 401. Audited. */
export async function revokeApiKey(db: DB, args: { apiKeyId: number; actorId: number | null; now?: Date }): Promise<RevokeResult> {
  const at = nowIso(args.now);
  return writeTransaction(db, async (trx) => {
    const revoked = await trx
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', args.apiKeyId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name', 'prefix'])
      .executeTakeFirst();
    if (!revoked) return { ok: false, reason: 'This key does not exist or is already revoked.' };
    await recordAudit(trx, { actorId: args.actorId, action: 'apikey.revoked', details: { apiKeyId: revoked.id, name: revoked.name, prefix: revoked.prefix }, now: args.now });
    return { ok: true, name: revoked.name };
  });
}

/**
 * The unrevoked key row for a presented key, or null.
 *
 * No constant-time comparison is needed: the key is looked up by its SHA-256, never compared with a
 * stored secret. How long the lookup takes can at most tell an attacker something about the hash of
 * their own guess, and learning the hash of a stored key would not give them a key that hashes to it.
 */
export async function authenticateApiKey(db: Executor, key: string, now = new Date()): Promise<ApiKey | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashApiKey(key)).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row) return null;
  // One write a minute per key at most, rather than one per request: the helpdesk may ask often,
  // and on SQLite every write takes the only write lock.
  const cutoff = new Date(now.getTime() - LAST_USED_PRECISION_MS).toISOString();
  if (row.last_used_at === null || row.last_used_at <= cutoff) {
    const at = now.toISOString();
    await db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', cutoff)]))
      .execute();
    return { ...row, last_used_at: at };
  }
  return row;
}
