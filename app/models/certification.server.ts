// Certifications: issued when an exam attempt passes, revoked and reinstated by managers, expiring by
// themselves. Each change that the helpdesk must hear about writes its webhook event in the same
// transaction (outbox.server.ts) and an audit event. Queue access is derived (domain/certification.ts),
// never stored.
import { randomUUID } from 'node:crypto';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { Certification } from '~db/schema';
import { certificationStatus, queueAccess, type QueueAccessStatus } from '~/domain/certification';
import { enqueueEvent, type WebhookEventType } from './outbox.server';
import { recordAudit } from './user.server';

/** What a webhook event and the API say about a certification. */
export interface CertificationEventData {
  credentialId: string;
  email: string;
  name: string;
  queue: string;
  trackId: string;
  certifiedAt: string;
  expiresAt: string;
  status: 'valid' | 'expired' | 'revoked';
  reason?: string;
}

async function announce(trx: Executor, type: WebhookEventType, certification: Certification, now: Date, reason?: string) {
  const user = await trx.selectFrom('users').select(['email', 'name']).where('id', '=', certification.user_id).executeTakeFirstOrThrow();
  const data: CertificationEventData = {
    credentialId: certification.credential_id,
    email: user.email,
    name: user.name,
    queue: certification.queue,
    trackId: certification.track_id,
    certifiedAt: certification.issued_at,
    expiresAt: certification.expires_at,
    status: certificationStatus({ issuedAt: certification.issued_at, expiresAt: certification.expires_at, revokedAt: certification.revoked_at }, now),
    ...(reason ? { reason } : {}),
  };
  await enqueueEvent(trx, { type, data, now });
}

/**
 * Issues the certification a passing attempt earns, inside the grading transaction. The attempt id is
 * unique in the table, so however many requests grade the same attempt, one certification exists.
 */
export async function issueCertification(
  trx: Executor,
  args: { userId: number; exam: { id: string; trackId: string; queue: string; validityDays: number }; attemptId: number | null; now: Date },
): Promise<Certification> {
  const issuedAt = args.now.toISOString();
  const expiresAt = new Date(args.now.getTime() + args.exam.validityDays * 86_400_000).toISOString();
  const certification = await trx
    .insertInto('certifications')
    .values({
      credential_id: randomUUID(),
      user_id: args.userId,
      exam_id: args.exam.id,
      track_id: args.exam.trackId,
      queue: args.exam.queue,
      attempt_id: args.attemptId,
      issued_at: issuedAt,
      expires_at: expiresAt,
      revoked_at: null,
      revoked_by: null,
      revoke_reason: null,
      expiry_announced_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actorId: null,
    action: 'certification.granted',
    subjectUserId: args.userId,
    details: { credentialId: certification.credential_id, examId: args.exam.id, attemptId: args.attemptId, expiresAt },
    now: args.now,
  });
  await announce(trx, 'certification.granted', certification, args.now);
  return certification;
}

export async function listCertifications(db: Executor, args: { userId: number }): Promise<Certification[]> {
  return db.selectFrom('certifications').selectAll().where('user_id', '=', args.userId).orderBy('issued_at', 'desc').orderBy('id', 'desc').execute();
}

export async function getCertification(db: Executor, args: { certificationId: number }): Promise<Certification | undefined> {
  return db.selectFrom('certifications').selectAll().where('id', '=', args.certificationId).executeTakeFirst();
}

/** The certification behind a public credential id, with the holder's name and the track's title. */
export async function findByCredentialId(db: Executor, args: { credentialId: string }) {
  return db
    .selectFrom('certifications')
    .innerJoin('users', 'users.id', 'certifications.user_id')
    .leftJoin('tracks', 'tracks.id', 'certifications.track_id')
    .leftJoin('exams', 'exams.id', 'certifications.exam_id')
    .selectAll('certifications')
    .select(['users.name as holder_name', 'tracks.title as track_title', 'exams.title as exam_title'])
    .where('certifications.credential_id', '=', args.credentialId)
    .executeTakeFirst();
}

export const toDates = (c: Pick<Certification, 'issued_at' | 'expires_at' | 'revoked_at'>) => ({ issuedAt: c.issued_at, expiresAt: c.expires_at, revokedAt: c.revoked_at });

export type ChangeResult = { ok: true } | { ok: false; reason: string };

/** Revokes a certification (access ends at once), with the reason, audited and announced. */
export async function revokeCertification(db: DB, args: { certificationId: number; actorId: number; reason: string; now?: Date }): Promise<ChangeResult> {
  const now = args.now ?? new Date();
  const revoked = await writeTransaction(db, (trx) => revokeWithin(trx, { ...args, now }));
  return revoked ? { ok: true } : { ok: false, reason: 'This certification is already revoked.' };
}

/** Withdraws a revocation: the certification counts again until it expires. */
export async function reinstateCertification(db: DB, args: { certificationId: number; actorId: number; reason: string; now?: Date }): Promise<ChangeResult> {
  const now = args.now ?? new Date();
  const reinstated = await writeTransaction(db, (trx) => reinstateWithin(trx, { ...args, now }));
  return reinstated ? { ok: true } : { ok: false, reason: 'This certification is not revoked.' };
}

/** revokeCertification's change inside a transaction the caller holds (a regrade): revoked fields, audit, event. Null when it was already revoked. */
export async function revokeWithin(trx: Executor, args: { certificationId: number; actorId: number; reason: string; now: Date }): Promise<Certification | null> {
  const updated = await trx
    .updateTable('certifications')
    .set({ revoked_at: args.now.toISOString(), revoked_by: args.actorId, revoke_reason: args.reason })
    .where('id', '=', args.certificationId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return null;
  await recordAudit(trx, {
    actorId: args.actorId,
    action: 'certification.revoked',
    subjectUserId: updated.user_id,
    details: { credentialId: updated.credential_id, queue: updated.queue },
    reason: args.reason,
    now: args.now,
  });
  await announce(trx, 'certification.revoked', updated, args.now, args.reason);
  return updated;
}

/** reinstateCertification's change inside a transaction the caller holds. Null when it was not revoked. */
export async function reinstateWithin(trx: Executor, args: { certificationId: number; actorId: number; reason: string; now: Date }): Promise<Certification | null> {
  const updated = await trx
    .updateTable('certifications')
    .set({ revoked_at: null, revoked_by: null, revoke_reason: null })
    .where('id', '=', args.certificationId)
    .where('revoked_at', 'is not', null)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return null;
  await recordAudit(trx, {
    actorId: args.actorId,
    action: 'certification.reinstated',
    subjectUserId: updated.user_id,
    details: { credentialId: updated.credential_id, queue: updated.queue, expiresAt: updated.expires_at },
    reason: args.reason,
    now: args.now,
  });
  await announce(trx, 'certification.reinstated', updated, args.now, args.reason);
  return updated;
}

/**
 * Announces certifications that have expired since the last run (webhook certification.expired),
 * once each. Access has already ended by itself at expiry: this only tells the helpdesk.
 */
export async function announceExpiries(db: DB, now = new Date()): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const expired = await trx
      .selectFrom('certifications')
      .selectAll()
      .where('expires_at', '<=', now.toISOString())
      .where('expiry_announced_at', 'is', null)
      .where('revoked_at', 'is', null)
      .limit(500)
      .execute();
    for (const certification of expired) {
      await trx.updateTable('certifications').set({ expiry_announced_at: now.toISOString() }).where('id', '=', certification.id).execute();
      await announce(trx, 'certification.expired', certification, now);
    }
    return expired.length;
  });
}

export interface QueueAccessView {
  queue: string;
  status: Exclude<QueueAccessStatus, 'inactive'>;
  certifiedAt: string | null;
  expiresAt: string | null;
  credentialId: string | null;
}

/**
 * What the helpdesk is told about one person: whether the account is active and, per queue they were
 * ever certified for (and the queues asked about), the access status. A disabled account has no
 * access; its queues then show the certification's own status.
 */
export async function queueAccessByEmail(db: Executor, args: { email: string; queues: readonly string[]; now?: Date }) {
  const now = args.now ?? new Date();
  const user = await db.selectFrom('users').select(['id', 'email', 'status']).where('email', '=', args.email).executeTakeFirst();
  const certifications = user ? await listCertifications(db, { userId: user.id }) : [];
  const active = user?.status === 'active';
  const queues = [...new Set([...args.queues, ...certifications.map((c) => c.queue)])].sort();
  const views: QueueAccessView[] = queues.map((queue) => {
    const held = certifications.filter((c) => c.queue === queue).map((c) => ({ ...toDates(c), row: c }));
    const access = queueAccess({ active }, held, now);
    const row = access.certification?.row ?? null;
    let status: QueueAccessView['status'];
    if (access.status === 'inactive') {
      // The account is disabled: never granted; say what the certification itself is.
      const own = row ? certificationStatus(toDates(row), now) : null;
      status = own === 'revoked' ? 'revoked' : own === 'expired' ? 'expired' : own === 'valid' ? 'revoked' : 'not_certified';
    } else {
      status = access.status;
    }
    return { queue, status, certifiedAt: row?.issued_at ?? null, expiresAt: row?.expires_at ?? null, credentialId: row?.credential_id ?? null };
  });
  return { found: user !== undefined, email: args.email, active, queues: views };
}

/**
 * The agents granted a queue now: active users with a certification for it that is issued, unexpired
 * and not revoked (one row per user, the certification expiring last), ordered by email, paginated.
 */
export async function grantedAgents(db: Executor, args: { queue: string; page: number; perPage: number; now?: Date }) {
  const now = (args.now ?? new Date()).toISOString();
  const base = db
    .selectFrom('certifications')
    .innerJoin('users', 'users.id', 'certifications.user_id')
    .where('certifications.queue', '=', args.queue)
    .where('certifications.revoked_at', 'is', null)
    .where('certifications.issued_at', '<=', now)
    .where('certifications.expires_at', '>', now)
    .where('users.status', '=', 'active');
  const total = await base.select((eb) => eb.fn.count<number>('users.id').distinct().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select((eb) => [
      'users.email',
      'users.name',
      eb.fn.max('certifications.expires_at').as('expires_at'),
    ])
    .groupBy(['users.id', 'users.email', 'users.name'])
    .orderBy('users.email')
    .limit(args.perPage)
    .offset((args.page - 1) * args.perPage)
    .execute();
  const credentials = rows.length
    ? await db
        .selectFrom('certifications')
        .innerJoin('users', 'users.id', 'certifications.user_id')
        .select(['users.email', 'certifications.credential_id', 'certifications.issued_at', 'certifications.expires_at'])
        .where('certifications.queue', '=', args.queue)
        .where('users.email', 'in', rows.map((r) => r.email))
        .where('certifications.revoked_at', 'is', null)
        .execute()
    : [];
  return {
    total: Number(total.n),
    agents: rows.map((r) => {
      // The certification expiring last is the one the access rests on.
      const held = credentials.find((c) => c.email === r.email && c.expires_at === r.expires_at);
      return { email: r.email, name: r.name, certifiedAt: held?.issued_at ?? null, expiresAt: String(r.expires_at), credentialId: held?.credential_id ?? null };
    }),
  };
}
