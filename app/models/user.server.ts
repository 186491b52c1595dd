import { type DB, type Executor, writeTransaction } from '~db/connect';
import { ROLES, sortRoles, type Role, type User, type UserStatus } from '~db/schema';
import { deleteSessionsOfUser } from './session.server';
import { containsText, nowIso, toJson } from './sql.server';

export interface UserWithRoles {
  id: number;
  email: string;
  name: string;
  status: UserStatus;
  roles: Role[];
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByEmail(db: Executor, { email }: { email: string }): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function getUserWithRoles(db: Executor, { userId }: { userId: number }): Promise<UserWithRoles | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...user, roles: sortRoles(roles.map((r) => r.role)) };
}


/** Creates a user with roles. The password must already be hashed (never hash inside a transaction). */
export async function insertUser(
  db: Executor,
  args: { email: string; name: string; passwordHash: string; roles: readonly Role[]; now?: Date },
): Promise<number> {
  const at = nowIso(args.now);
  const { id } = await db
    .insertInto('users')
    .values({
      email: normaliseEmail(args.email),
      name: args.name.trim(),
      password_hash: args.passwordHash,
      status: 'active',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (args.roles.length > 0) {
    await db
      .insertInto('user_roles')
      .values([...new Set(args.roles)].map((role) => ({ user_id: id, role })))
      .execute();
  }
  return id;
}

export interface UserListFilter {
  q?: string;
  role?: Role;
  page: number;
  pageSize: number;
}

export async function listUsers(db: Executor, filter: UserListFilter) {
  let query = db.selectFrom('users');
  if (filter.q) {
    const term = filter.q.trim();
    query = query.where((eb) => eb.or([containsText('email', term), containsText('name', term)]));
  }
  if (filter.role) {
    const role = filter.role;
    query = query.where('id', 'in', (eb) => eb.selectFrom('user_roles').select('user_id').where('role', '=', role));
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const users = await query
    .select(['id', 'email', 'name', 'status', 'created_at'])
    .orderBy('name')
    .orderBy('id')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  const roles = users.length
    ? await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', users.map((u) => u.id)).execute()
    : [];
  return {
    total: Number(total),
    users: users.map((u) => ({ ...u, roles: sortRoles(roles.filter((r) => r.user_id === u.id).map((r) => r.role)) })),
  };
}

export async function recordAudit(
  db: Executor,
  args: { actorId: number | null; action: string; subjectUserId?: number | null; details?: object; reason?: string | null; now?: Date },
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor_id: args.actorId,
      action: args.action,
      subject_user_id: args.subjectUserId ?? null,
      details: toJson(args.details ?? {}),
      reason: args.reason ?? null,
      created_at: nowIso(args.now),
    })
    .execute();
}

export async function setUserRoles(
  db: DB,
  args: { actorId: number; userId: number; roles: readonly Role[] },
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const before = await trx.selectFrom('user_roles').select('role').where('user_id', '=', args.userId).execute();
    await trx.deleteFrom('user_roles').where('user_id', '=', args.userId).execute();
    const roles = [...new Set(args.roles)];
    if (roles.length) {
      await trx.insertInto('user_roles').values(roles.map((role) => ({ user_id: args.userId, role }))).execute();
    }
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'user.roles_changed',
      subjectUserId: args.userId,
      details: { from: sortRoles(before.map((r) => r.role)), to: sortRoles(roles) },
    });
  });
}

/** Disabling a user also ends every one of their sessions. */
export async function setUserStatus(
  db: DB,
  args: { actorId: number; userId: number; status: UserStatus; reason?: string | null },
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await trx
      .updateTable('users')
      .set({ status: args.status, updated_at: nowIso() })
      .where('id', '=', args.userId)
      .execute();
    if (args.status === 'disabled') {
      await deleteSessionsOfUser(trx, { userId: args.userId });
    }
    await recordAudit(trx, {
      actorId: args.actorId,
      action: args.status === 'disabled' ? 'user.disabled' : 'user.enabled',
      subjectUserId: args.userId,
      reason: args.reason ?? null,
    });
  });
}

export async function setPassword(db: Executor, args: { userId: number; passwordHash: string }): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: args.passwordHash, updated_at: nowIso() })
    .where('id', '=', args.userId)
    .execute();
}
