// Managers and admins looking after learners. The scope is in every query: an admin reaches every
// learner, a manager only the learners enrolled in a cohort they manage. A learner outside the scope
// is simply not found (the route answers 404, not 403), so ids cannot be probed.
import { sql, type ExpressionBuilder } from 'kysely';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { Certification, Database, Role, UserStatus } from '~db/schema';
import { topicLabel } from '~/content/scenario-schema';
import { addDays } from '~/domain/calendar';
import { certificationStatus, examEligibility, type CertificationStatus, type EligibilityCheck, type ExamEligibility } from '~/domain/certification';
import { isModuleComplete, moduleProgress, trackPosition, type TrackPosition } from '~/domain/schedule';
import { listQuizzes, quizResults } from './attempt.server';
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
import { completedLessonIds, defaultTrackId, getEnrolment, getTrackOutline } from './learning.server';
import { containsText, fromFlag } from './sql.server';
import { recordAudit } from './user.server';

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
  lastActiveAt: string | null;
}

/** The learner, if the viewer may manage them; null otherwise (answer 404). */
export async function managedLearner(db: Executor, args: { viewer: Viewer; userId: number }): Promise<ManagedLearner | null> {
  if (!Number.isSafeInteger(args.userId)) return null;
  const row = await learnersInScope(db, args.viewer)
    .select(['users.id', 'users.name', 'users.email', 'users.status', 'users.last_active_at', 'cohorts.name as cohort_name', 'enrolments.track_id'])
    .where('users.id', '=', args.userId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    cohortName: row.cohort_name,
    trackId: row.track_id,
    lastActiveAt: row.last_active_at,
  };
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

export interface TopicScore {
  topic: string;
  label: string;
  score: number;
  max: number;
  /** Written replies still waiting for a trainer. */
  pending: number;
}

export type ManagedExamAttempt = ExamAttemptRow & {
  /** Counts towards the attempt limit (started after the last reset). */
  counted: boolean;
  /** Submitted attempts only, weakest topic first (those awaiting review last). */
  topics: TopicScore[];
};

export interface LearnerExamSituation {
  exam: { id: string; title: string; attemptLimit: number; cooldownHours: number; notBeforeDay: number } | null;
  attempts: ManagedExamAttempt[];
  allowance: ExamAllowance;
  eligibility: (Pick<ExamEligibility, 'eligible' | 'attemptsUsed' | 'attemptsLeft'> & { failed: EligibilityCheck[]; cooldownEndsAt: string | null }) | null;
  openAttempt: { id: number; deadlineAt: string | null } | null;
  certifications: (Certification & { status: CertificationStatus })[];
}

/** What the exam asks of the learner's progress; see learnerProgress. */
export interface ExamReadiness {
  modulesComplete: boolean;
  trackDay: number;
}

/**
 * Everything a manager needs to see about one learner's exam and certifications. Without `readiness`
 * the module and day checks are passed as met (only the attempts and the cooldown are judged).
 */
export async function learnerExamSituation(
  db: Executor,
  args: { learner: ManagedLearner; readiness?: ExamReadiness; now?: Date },
): Promise<LearnerExamSituation> {
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
  const topics = await examTopicScores(db, { attemptIds: attempts.filter((a) => a.status === 'submitted').map((a) => a.id) });
  const eligibility = examEligibility({
    modulesComplete: args.readiness?.modulesComplete ?? true,
    trackDay: args.readiness?.trackDay ?? Number.MAX_SAFE_INTEGER,
    blueprint: exam.blueprint,
    attempts: countedAttempts(attempts, allowance),
    extraAttempts: allowance.extraAttempts,
    cooldownWaivedAt: allowance.cooldownWaivedAt,
    certification: latest ? toDates(latest) : null,
    now,
  });
  const { blueprint } = exam;
  return {
    exam: { id: exam.id, title: exam.title, attemptLimit: blueprint.attemptLimit, cooldownHours: blueprint.cooldownHours, notBeforeDay: blueprint.eligibility.notBeforeDay },
    attempts: attempts.map((a) => ({
      ...a,
      counted: allowance.attemptsResetAt === null || a.startedAt > allowance.attemptsResetAt,
      topics: topics.get(a.id) ?? [],
    })),
    allowance,
    eligibility: {
      eligible: eligibility.eligible,
      failed: eligibility.failed,
      attemptsUsed: eligibility.attemptsUsed,
      attemptsLeft: eligibility.attemptsLeft,
      cooldownEndsAt: eligibility.cooldownEndsAt?.toISOString() ?? null,
    },
    openAttempt: open ? { id: open.id, deadlineAt: open.deadline_at } : null,
    certifications,
  };
}

/**
 * Score by topic of each exam attempt, weakest topic first. An item's topic is the one recorded for the
 * exact scenario version the attempt drew (scenario_items), so later edits to a case do not move it.
 * One grouped query over attempt_items' primary key (attempt_id, …) and scenario_items_unique.
 */
export async function examTopicScores(db: Executor, args: { attemptIds: readonly number[] }): Promise<Map<number, TopicScore[]>> {
  const byAttempt = new Map<number, TopicScore[]>();
  if (args.attemptIds.length === 0) return byAttempt;
  const rows = await db
    .selectFrom('attempt_items')
    .innerJoin('attempt_scenarios', (join) =>
      join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
    )
    .innerJoin('scenario_items', (join) =>
      join.onRef('scenario_items.scenario_version_id', '=', 'attempt_scenarios.scenario_version_id').onRef('scenario_items.item_key', '=', 'attempt_items.item_key'),
    )
    .select((eb) => [
      'attempt_items.attempt_id',
      'scenario_items.topic',
      eb.fn.sum<number>(eb.fn.coalesce('attempt_items.score', eb.lit(0))).as('score'),
      eb.fn.sum<number>(eb.fn.coalesce('attempt_items.max_score', 'scenario_items.points')).as('max'),
      eb.fn.sum<number>(eb.case().when('attempt_items.score', 'is', null).then(1).else(0).end()).as('pending'),
    ])
    .where('attempt_items.attempt_id', 'in', [...args.attemptIds])
    .groupBy(['attempt_items.attempt_id', 'scenario_items.topic'])
    .execute();
  for (const r of rows) {
    const list = byAttempt.get(r.attempt_id) ?? [];
    list.push({ topic: r.topic, label: topicLabel(r.topic), score: Number(r.score), max: Number(r.max), pending: Number(r.pending) });
    byAttempt.set(r.attempt_id, list);
  }
  // A topic with replies still waiting for a trainer has no share yet: it goes last.
  const share = (t: TopicScore) => (t.pending > 0 ? 2 : t.max > 0 ? t.score / t.max : 1);
  for (const list of byAttempt.values()) list.sort((a, b) => share(a) - share(b) || a.label.localeCompare(b.label));
  return byAttempt;
}

export interface WeekProgress {
  moduleId: string;
  week: number;
  title: string;
  firstDay: number;
  lastDay: number;
  lessonsDone: number;
  lessonsTotal: number;
  quiz: { title: string; passMark: number; bestPercent: number | null; passed: boolean; attempts: number } | null;
  /** Lessons done and quiz passed, or excused. */
  complete: boolean;
  excusal: { reason: string; byName: string | null; at: string } | null;
}

export interface LearnerProgress {
  trackTitle: string;
  /** The learner's day 1, and whether it is their own (else the cohort's). */
  startDate: string;
  personalStart: boolean;
  timeZone: string;
  position: TrackPosition;
  /** Day of the track today (0 or less: not started). */
  day: number;
  days: number;
  /** Lessons of days up to today not done, excused weeks left out. */
  lessonsOverdue: number;
  weeks: WeekProgress[];
  readiness: ExamReadiness;
}

/** Where the learner stands in their track: day, lessons per week, weekly quiz best scores, excused weeks. Null when not enrolled. */
export async function learnerProgress(db: Executor, args: { learner: Pick<ManagedLearner, 'id'>; defaultTimeZone: string; now?: Date }): Promise<LearnerProgress | null> {
  const now = args.now ?? new Date();
  const userId = args.learner.id;
  const enrolment = await getEnrolment(db, { userId, defaultTimeZone: args.defaultTimeZone });
  const outline = enrolment ? await getTrackOutline(db, { trackId: enrolment.trackId }) : null;
  if (!enrolment || !outline) return null;
  const [completed, quizzes, results, excusals] = await Promise.all([
    completedLessonIds(db, { userId }),
    listQuizzes(db, { trackId: enrolment.trackId }),
    quizResults(db, { userId }),
    db
      .selectFrom('module_excusals')
      .leftJoin('users as manager', 'manager.id', 'module_excusals.excused_by')
      .select(['module_excusals.module_id', 'module_excusals.reason', 'module_excusals.created_at', 'manager.name as manager_name'])
      .where('module_excusals.user_id', '=', userId)
      .execute(),
  ]);
  const position = trackPosition(enrolment, outline.days, now);
  const day = position.kind === 'not-started' ? 1 - position.daysToGo : position.day;
  const progress = moduleProgress(outline.modules.map((m) => m.id), outline.lessons, completed);
  const weeks = outline.modules.map((m): WeekProgress => {
    const p = progress.find((x) => x.moduleId === m.id) ?? { completed: 0, total: 0 };
    const quiz = quizzes.find((q) => q.moduleId === m.id);
    const result = quiz ? results.get(quiz.id) : undefined;
    const excusal = excusals.find((e) => e.module_id === m.id);
    return {
      moduleId: m.id,
      week: m.week,
      title: m.title,
      firstDay: m.firstDay,
      lastDay: m.lastDay,
      lessonsDone: p.completed,
      lessonsTotal: p.total,
      quiz: quiz ? { title: quiz.title, passMark: quiz.passMark, bestPercent: result?.bestPercent ?? null, passed: result?.passed ?? false, attempts: result?.attempts ?? 0 } : null,
      complete: excusal !== undefined || isModuleComplete(p, quiz ? { passed: result?.passed ?? false } : null),
      excusal: excusal ? { reason: excusal.reason, byName: excusal.manager_name, at: excusal.created_at } : null,
    };
  });
  const excused = new Set(excusals.map((e) => e.module_id));
  const lessonsOverdue = outline.lessons.filter((l) => l.day <= day && !completed.has(l.id) && !excused.has(l.moduleId)).length;
  return {
    trackTitle: outline.title,
    startDate: enrolment.startDate,
    personalStart: enrolment.personalStart,
    timeZone: enrolment.timeZone,
    position,
    day,
    days: outline.days,
    lessonsOverdue,
    weeks,
    readiness: { modulesComplete: weeks.every((w) => w.complete), trackDay: day },
  };
}

export type AuditDetails = Record<string, string | number | boolean | null>;

/** The scalar fields of an audit event's details (enough to describe it). */
function auditDetails(json: string | null): AuditDetails {
  if (!json) return {};
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const details: AuditDetails = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) details[key] = value as string | number | boolean | null;
  }
  return details;
}

export interface AuditEntry {
  id: number;
  action: string;
  actorName: string | null;
  reason: string | null;
  createdAt: string;
  details: AuditDetails;
}

/** What was done to or about this learner, newest first. */
export async function learnerAuditTrail(db: Executor, args: { userId: number; limit?: number }): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_events')
    .leftJoin('users as actor', 'actor.id', 'audit_events.actor_id')
    .select(['audit_events.id', 'audit_events.action', 'actor.name as actor_name', 'audit_events.reason', 'audit_events.created_at', 'audit_events.details'])
    .where('audit_events.subject_user_id', '=', args.userId)
    .orderBy('audit_events.created_at', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(args.limit ?? 50)
    .execute();
  return rows.map((r) => ({ id: r.id, action: r.action, actorName: r.actor_name, reason: r.reason, createdAt: r.created_at, details: auditDetails(r.details) }));
}

export type TimelineKind = 'lesson' | 'practice' | 'exam-started' | 'exam-submitted' | 'exam-graded' | 'audit';

export interface TimelineEvent {
  kind: TimelineKind;
  at: string;
  /** Lesson, quiz or exam title; the action of an audit event. */
  label: string;
  attemptId: number | null;
  score: number | null;
  maxScore: number | null;
  passed: boolean | null;
  /** Exam submitted by the server at the deadline. */
  auto: boolean;
  actorName: string | null;
  reason: string | null;
  details: AuditDetails;
}

/** Timeline page sizes: the page shows this many, then "show more" adds as many again. */
export const TIMELINE_STEP = 50;
export const TIMELINE_MAX = 1000;

/**
 * The learner's activity, newest first, merged in one query: lessons completed, practice quizzes
 * submitted, exam attempts started, submitted and (when a trainer finished later) graded, and every
 * audit event about them (certifications granted, revoked, reinstated; managers' acts). Each part reads
 * an index led by user_id (lesson_completions_pk, attempts_user_idx, audit_subject_idx).
 */
export async function learnerTimeline(db: Executor, args: { userId: number; limit: number }): Promise<{ events: TimelineEvent[]; more: boolean }> {
  const { userId } = args;
  const kind = (k: TimelineKind) => sql<TimelineKind>`${sql.lit(k)}`.as('kind');
  // Events at the same instant (a submission and the certification it earned) read in the order they happened.
  const sequence: Record<TimelineKind, number> = { lesson: 1, practice: 2, 'exam-started': 3, 'exam-submitted': 4, 'exam-graded': 5, audit: 6 };
  const rank = (k: TimelineKind) => sql<number>`${sql.lit(sequence[k])}`.as('rank');
  // Each part fills the columns it lacks with typed nulls, so the union lines up.
  const noNumber = <A extends string>(alias: A) => sql<number | null>`null`.as(alias);
  const noText = <A extends string>(alias: A) => sql<string | null>`null`.as(alias);
  const lessons = db
    .selectFrom('lesson_completions')
    .innerJoin('lessons', 'lessons.id', 'lesson_completions.lesson_id')
    .where('lesson_completions.user_id', '=', userId)
    .select([
      kind('lesson'),
      rank('lesson'),
      'lesson_completions.completed_at as at',
      'lessons.title as label',
      noNumber('attempt_id'),
      noNumber('score'),
      noNumber('max_score'),
      noNumber('passed'),
      noNumber('auto'),
      noText('actor_name'),
      noText('reason'),
      noText('details'),
    ]);
  const practice = db
    .selectFrom('attempts')
    .leftJoin('quizzes', 'quizzes.id', 'attempts.quiz_id')
    .where('attempts.user_id', '=', userId)
    .where('attempts.kind', '=', 'practice')
    .where('attempts.submitted_at', 'is not', null)
    .select((eb) => [
      kind('practice'),
      rank('practice'),
      sql<string>`${eb.ref('attempts.submitted_at')}`.as('at'),
      // No quiz: a single case practised from the week's extra cases (label empty).
      eb.fn.coalesce('quizzes.title', eb.val('')).as('label'),
      'attempts.id as attempt_id',
      'attempts.score',
      'attempts.max_score',
      'attempts.passed',
      noNumber('auto'),
      noText('actor_name'),
      noText('reason'),
      noText('details'),
    ]);
  const exam = (k: 'exam-started' | 'exam-submitted' | 'exam-graded') => {
    // The result belongs to the submission when it was final at once, else to the trainer's later grading.
    const withResult = (eb: ExpressionBuilder<Database, 'attempts'>, column: 'score' | 'max_score' | 'passed') =>
      (k === 'exam-started'
        ? sql<number | null>`null`
        : k === 'exam-submitted'
          ? sql<number | null>`case when ${eb.ref('attempts.graded_at')} = ${eb.ref('attempts.submitted_at')} then ${eb.ref(`attempts.${column}`)} end`
          : sql<number | null>`${eb.ref(`attempts.${column}`)}`
      ).as(column);
    const at = { 'exam-started': 'attempts.started_at', 'exam-submitted': 'attempts.submitted_at', 'exam-graded': 'attempts.graded_at' } as const;
    return db
      .selectFrom('attempts')
      .leftJoin('exams', 'exams.id', 'attempts.exam_id')
      .where('attempts.user_id', '=', userId)
      .where('attempts.kind', '=', 'exam')
      .where(at[k], 'is not', null)
      .select((eb) => [
        kind(k),
        rank(k),
        sql<string>`${eb.ref(at[k])}`.as('at'),
        eb.fn.coalesce('exams.title', eb.val('Certification exam')).as('label'),
        'attempts.id as attempt_id',
        withResult(eb, 'score'),
        withResult(eb, 'max_score'),
        withResult(eb, 'passed'),
        'attempts.auto_submitted as auto',
        noText('actor_name'),
        noText('reason'),
        noText('details'),
      ]);
  };
  const started = exam('exam-started');
  const submitted = exam('exam-submitted');
  const graded = exam('exam-graded').where('attempts.graded_at', '>', (eb) => eb.ref('attempts.submitted_at'));
  const audit = db
    .selectFrom('audit_events')
    .leftJoin('users as actor', 'actor.id', 'audit_events.actor_id')
    .where('audit_events.subject_user_id', '=', userId)
    .select([
      kind('audit'),
      rank('audit'),
      'audit_events.created_at as at',
      'audit_events.action as label',
      noNumber('attempt_id'),
      noNumber('score'),
      noNumber('max_score'),
      noNumber('passed'),
      noNumber('auto'),
      'actor.name as actor_name',
      'audit_events.reason',
      'audit_events.details',
    ]);
  const limit = Math.min(Math.max(1, Math.trunc(args.limit)), TIMELINE_MAX);
  const rows = await lessons
    .unionAll(practice)
    .unionAll(started)
    .unionAll(submitted)
    .unionAll(graded)
    .unionAll(audit)
    .orderBy('at', 'desc')
    .orderBy('rank', 'desc')
    .limit(limit + 1)
    .execute();
  const events = rows.slice(0, limit).map(
    (r): TimelineEvent => ({
      kind: r.kind,
      at: r.at,
      label: r.label,
      attemptId: r.attempt_id,
      score: r.score,
      maxScore: r.max_score,
      passed: r.passed === null ? null : fromFlag(r.passed),
      auto: fromFlag(r.auto),
      actorName: r.actor_name,
      reason: r.reason,
      details: auditDetails(r.details),
    }),
  );
  return { events, more: rows.length > limit };
}

export type ActResult = { ok: true } | { ok: false; reason: string; field?: 'moduleId' };

/**
 * Moves the learner's day 1 later by `days`: every lesson opens that many days later and today's day of
 * the track drops by as much. A learner who followed the cohort's start date gets a personal one.
 */
export async function extendSchedule(
  db: DB,
  args: { userId: number; days: number; actorId: number; reason: string; now?: Date },
): Promise<(ActResult & { ok: false }) | { ok: true; from: string; to: string }> {
  return writeTransaction(db, async (trx) => {
    const enrolment = await trx
      .selectFrom('enrolments')
      .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
      .select(['enrolments.start_date as personal_start', 'cohorts.start_date as cohort_start'])
      .where('enrolments.user_id', '=', args.userId)
      .executeTakeFirst();
    const from = enrolment?.personal_start ?? enrolment?.cohort_start ?? null;
    if (!from) return { ok: false, reason: 'This learner has no schedule yet: enrol them in a cohort or give them a start date first.' };
    const to = addDays(from, args.days);
    await trx.updateTable('enrolments').set({ start_date: to }).where('user_id', '=', args.userId).execute();
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'enrolment.schedule-extended',
      subjectUserId: args.userId,
      details: { days: args.days, from, to, fromCohortStart: enrolment?.personal_start === null },
      reason: args.reason,
      now: args.now,
    });
    return { ok: true, from, to };
  });
}

/** A week of the learner's own track (null for another track's module or a learner not enrolled). */
async function weekOfLearner(db: Executor, args: { userId: number; moduleId: string }) {
  const row = await db
    .selectFrom('modules')
    .innerJoin('enrolments', 'enrolments.track_id', 'modules.track_id')
    .select(['modules.id', 'modules.week', 'modules.title'])
    .where('enrolments.user_id', '=', args.userId)
    .where('modules.id', '=', args.moduleId)
    .executeTakeFirst();
  return row ?? null;
}

/** Excuses a week: it counts as complete for the exam (see requireExamContext). */
export async function excuseWeek(db: DB, args: { userId: number; moduleId: string; actorId: number; reason: string; now?: Date }): Promise<ActResult> {
  const now = args.now ?? new Date();
  return writeTransaction(db, async (trx) => {
    const week = await weekOfLearner(trx, args);
    if (!week) return { ok: false, field: 'moduleId', reason: 'Choose a week of the learner’s track.' };
    const existing = await trx.selectFrom('module_excusals').select('module_id').where('user_id', '=', args.userId).where('module_id', '=', week.id).executeTakeFirst();
    if (existing) return { ok: false, field: 'moduleId', reason: `Week ${week.week} is already excused.` };
    await trx
      .insertInto('module_excusals')
      .values({ user_id: args.userId, module_id: week.id, excused_by: args.actorId, reason: args.reason, created_at: now.toISOString() })
      .execute();
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'enrolment.week-excused',
      subjectUserId: args.userId,
      details: { moduleId: week.id, week: week.week, title: week.title },
      reason: args.reason,
      now,
    });
    return { ok: true };
  });
}

/** Withdraws an excusal: the week counts again only once its lessons and quiz are done. */
export async function unexcuseWeek(db: DB, args: { userId: number; moduleId: string; actorId: number; reason: string; now?: Date }): Promise<ActResult> {
  return writeTransaction(db, async (trx) => {
    const week = await weekOfLearner(trx, args);
    const removed = week
      ? await trx.deleteFrom('module_excusals').where('user_id', '=', args.userId).where('module_id', '=', week.id).returning('reason').executeTakeFirst()
      : undefined;
    if (!week || !removed) return { ok: false, reason: 'This week is not excused.' };
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'enrolment.week-unexcused',
      subjectUserId: args.userId,
      details: { moduleId: week.id, week: week.week, title: week.title, excusedFor: removed.reason },
      reason: args.reason,
      now: args.now,
    });
    return { ok: true };
  });
}
