// One-time links an administrator hands over: invitations (the invitee sets a password and gets an
// account) and password resets. Only a hash of the token is stored; the link is shown once.
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { Role } from '~db/schema';
import { defaultTrackId, enrol } from './learning.server';
import { deleteSessionsOfUser, hashToken, newToken } from './session.server';
import { parseJsonArray, toJson } from './sql.server';
import { findUserByEmail, insertUser, isRole, normaliseEmail, recordAudit, setPassword } from './user.server';

export const INVITATION_DAYS = 7;
export const RESET_HOURS = 24;

export async function createInvitation(
  db: DB,
  args: { email: string; name: string; roles: readonly Role[]; cohortId: number | null; actorId: number; now?: Date },
): Promise<{ token: string; expiresAt: string } | { error: string }> {
  const email = normaliseEmail(args.email);
  if (await findUserByEmail(db, { email })) return { error: 'Someone with this email already has an account.' };
  const now = args.now ?? new Date();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
  await writeTransaction(db, async (trx) => {
    // A new invitation replaces any earlier one still pending for the same email.
    await trx
      .updateTable('invitations')
      .set({ revoked_at: now.toISOString() })
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .insertInto('invitations')
      .values({
        token_hash: hashToken(token),
        email,
        name: args.name.trim(),
        roles: toJson([...new Set(args.roles)]),
        cohort_id: args.cohortId,
        created_by: args.actorId,
        created_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    await recordAudit(trx, { actorId: args.actorId, action: 'invitation.created', details: { email, roles: args.roles, cohortId: args.cohortId } });
  });
  return { token, expiresAt };
}

/** A pending invitation for this token, or null if unknown, used, revoked or expired. */
export async function findPendingInvitation(db: Executor, args: { token: string; now?: Date }) {
  const now = (args.now ?? new Date()).toISOString();
  const row = await db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', hashToken(args.token))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { ...row, roles: parseJsonArray(row.roles).filter(isRole) } : null;
}

/** Creates the account and enrols a learner in the invitation's cohort; null if the link is no longer valid. */
export async function acceptInvitation(db: DB, args: { token: string; passwordHash: string; now?: Date }): Promise<number | null> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx) => {
    const invitation = await findPendingInvitation(trx, { token: args.token, now });
    if (!invitation) return null;
    if (await findUserByEmail(trx, { email: invitation.email })) return null;
    // Marking it accepted first means a second, concurrent use of the same link finds nothing.
    const claimed = await trx
      .updateTable('invitations')
      .set({ accepted_at: now.toISOString() })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const userId = await insertUser(trx, { email: invitation.email, name: invitation.name, passwordHash: args.passwordHash, roles: invitation.roles, now });
    if (invitation.roles.includes('learner') && invitation.cohort_id !== null) {
      const trackId = await defaultTrackId(trx);
      if (trackId) await enrol(trx, { userId, trackId, cohortId: invitation.cohort_id, startDate: null, now });
    }
    await recordAudit(trx, { actorId: userId, action: 'invitation.accepted', subjectUserId: userId, details: { invitationId: invitation.id } });
    return userId;
  });
}

export async function listPendingInvitations(db: Executor, now = new Date()) {
  const rows = await db
    .selectFrom('invitations')
    .leftJoin('cohorts', 'cohorts.id', 'invitations.cohort_id')
    .select(['invitations.id', 'invitations.email', 'invitations.name', 'invitations.roles', 'invitations.expires_at', 'invitations.created_at', 'cohorts.name as cohort_name'])
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', now.toISOString())
    .orderBy('invitations.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, roles: parseJsonArray(r.roles) }));
}

export async function revokeInvitation(db: DB, args: { invitationId: number; actorId: number }): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', args.invitationId)
    .where('accepted_at', 'is', null)
    .execute();
  await recordAudit(db, { actorId: args.actorId, action: 'invitation.revoked', details: { invitationId: args.invitationId } });
}

export async function createPasswordReset(db: DB, args: { userId: number; actorId: number; now?: Date }) {
  const now = args.now ?? new Date();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + RESET_HOURS * 3_600_000).toISOString();
  await writeTransaction(db, async (trx) => {
    await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', args.userId).where('used_at', 'is', null).execute();
    await trx
      .insertInto('password_resets')
      .values({ token_hash: hashToken(token), user_id: args.userId, created_by: args.actorId, created_at: now.toISOString(), expires_at: expiresAt })
      .execute();
    await recordAudit(trx, { actorId: args.actorId, action: 'password.reset_link_created', subjectUserId: args.userId });
  });
  return { token, expiresAt };
}

export async function findPendingReset(db: Executor, args: { token: string; now?: Date }) {
  const now = (args.now ?? new Date()).toISOString();
  return db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['password_resets.id', 'password_resets.user_id', 'users.email', 'users.name', 'users.status'])
    .where('password_resets.token_hash', '=', hashToken(args.token))
    .where('password_resets.used_at', 'is', null)
    .where('password_resets.expires_at', '>', now)
    .executeTakeFirst();
}

/** Sets the new password and ends every existing session of the user; null if the link is not valid. */
export async function redeemPasswordReset(db: DB, args: { token: string; passwordHash: string; now?: Date }): Promise<number | null> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx) => {
    const reset = await findPendingReset(trx, { token: args.token, now });
    if (!reset) return null;
    await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('id', '=', reset.id).execute();
    await setPassword(trx, { userId: reset.user_id, passwordHash: args.passwordHash });
    await deleteSessionsOfUser(trx, { userId: reset.user_id });
    await recordAudit(trx, { actorId: reset.user_id, action: 'password.reset', subjectUserId: reset.user_id });
    return reset.user_id;
  });
}
