// Failed sign-ins, counted per account and per client address (see app/domain/throttle.ts).
import { type DB, type Executor, writeTransaction } from '~db/connect';
import { ACCOUNT_POLICY, ADDRESS_POLICY, recordFailure, secondsLocked, type ThrottleState } from '~/domain/throttle';

function keysFor(email: string, clientAddress: string) {
  return [
    { key: `account:${email.trim().toLowerCase()}`, policy: ACCOUNT_POLICY },
    { key: `address:${clientAddress}`, policy: ADDRESS_POLICY },
  ];
}

async function readState(db: Executor, key: string): Promise<ThrottleState | null> {
  const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return null;
  return {
    failures: row.failures,
    windowStartedAt: Date.parse(row.window_started_at),
    lockedUntil: row.locked_until ? Date.parse(row.locked_until) : null,
  };
}

/** Seconds the caller must wait before another sign-in attempt (0 = go ahead). */
export async function signInWait(db: DB, args: { email: string; clientAddress: string; now?: number }): Promise<number> {
  const now = args.now ?? Date.now();
  let wait = 0;
  for (const { key } of keysFor(args.email, args.clientAddress)) {
    wait = Math.max(wait, secondsLocked(await readState(db, key), now));
  }
  return wait;
}

export async function recordSignInFailure(db: DB, args: { email: string; clientAddress: string; now?: number }): Promise<void> {
  const now = args.now ?? Date.now();
  await writeTransaction(db, async (trx) => {
    for (const { key, policy } of keysFor(args.email, args.clientAddress)) {
      const next = recordFailure(await readState(trx, key), now, policy);
      const values = {
        failures: next.failures,
        window_started_at: new Date(next.windowStartedAt).toISOString(),
        locked_until: next.lockedUntil ? new Date(next.lockedUntil).toISOString() : null,
      };
      await trx
        .insertInto('login_throttle')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
    }
  });
}

/** A successful sign-in clears the account's count (the address keeps its own). */
export async function clearSignInFailures(db: DB, args: { email: string }): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', `account:${args.email.trim().toLowerCase()}`).execute();
}
