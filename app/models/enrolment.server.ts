// Cohorts and who is in them, for managers (the cohorts they manage) and admins (every cohort).
// The scope is in every query: a cohort a manager does not manage is not found, and a learner is
// reached only through a cohort the viewer manages. Enrolling a list is planned first (the preview)
// and applied in one transaction that plans again and refuses if anything changed since the preview.
import { createHash } from 'node:crypto';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { Role } from '~db/schema';
import type { EnrolmentInputRow } from '~/domain/enrolment-input';
import { createCohort, findCohortByName, listManagers } from './cohort.server';
import { isUniqueViolation } from './instance.server';
import { INVITATION_DAYS } from './invitation.server';
import { defaultTrackId } from './learning.server';
import { hashToken, newToken } from './session.server';
import { toJson } from './sql.server';
import { recordAudit } from './user.server';

export interface Viewer {
  id: number;
  roles: readonly Role[];
}

const isAdmin = (viewer: Viewer) => viewer.roles.includes('admin');

/** SQLite allows 32,766 bound values per statement; batches of 400 rows stay far below. */
const BATCH = 400;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function cohortsInScope(db: Executor, viewer: Viewer) {
  const query = db.selectFrom('cohorts');
  if (isAdmin(viewer)) return query;
  return query.where((eb) =>
    eb.exists(eb.selectFrom('cohort_managers').select('cohort_managers.user_id').whereRef('cohort_managers.cohort_id', '=', 'cohorts.id').where('cohort_managers.user_id', '=', viewer.id)),
  );
}

export interface ScopedCohort {
  id: number;
  name: string;
  startDate: string;
  timeZone: string;
}

/** The cohorts the viewer manages (an admin: all), newest start first, with learner counts and managers. */
export async function listCohortsInScope(db: Executor, args: { viewer: Viewer }) {
  const cohorts = await cohortsInScope(db, args.viewer)
    .leftJoin(
      // One pass over enrolments_cohort_idx instead of a count per cohort.
      (eb) => eb.selectFrom('enrolments').select(['cohort_id', eb.fn.countAll<number>().as('learners')]).where('cohort_id', 'is not', null).groupBy('cohort_id').as('counts'),
      (join) => join.onRef('counts.cohort_id', '=', 'cohorts.id'),
    )
    .select(['cohorts.id', 'cohorts.name', 'cohorts.start_date', 'cohorts.time_zone', 'counts.learners'])
    .orderBy('cohorts.start_date', 'desc')
    .orderBy('cohorts.name')
    .execute();
  const ids = cohorts.map((c) => c.id);
  const managers = ids.length
    ? await db
        .selectFrom('cohort_managers')
        .innerJoin('users', 'users.id', 'cohort_managers.user_id')
        .select(['cohort_managers.cohort_id', 'users.id', 'users.name'])
        .where('cohort_managers.cohort_id', 'in', ids)
        .orderBy('users.name')
        .execute()
    : [];
  return cohorts.map((c) => ({
    id: c.id,
    name: c.name,
    startDate: c.start_date,
    timeZone: c.time_zone,
    learners: Number(c.learners ?? 0),
    managers: managers.filter((m) => m.cohort_id === c.id).map((m) => ({ id: m.id, name: m.name })),
  }));
}

/** The cohort, if the viewer manages it (an admin: any); null otherwise. */
export async function findCohortInScope(db: Executor, args: { viewer: Viewer; cohortId: number }): Promise<ScopedCohort | null> {
  if (!Number.isSafeInteger(args.cohortId)) return null;
  const row = await cohortsInScope(db, args.viewer)
    .select(['cohorts.id', 'cohorts.name', 'cohorts.start_date', 'cohorts.time_zone'])
    .where('cohorts.id', '=', args.cohortId)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, startDate: row.start_date, timeZone: row.time_zone } : null;
}

/** One page of a cohort's learners, by name. */
export async function listCohortLearners(db: Executor, args: { cohortId: number; page: number; pageSize: number }) {
  const query = db.selectFrom('enrolments').innerJoin('users', 'users.id', 'enrolments.user_id').where('enrolments.cohort_id', '=', args.cohortId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const learners = await query
    .select(['users.id', 'users.name', 'users.email', 'users.status', 'enrolments.start_date as personalStart'])
    .orderBy('users.name')
    .orderBy('users.id')
    .limit(args.pageSize)
    .offset((args.page - 1) * args.pageSize)
    .execute();
  return { total: Number(total), learners };
}

export type CreateCohortResult = { ok: true; cohortId: number } | { ok: false; errors: Partial<Record<string, string[]>> };

/** A manager's new cohort is theirs to manage; an admin chooses its managers (people with the manager role). */
export async function createCohortAs(
  db: DB,
  args: { viewer: Viewer; name: string; startDate: string; timeZone: string; managerIds: readonly number[] },
): Promise<CreateCohortResult> {
  if (await findCohortByName(db, { name: args.name })) return { ok: false, errors: { name: ['A cohort with this name already exists.'] } };
  let managerIds: number[];
  if (isAdmin(args.viewer)) {
    const allowed = new Set((await listManagers(db)).map((m) => m.id));
    if (args.managerIds.some((id) => !allowed.has(id))) return { ok: false, errors: { managerIds: ['Choose managers from the list.'] } };
    managerIds = [...args.managerIds];
  } else {
    managerIds = [args.viewer.id];
  }
  try {
    const cohortId = await createCohort(db, { name: args.name, startDate: args.startDate, timeZone: args.timeZone, managerIds, actorId: args.viewer.id });
    return { ok: true, cohortId };
  } catch (error) {
    // Someone created the same name between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, errors: { name: ['A cohort with this name already exists.'] } };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Enrolling a list: plan (the preview), then apply.

export type PlanStatus = 'enrol' | 'already' | 'update' | 'move' | 'invite' | 'error';
export type EnrolmentSource = 'single' | 'paste' | 'csv';

export interface PlanRow extends EnrolmentInputRow {
  status: PlanStatus;
  /** What will happen, or why it cannot, in a sentence. */
  message: string;
  userId: number | null;
  /** The learner's cohort now, for a move (null: enrolled without a cohort, or not enrolled). */
  fromCohort: { id: number; name: string } | null;
  /** The track the learner is on after an enrol, move or update (their own, or the default for a newcomer). */
  trackId: string | null;
}

export interface EnrolmentPlan {
  cohort: ScopedCohort;
  rows: PlanRow[];
  counts: Record<PlanStatus, number>;
  /** Fingerprint of what the preview promised; applying refuses when the plan no longer matches. */
  digest: string;
}

interface Account {
  id: number;
  email: string;
  status: 'active' | 'disabled';
  isLearner: boolean;
  cohortId: number | null;
  cohortName: string | null;
  trackId: string | null;
  personalStart: string | null;
  enrolled: boolean;
  managesCohort: boolean;
}

async function accountsByEmail(db: Executor, viewer: Viewer, emails: readonly string[]): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  for (const batch of chunks(emails)) {
    const rows = await db
      .selectFrom('users')
      .leftJoin('enrolments', 'enrolments.user_id', 'users.id')
      .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
      .select((eb) => [
        'users.id',
        'users.email',
        'users.status',
        'enrolments.user_id as enrolledId',
        'enrolments.cohort_id',
        'enrolments.track_id',
        'enrolments.start_date',
        'cohorts.name as cohort_name',
        eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', 'learner')).as('is_learner'),
        eb
          .exists(
            eb
              .selectFrom('cohort_managers')
              .select('cohort_managers.user_id')
              .whereRef('cohort_managers.cohort_id', '=', 'enrolments.cohort_id')
              .where('cohort_managers.user_id', '=', viewer.id),
          )
          .as('manages_cohort'),
      ])
      .where('users.email', 'in', batch)
      .execute();
    for (const r of rows) {
      accounts.set(r.email, {
        id: r.id,
        email: r.email,
        status: r.status,
        isLearner: Boolean(r.is_learner),
        cohortId: r.cohort_id ?? null,
        cohortName: r.cohort_name ?? null,
        trackId: r.track_id ?? null,
        personalStart: r.start_date ?? null,
        enrolled: r.enrolledId !== null,
        managesCohort: isAdmin(viewer) || Boolean(r.manages_cohort),
      });
    }
  }
  return accounts;
}

async function pendingInvitationEmails(db: Executor, emails: readonly string[], now: Date): Promise<Set<string>> {
  const found = new Set<string>();
  for (const batch of chunks(emails)) {
    const rows = await db
      .selectFrom('invitations')
      .select('email')
      .where('email', 'in', batch)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .execute();
    for (const r of rows) found.add(r.email);
  }
  return found;
}

function planRow(row: EnrolmentInputRow, cohort: ScopedCohort, account: Account | undefined, pendingInvite: boolean, trackId: string | null): PlanRow {
  const base = { ...row, userId: account?.id ?? null, fromCohort: null, trackId: null };
  // An error row names no account: a learner outside the viewer's cohorts stays unidentified.
  const fail = (message: string): PlanRow => ({ ...base, userId: null, status: 'error', message });
  if (row.error) return fail(row.error);
  if (!account) {
    const notes = ['No account yet: will be invited, with a one-time link shown after you confirm.'];
    if (pendingInvite) notes.push('It replaces the invitation already pending.');
    if (row.startDate) notes.push('The personal start date is not kept for an invitation: set it after they accept.');
    return { ...base, status: 'invite', message: notes.join(' ') };
  }
  if (account.enrolled && account.cohortId === cohort.id) {
    if (row.startDate && row.startDate !== account.personalStart) {
      return { ...base, status: 'update', trackId: account.trackId, message: `Already in this cohort: their personal start date becomes ${row.startDate}.` };
    }
    return { ...base, status: 'already', message: 'Already in this cohort: nothing changes.' };
  }
  if (account.status === 'disabled') return fail('This account is disabled: an admin can enable it first.');
  if (!account.isLearner) return fail('This account does not have the learner role: an admin can add it on the Users page.');
  const start = row.startDate ? ` with a personal start date of ${row.startDate}` : '';
  if (!account.enrolled) {
    if (!trackId) return fail('No track is loaded yet, so no one can be enrolled.');
    return { ...base, status: 'enrol', trackId, message: `Will be enrolled${start}.` };
  }
  const cleared = !row.startDate && account.personalStart ? ` Their personal start date (${account.personalStart}) is cleared: day 1 becomes the cohort’s.` : '';
  if (account.cohortId === null) {
    return { ...base, status: 'move', trackId: account.trackId, message: `Will join this cohort (now on a schedule of their own)${start}.${cleared}` };
  }
  if (!account.managesCohort) return fail('In another cohort, which you do not manage: ask its manager or an admin to move them.');
  return {
    ...base,
    status: 'move',
    trackId: account.trackId,
    fromCohort: { id: account.cohortId, name: account.cohortName ?? '' },
    message: `Will move from cohort ${account.cohortName ?? account.cohortId}${start}.${cleared}`,
  };
}

function digestOf(cohortId: number, rows: readonly PlanRow[]): string {
  // The message too: it tells of a pending invitation replaced or a personal start date cleared.
  const promised = rows.map((r) => [r.row, r.email, r.name, r.startDate, r.status, r.userId, r.fromCohort?.id ?? null, r.message]);
  return createHash('sha256').update(toJson([cohortId, promised])).digest('hex');
}

/** What enrolling these rows would do, row by row; null when the viewer does not manage the cohort. */
export async function planEnrolment(
  db: Executor,
  args: { viewer: Viewer; cohortId: number; rows: readonly EnrolmentInputRow[]; now?: Date },
): Promise<EnrolmentPlan | null> {
  const cohort = await findCohortInScope(db, { viewer: args.viewer, cohortId: args.cohortId });
  if (!cohort) return null;
  const emails = [...new Set(args.rows.filter((r) => !r.error).map((r) => r.email))];
  const [accounts, trackId] = await Promise.all([accountsByEmail(db, args.viewer, emails), defaultTrackId(db)]);
  const invited = await pendingInvitationEmails(
    db,
    emails.filter((e) => !accounts.has(e)),
    args.now ?? new Date(),
  );
  const rows = args.rows.map((row) => planRow(row, cohort, accounts.get(row.email), invited.has(row.email), trackId));
  const counts: Record<PlanStatus, number> = { enrol: 0, already: 0, update: 0, move: 0, invite: 0, error: 0 };
  for (const r of rows) counts[r.status] += 1;
  return { cohort, rows, counts, digest: digestOf(cohort.id, rows) };
}

export interface Invited {
  row: number;
  email: string;
  name: string;
  token: string;
}

export type ApplyResult =
  | { ok: true; counts: Record<PlanStatus, number>; invited: Invited[]; skipped: PlanRow[] }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'nothing-to-do' | 'changed'; plan: EnrolmentPlan };

function invitationName(row: PlanRow): string {
  return row.name ?? row.email.slice(0, row.email.indexOf('@'));
}

/**
 * Writes the plan in one transaction: enrolments, moves, start dates and invitations, each audited.
 * It plans again inside the transaction and writes nothing if the result differs from the preview
 * (`digest`), so what the manager confirmed is exactly what happens. Rows with errors are skipped.
 */
export async function applyEnrolment(
  db: DB,
  args: { viewer: Viewer; cohortId: number; rows: readonly EnrolmentInputRow[]; digest: string; source: EnrolmentSource; now?: Date },
): Promise<ApplyResult> {
  const now = args.now ?? new Date();
  const at = now.toISOString();
  return writeTransaction(db, async (trx): Promise<ApplyResult> => {
    const plan = await planEnrolment(trx, { viewer: args.viewer, cohortId: args.cohortId, rows: args.rows, now });
    if (!plan) return { ok: false, reason: 'not-found' };
    if (plan.digest !== args.digest) return { ok: false, reason: 'changed', plan };
    const { cohort, rows } = plan;
    const writes = rows.flatMap((r) =>
      (r.status === 'enrol' || r.status === 'move' || r.status === 'update') && r.userId !== null && r.trackId !== null
        ? [{ ...r, userId: r.userId, trackId: r.trackId }]
        : [],
    );
    const invites = rows.filter((r) => r.status === 'invite');
    if (writes.length === 0 && invites.length === 0) return { ok: false, reason: 'nothing-to-do', plan };

    for (const batch of chunks(writes)) {
      await trx
        .insertInto('enrolments')
        .values(
          batch.map((r) => ({
            user_id: r.userId,
            track_id: r.trackId,
            cohort_id: cohort.id,
            start_date: r.startDate,
            enrolled_at: at,
          })),
        )
        // A move keeps the learner's track, completions and first enrolment date.
        .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({ cohort_id: eb.ref('excluded.cohort_id'), start_date: eb.ref('excluded.start_date') })))
        .execute();
    }

    const invited: Invited[] = invites.map((r) => ({ row: r.row, email: r.email, name: invitationName(r), token: newToken() }));
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
    for (const batch of chunks(invited)) {
      // A new invitation replaces any earlier one still pending for the same email.
      await trx
        .updateTable('invitations')
        .set({ revoked_at: at })
        .where('email', 'in', batch.map((i) => i.email))
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .insertInto('invitations')
        .values(
          batch.map((i) => ({
            token_hash: hashToken(i.token),
            email: i.email,
            name: i.name,
            roles: toJson(['learner']),
            cohort_id: cohort.id,
            created_by: args.viewer.id,
            created_at: at,
            expires_at: expiresAt,
          })),
        )
        .execute();
    }

    const audits = [
      ...writes.map((r) => ({
        subject: r.userId,
        action: r.status === 'enrol' ? 'learner.enrolled' : r.status === 'move' ? 'learner.moved' : 'learner.start_date_set',
        details: { cohortId: cohort.id, fromCohortId: r.fromCohort?.id ?? null, startDate: r.startDate, via: args.source },
      })),
      ...invited.map((i) => ({ subject: null, action: 'invitation.created', details: { email: i.email, roles: ['learner'], cohortId: cohort.id, via: args.source } })),
    ];
    for (const batch of chunks(audits)) {
      await trx
        .insertInto('audit_events')
        .values(batch.map((a) => ({ actor_id: args.viewer.id, action: a.action, subject_user_id: a.subject, details: toJson(a.details), reason: null, created_at: at })))
        .execute();
    }
    await recordAudit(trx, { actorId: args.viewer.id, action: 'cohort.learners_added', details: { cohortId: cohort.id, via: args.source, ...plan.counts }, now });
    return { ok: true, counts: plan.counts, invited, skipped: rows.filter((r) => r.status === 'error') };
  });
}

// ---------------------------------------------------------------------------------------------
// One learner: moving them and their personal start date.

export interface LearnerEnrolment {
  id: number;
  name: string;
  email: string;
  trackId: string | null;
  cohort: ScopedCohort | null;
  personalStart: string | null;
  enrolled: boolean;
}

/**
 * The learner and their enrolment, if the viewer may act on them: an admin on any learner, a manager
 * on the learners of the cohorts they manage (with `unassigned`, also on learners without a cohort).
 */
export async function learnerEnrolmentInScope(
  db: Executor,
  args: { viewer: Viewer; userId: number; unassigned?: boolean },
): Promise<LearnerEnrolment | null> {
  if (!Number.isSafeInteger(args.userId)) return null;
  let query = db
    .selectFrom('users')
    .leftJoin('enrolments', 'enrolments.user_id', 'users.id')
    .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'enrolments.user_id as enrolledId',
      'enrolments.track_id',
      'enrolments.start_date',
      'cohorts.id as cohort_id',
      'cohorts.name as cohort_name',
      'cohorts.start_date as cohort_start',
      'cohorts.time_zone',
    ])
    .where('users.id', '=', args.userId)
    .where((eb) =>
      eb.or([
        eb('enrolments.user_id', 'is not', null),
        eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', 'learner')),
      ]),
    );
  if (!isAdmin(args.viewer)) {
    const viewerId = args.viewer.id;
    query = query.where((eb) => {
      const manages = eb.exists(
        eb.selectFrom('cohort_managers').select('cohort_managers.user_id').whereRef('cohort_managers.cohort_id', '=', 'enrolments.cohort_id').where('cohort_managers.user_id', '=', viewerId),
      );
      return args.unassigned ? eb.or([manages, eb('enrolments.cohort_id', 'is', null)]) : manages;
    });
  }
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    trackId: row.track_id ?? null,
    cohort:
      row.cohort_id !== null && row.cohort_name !== null && row.cohort_start !== null && row.time_zone !== null
        ? { id: row.cohort_id, name: row.cohort_name, startDate: row.cohort_start, timeZone: row.time_zone }
        : null,
    personalStart: row.start_date ?? null,
    enrolled: row.enrolledId !== null,
  };
}

export type EnrolmentChange = { ok: true } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Moves a learner into another cohort. A manager must manage both the learner's cohort (or the
 * learner has none) and the target; an admin may move anyone anywhere. The learner keeps their
 * track and completions; their personal start date is kept only if asked.
 */
export async function moveLearner(
  db: DB,
  args: { viewer: Viewer; userId: number; toCohortId: number; keepPersonalStart: boolean; now?: Date },
): Promise<EnrolmentChange> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx): Promise<EnrolmentChange> => {
    const learner = await learnerEnrolmentInScope(trx, { viewer: args.viewer, userId: args.userId, unassigned: true });
    if (!learner) return { ok: false, status: 404, reason: 'There is no such learner among the cohorts you manage.' };
    const target = await findCohortInScope(trx, { viewer: args.viewer, cohortId: args.toCohortId });
    if (!target) return { ok: false, status: 403, reason: 'You can move learners only into cohorts you manage.' };
    if (learner.cohort?.id === target.id) return { ok: false, status: 400, reason: `${learner.name} is already in ${target.name}.` };
    const trackId = learner.trackId ?? (await defaultTrackId(trx));
    if (!trackId) return { ok: false, status: 400, reason: 'No track is loaded yet, so no one can be enrolled.' };
    const startDate = args.keepPersonalStart ? learner.personalStart : null;
    await trx
      .insertInto('enrolments')
      .values({ user_id: learner.id, track_id: trackId, cohort_id: target.id, start_date: startDate, enrolled_at: now.toISOString() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ cohort_id: target.id, start_date: startDate }))
      .execute();
    await recordAudit(trx, {
      actorId: args.viewer.id,
      action: learner.enrolled ? 'learner.moved' : 'learner.enrolled',
      subjectUserId: learner.id,
      details: { fromCohortId: learner.cohort?.id ?? null, cohortId: target.id, personalStart: { from: learner.personalStart, to: startDate }, via: 'single' },
      now,
    });
    return { ok: true };
  });
}

/**
 * Sets (a date) or clears (null) a learner's personal start date: their day 1 of the track. Cleared,
 * they follow their cohort's start date; a learner without a cohort needs a date of their own.
 */
export async function setPersonalStartDate(
  db: DB,
  args: { viewer: Viewer; userId: number; startDate: string | null; now?: Date },
): Promise<EnrolmentChange> {
  return writeTransaction(db, async (trx): Promise<EnrolmentChange> => {
    const learner = await learnerEnrolmentInScope(trx, { viewer: args.viewer, userId: args.userId });
    if (!learner) return { ok: false, status: 404, reason: 'There is no such learner among the cohorts you manage.' };
    if (!learner.enrolled) return { ok: false, status: 400, reason: `${learner.name} is not enrolled: move them into a cohort first.` };
    if (args.startDate === null && !learner.cohort) {
      return { ok: false, status: 400, reason: `${learner.name} has no cohort, so the personal start date is their only schedule: move them into a cohort first.` };
    }
    if (args.startDate === learner.personalStart) return { ok: true };
    await trx.updateTable('enrolments').set({ start_date: args.startDate }).where('user_id', '=', learner.id).execute();
    await recordAudit(trx, {
      actorId: args.viewer.id,
      action: args.startDate ? 'learner.start_date_set' : 'learner.start_date_cleared',
      subjectUserId: learner.id,
      details: { cohortId: learner.cohort?.id ?? null, from: learner.personalStart, to: args.startDate },
      now: args.now,
    });
    return { ok: true };
  });
}
