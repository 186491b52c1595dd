// Managers and admins looking after learners. The scope is in every query: an admin reaches every
// learner, a manager only the learners enrolled in a cohort they manage. A learner outside the scope
// is simply not found (the route answers 404, not 403), so ids cannot be probed.
import type { Executor } from '~db/connect';
import type { Certification, Role, UserStatus } from '~db/schema';
import { certificationStatus, examEligibility, type CertificationStatus, type ExamEligibility } from '~/domain/certification';
import { toDates } from './certification.server';
import {
  countedAttempts,
  examForTrack,
  findOpenExamAttempt,
  getAllowance,
  latestCertification,
  listExamAttempts,
  type ExamAllowance,
  type ExamAttemptRow,
} from './exam.server';
import { defaultTrackId } from './learning.server';
import { containsText } from './sql.server';

export interface Viewer {
  id: number;
  roles: readonly Role[];
}

/** Users who are learners (by role or by enrolment), limited to what the viewer may see. */
function learnersInScope(db: Executor, viewer: Viewer) {
  let query = db
    .selectFrom('users')
    .leftJoin('enrolments', 'enrolments.user_id', 'users.id')
    .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
    .where((eb) =>
      eb.or([
        eb('enrolments.user_id', 'is not', null),
        eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', 'learner')),
      ]),
    );
  if (!viewer.roles.includes('admin')) {
    // A manager sees the learners of the cohorts they manage; a learner without a cohort is the admins'.
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('cohort_managers')
          .select('cohort_managers.user_id')
          .whereRef('cohort_managers.cohort_id', '=', 'enrolments.cohort_id')
          .where('cohort_managers.user_id', '=', viewer.id),
      ),
    );
  }
  return query;
}

export interface ManagedLearner {
  id: number;
  name: string;
  email: string;
  status: UserStatus;
  cohortName: string | null;
  trackId: string | null;
}

/** The learner, if the viewer may manage them; null otherwise (answer 404). */
export async function managedLearner(db: Executor, args: { viewer: Viewer; userId: number }): Promise<ManagedLearner | null> {
  if (!Number.isSafeInteger(args.userId)) return null;
  const row = await learnersInScope(db, args.viewer)
    .select(['users.id', 'users.name', 'users.email', 'users.status', 'cohorts.name as cohort_name', 'enrolments.track_id'])
    .where('users.id', '=', args.userId)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, name: row.name, email: row.email, status: row.status, cohortName: row.cohort_name, trackId: row.track_id };
}

export type ExamState = 'in-progress' | 'awaiting-review' | null;

export interface ManagedLearnerRow {
  id: number;
  name: string;
  email: string;
  status: UserStatus;
  cohortName: string | null;
  /** Of the latest certification; null when never certified. */
  certification: CertificationStatus | null;
  exam: ExamState;
}

/** One page of the learners the viewer manages, by name, optionally matching `q` (name, email or cohort). */
export async function listManagedLearners(
  db: Executor,
  args: { viewer: Viewer; q?: string; page: number; pageSize: number; now?: Date },
): Promise<{ total: number; learners: ManagedLearnerRow[] }> {
  const now = args.now ?? new Date();
  let query = learnersInScope(db, args.viewer);
  const term = args.q?.trim();
  if (term) query = query.where((eb) => eb.or([containsText('users.name', term), containsText('users.email', term), containsText('cohorts.name', term)]));
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select(['users.id', 'users.name', 'users.email', 'users.status', 'cohorts.name as cohort_name'])
    .orderBy('users.name')
    .orderBy('users.id')
    .limit(args.pageSize)
    .offset((args.page - 1) * args.pageSize)
    .execute();
  const ids = rows.map((r) => r.id);
  const [certifications, attempts] = ids.length
    ? await Promise.all([
        db
          .selectFrom('certifications')
          .select(['user_id', 'issued_at', 'expires_at', 'revoked_at'])
          .where('user_id', 'in', ids)
          .orderBy('issued_at', 'desc')
          .orderBy('id', 'desc')
          .execute(),
        db
          .selectFrom('attempts')
          .select(['user_id', 'status', 'graded_at'])
          .where('user_id', 'in', ids)
          .where('kind', '=', 'exam')
          .where((eb) => eb.or([eb('status', '=', 'in_progress'), eb('graded_at', 'is', null)]))
          .execute(),
      ])
    : [[], []];
  return {
    total: Number(total),
    learners: rows.map((r) => {
      const latest = certifications.find((c) => c.user_id === r.id);
      const open = attempts.filter((a) => a.user_id === r.id);
      const exam: ExamState = open.some((a) => a.status === 'in_progress') ? 'in-progress' : open.length > 0 ? 'awaiting-review' : null;
      return {
        id: r.id,
        name: r.name,
        email: r.email,
        status: r.status,
        cohortName: r.cohort_name,
        certification: latest ? certificationStatus(toDates(latest), now) : null,
        exam,
      };
    }),
  };
}

/** A certification of this learner (null for anyone else's, so another learner's id is not found). */
export async function learnerCertification(db: Executor, args: { userId: number; certificationId: number }): Promise<Certification | null> {
  const row = await db.selectFrom('certifications').selectAll().where('id', '=', args.certificationId).where('user_id', '=', args.userId).executeTakeFirst();
  return row ?? null;
}

/** An exam attempt of this learner (null for anyone else's). */
export async function learnerExamAttempt(db: Executor, args: { userId: number; attemptId: number }) {
  const row = await db
    .selectFrom('attempts')
    .select(['id', 'exam_id', 'status', 'deadline_at'])
    .where('id', '=', args.attemptId)
    .where('user_id', '=', args.userId)
    .where('kind', '=', 'exam')
    .executeTakeFirst();
  return row ?? null;
}

/** The exam of the learner's track (the first track's when they are not enrolled). */
export async function learnerExam(db: Executor, args: { learner: Pick<ManagedLearner, 'trackId'> }) {
  const trackId = args.learner.trackId ?? (await defaultTrackId(db));
  return trackId ? examForTrack(db, { trackId }) : null;
}

export interface LearnerExamSituation {
  exam: { id: string; title: string; attemptLimit: number; cooldownHours: number } | null;
  attempts: ExamAttemptRow[];
  allowance: ExamAllowance;
  eligibility: (Pick<ExamEligibility, 'attemptsUsed' | 'attemptsLeft'> & { cooldownEndsAt: string | null }) | null;
  openAttempt: { id: number; deadlineAt: string | null } | null;
  certifications: (Certification & { status: CertificationStatus })[];
}

/** Everything a manager needs to see about one learner's exam and certifications. */
export async function learnerExamSituation(db: Executor, args: { learner: ManagedLearner; now?: Date }): Promise<LearnerExamSituation> {
  const now = args.now ?? new Date();
  const userId = args.learner.id;
  const certificationRows = await db.selectFrom('certifications').selectAll().where('user_id', '=', userId).orderBy('issued_at', 'desc').orderBy('id', 'desc').execute();
  const certifications = certificationRows.map((c) => ({ ...c, status: certificationStatus(toDates(c), now) }));
  const exam = await learnerExam(db, { learner: args.learner });
  if (!exam) return { exam: null, attempts: [], allowance: { attemptsResetAt: null, extraAttempts: 0, cooldownWaivedAt: null }, eligibility: null, openAttempt: null, certifications };
  const [attempts, allowance, latest, open] = await Promise.all([
    listExamAttempts(db, { userId, examId: exam.id }),
    getAllowance(db, { userId, examId: exam.id }),
    latestCertification(db, { userId, queue: exam.queue }),
    findOpenExamAttempt(db, { userId, examId: exam.id }),
  ]);
  // Only the attempt count and the cooldown matter to a manager here: the module and day checks are
  // the learner's own business (and cost a track outline to compute), so they are passed as met.
  const eligibility = examEligibility({
    modulesComplete: true,
    trackDay: Number.MAX_SAFE_INTEGER,
    blueprint: exam.blueprint,
    attempts: countedAttempts(attempts, allowance),
    extraAttempts: allowance.extraAttempts,
    cooldownWaivedAt: allowance.cooldownWaivedAt,
    certification: latest ? toDates(latest) : null,
    now,
  });
  return {
    exam: { id: exam.id, title: exam.title, attemptLimit: exam.blueprint.attemptLimit, cooldownHours: exam.blueprint.cooldownHours },
    attempts,
    allowance,
    eligibility: {
      attemptsUsed: eligibility.attemptsUsed,
      attemptsLeft: eligibility.attemptsLeft,
      cooldownEndsAt: eligibility.cooldownEndsAt?.toISOString() ?? null,
    },
    openAttempt: open ? { id: open.id, deadlineAt: open.deadline_at } : null,
    certifications,
  };
}

export interface AuditEntry {
  id: number;
  action: string;
  actorName: string | null;
  reason: string | null;
  createdAt: string;
}

/** What was done to or about this learner, newest first. */
export async function learnerAuditTrail(db: Executor, args: { userId: number; limit?: number }): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_events')
    .leftJoin('users as actor', 'actor.id', 'audit_events.actor_id')
    .select(['audit_events.id', 'audit_events.action', 'actor.name as actor_name', 'audit_events.reason', 'audit_events.created_at'])
    .where('audit_events.subject_user_id', '=', args.userId)
    .orderBy('audit_events.created_at', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(args.limit ?? 50)
    .execute();
  return rows.map((r) => ({ id: r.id, action: r.action, actorName: r.actor_name, reason: r.reason, createdAt: r.created_at }));
}
