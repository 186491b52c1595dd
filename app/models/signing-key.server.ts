// The Ed25519 key that signs certificates. Generated on first use and kept in signing_keys; the public
// half is published at /.well-known/jwks.json so anyone can check a credential without asking us.
//
// Every key in the table stays in the published set (a credential signed before a rotation must still
// verify); the first one created signs. Imported keys are kept in memory: a verification should not
// read and import the key from the database each time.
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { sql } from 'kysely';
import type { Executor } from '~db/connect';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public key as published: with kid, alg and use. */
  publicJwk: JWK;
}

interface KeyRing {
  current: SigningKey;
  jwks: JSONWebKeySet;
  /** For jwtVerify; it imports each public key once. */
  resolve: JWTVerifyGetKey;
}

// On globalThis, like the database: the server entry and the Remix build are separate module graphs.
// Rings are per database handle, so a test that opens another database file gets that file's keys.
const store = globalThis as typeof globalThis & {
  __frontlineSigningKeys?: { imported: Map<string, SigningKey>; rings: WeakMap<object, Promise<KeyRing>> };
};
store.__frontlineSigningKeys ??= { imported: new Map(), rings: new WeakMap() };
const cache = store.__frontlineSigningKeys;

type KeyRow = { kid: string; public_jwk: string; private_jwk: string };

async function importRow(row: KeyRow): Promise<SigningKey> {
  const known = cache.imported.get(row.kid);
  if (known) return known;
  const privateJwk = JSON.parse(row.private_jwk) as JWK;
  const publicJwk = JSON.parse(row.public_jwk) as JWK;
  const privateKey = (await importJWK(privateJwk, SIGNING_ALGORITHM)) as CryptoKey;
  const key: SigningKey = { kid: row.kid, privateKey, publicJwk: { ...publicJwk, kid: row.kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
  cache.imported.set(row.kid, key);
  return key;
}

const readKeys = (db: Executor) =>
  db.selectFrom('signing_keys').select(['kid', 'public_jwk', 'private_jwk']).orderBy('created_at').orderBy('kid').execute();

/**
 * Inserts a new key only while the table is empty, in one statement: two processes starting at once
 * both generate a key, one is stored, and both then read back the same first key.
 */
async function createFirstKey(db: Executor): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  try {
    await sql`
      insert into signing_keys (kid, algorithm, public_jwk, private_jwk, created_at)
      select ${kid}, ${SIGNING_ALGORITHM}, ${JSON.stringify(publicJwk)}, ${JSON.stringify(privateJwk)}, ${new Date().toISOString()}
      where not exists (select 1 from signing_keys)
    `.execute(db);
  } catch (error) {
    // Another process wrote the first key between our read and our write: use theirs.
    if ((await readKeys(db)).length === 0) throw error;
  }
}

async function loadRing(db: Executor): Promise<KeyRing> {
  let rows = await readKeys(db);
  if (rows.length === 0) {
    await createFirstKey(db);
    rows = await readKeys(db);
  }
  const keys = await Promise.all(rows.map(importRow));
  const current = keys[0];
  if (!current) throw new Error('No signing key could be stored.');
  const jwks: JSONWebKeySet = { keys: keys.map((k) => k.publicJwk) };
  return { current, jwks, resolve: createLocalJWKSet(jwks) };
}

function keyRing(db: Executor): Promise<KeyRing> {
  let ring = cache.rings.get(db);
  if (!ring) {
    ring = loadRing(db);
    cache.rings.set(db, ring);
    // A failure (database busy) must not stick: the next request tries again.
    ring.catch(() => cache.rings.delete(db));
  }
  return ring;
}

/** The key that signs new credentials (created on first use). */
export async function getSigningKey(db: Executor): Promise<SigningKey> {
  return (await keyRing(db)).current;
}

/** The public keys, as served at /.well-known/jwks.json. */
export async function publicJwks(db: Executor): Promise<JSONWebKeySet> {
  return (await keyRing(db)).jwks;
}

/** The key resolver jwtVerify takes: one of our published keys, by the token's kid. */
export async function verificationKeys(db: Executor): Promise<JWTVerifyGetKey> {
  return (await keyRing(db)).resolve;
}
