// The first administrator. The `instance` table has a single allowed row (id = 1), so when two
// people submit the set-up form at once, exactly one insert succeeds and the other is refused.
import { type DB, writeTransaction } from '~db/connect';
import { countUsers, insertUser, recordAudit } from './user.server';

export async function isSetupComplete(db: DB): Promise<boolean> {
  const row = await db.selectFrom('instance').select('id').executeTakeFirst();
  return row !== undefined || (await countUsers(db)) > 0;
}

/** Returns the new administrator's id, or null when set-up had already been done. */
export async function createFirstAdministrator(
  db: DB,
  args: { email: string; name: string; passwordHash: string },
): Promise<number | null> {
  try {
    return await writeTransaction(db, async (trx) => {
      await trx.insertInto('instance').values({ id: 1, setup_completed_at: new Date().toISOString() }).execute();
      if ((await countUsers(trx)) > 0) throw new SetupAlreadyDone();
      const userId = await insertUser(trx, { ...args, roles: ['admin'] });
      await recordAudit(trx, { actorId: userId, action: 'instance.setup', subjectUserId: userId });
      return userId;
    });
  } catch (error) {
    if (error instanceof SetupAlreadyDone || isUniqueViolation(error)) return null;
    throw error;
  }
}

class SetupAlreadyDone extends Error {}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // better-sqlite3 (SQLite) and pg (PostgreSQL) codes for a unique or primary key violation
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
