// Server-side sessions. The browser holds a random 128-bit id; the database holds only its SHA-256,
// so a copy of the database cannot be used to sign in as anyone.
import { createHash, randomBytes } from 'node:crypto';
import type { DB, Executor } from '~db/connect';
import { sortRoles, type Role, type UserStatus } from '~db/schema';


export interface SessionLimits {
  idleMinutes: number;
  maxDays: number;
}

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  status: UserStatus;
  roles: Role[];
}

/** Only refresh last_seen_at this often, so reading a page does not write to the database. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export async function createSession(db: DB, args: { userId: number; limits: SessionLimits; now?: Date }): Promise<string> {
  const now = args.now ?? new Date();
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      user_id: args.userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + args.limits.maxDays * 86_400_000).toISOString(),
    })
    .execute();
  await db.updateTable('users').set({ last_active_at: now.toISOString() }).where('id', '=', args.userId).execute();
  return token;
}

/** The active user behind a session token, or null when the session is unknown, idle too long, or expired. */
export async function userForSession(
  db: DB,
  args: { token: string; limits: SessionLimits; now?: Date },
): Promise<SessionUser | null> {
  const now = args.now ?? new Date();
  const idHash = hashToken(args.token);
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select([
      'users.id', 'users.email', 'users.name', 'users.status', 'user_roles.role',
      'sessions.last_seen_at', 'sessions.expires_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .execute();
  const first = rows[0];
  if (!first || first.status !== 'active') return null;
  const lastSeen = Date.parse(first.last_seen_at);
  const idleLimit = args.limits.idleMinutes * 60_000;
  if (Date.parse(first.expires_at) <= now.getTime() || now.getTime() - lastSeen > idleLimit) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now.getTime() - lastSeen > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
    await db.updateTable('users').set({ last_active_at: now.toISOString() }).where('id', '=', first.id).execute();
  }
  const roles = rows.flatMap((r) => (r.role ? [r.role] : []));
  return { id: first.id, email: first.email, name: first.name, status: first.status, roles: sortRoles(roles) };
}

export async function deleteSession(db: DB, args: { token: string }): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(args.token)).execute();
}

export async function deleteSessionsOfUser(db: Executor, args: { userId: number }): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', args.userId).execute();
}
