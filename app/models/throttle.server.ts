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

async function writeState(trx: Executor, key: string, state: ThrottleState) {
  const values = {
    failures: state.failures,
    window_started_at: new Date(state.windowStartedAt).toISOString(),
    locked_until: state.lockedUntil ? new Date(state.lockedUntil).toISOString() : null,
  };
  await trx
    .insertInto('login_throttle')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

/**
 * Checks whether a sign-in may be tried now and, if so, counts it as a failure up front, in one
 * transaction: a burst of concurrent guesses cannot all pass the check before the first failure is
 * written (checking, verifying the password for ~50 ms, then counting would let them). Returns the
 * seconds to wait (0: go ahead and verify). A success takes the count back (signInSucceeded).
 */
export async function beginSignInAttempt(db: DB, args: { email: string; clientAddress: string; now?: number }): Promise<number> {
  const now = args.now ?? Date.now();
  return writeTransaction(db, async (trx) => {
    const keys = keysFor(args.email, args.clientAddress);
    const states = await Promise.all(keys.map(({ key }) => readState(trx, key)));
    const wait = Math.max(0, ...states.map((state) => secondsLocked(state, now)));
    if (wait > 0) return wait;
    for (const [index, { key, policy }] of keys.entries()) await writeState(trx, key, recordFailure(states[index] ?? null, now, policy));
    return 0;
  });
}

/**
 * The attempt was right: the account's count is cleared, and the address gets back the failure it
 * was charged up front (and its lock, if that failure alone caused it).
 */
export async function signInSucceeded(db: DB, args: { email: string; clientAddress: string }): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const [account, address] = keysFor(args.email, args.clientAddress);
    await trx.deleteFrom('login_throttle').where('key', '=', account!.key).execute();
    const state = await readState(trx, address!.key);
    if (!state) return;
    const failures = Math.max(0, state.failures - 1);
    await writeState(trx, address!.key, { ...state, failures, lockedUntil: failures <= address!.policy.freeFailures ? null : state.lockedUntil });
  });
}
