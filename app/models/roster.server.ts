// The roster at /manage and its CSV export: one row per learner in the viewer's scope, with their
// day in the track, lessons done, weekly quiz bests, status and at-risk reasons.
//
// Set-based: one query for the learners in scope (the scope is in its WHERE, as in manage.server.ts),
// then one aggregate per kind of record for a whole set of learners at once (lesson completions,
// practice attempts, exam attempts, allowances, certifications, excused weeks); the pure rules of
// app/domain/learner-status.ts then decide in memory.
// - Sorted by name or last activity with no status or at-risk filter (the default view), SQL sorts and
//   cuts the page, and only that page's learners are computed.
// - Filtering by status or risk, or sorting by day, lessons or status, needs the computed values: every
//   learner in scope is computed, then filtered, sorted and cut.
// Indexes relied on: lesson_completions' primary key (user_id, lesson_id), attempts_user_idx
// (user_id, quiz_id, status), attempts_exam_idx (user_id, exam_id, status), certifications_user_idx
// (user_id, queue), the primary keys of exam_allowances and module_excusals (user_id first),
// enrolments' primary key (user_id) and enrolments_cohort_idx for a manager's cohorts.
import { sql, type Expression, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Executor } from '~db/connect';
import { daysBetween, localDate } from '~/domain/calendar';
import { certificationStatus, type CertificationDates, type CertificationStatus, type ExamAttemptSummary } from '~/domain/certification';
import {
  learnerStanding,
  LEARNER_STATUSES,
  type AtRiskReason,
  type LearnerStatus,
  type LearnerStatusKind,
  type QuizRecord,
  type RosterLesson,
  type RosterQuiz,
} from '~/domain/learner-status';
import { listQuizzes } from './attempt.server';
import { listExams, type Exam } from './exam.server';
import { defaultTrackId, getTrackOutline, type TrackOutline } from './learning.server';
import type { Viewer } from './manage.server';
import { containsText, fromFlag } from './sql.server';

export const ROSTER_SORTS = ['name', 'day', 'lessons', 'status', 'lastActive'] as const;
export type RosterSortKey = (typeof ROSTER_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

export interface RosterFilters {
  /** Name, email or cohort name contains this (case-insensitive). */
  q?: string;
  cohortId?: number;
  status?: LearnerStatusKind;
  /** Only learners with at least one at-risk reason. */
  atRisk?: boolean;
}

export interface RosterSort {
  by: RosterSortKey;
  dir: SortDirection;
}

export interface RosterQuizScore {
  week: number;
  /** 0–100; null when never submitted. */
  bestPercent: number | null;
  passed: boolean;
}

export interface RosterRow {
  id: number;
  name: string;
  email: string;
  disabled: boolean;
  cohortId: number | null;
  cohortName: string | null;
  /** Today's day of the track (0 or less: not started yet); null without a start date. */
  trackDay: number | null;
  trackDays: number | null;
  lessonsDone: number;
  lessonsTotal: number;
  /** One per weekly quiz of the learner's track, by week. */
  quizzes: RosterQuizScore[];
  status: LearnerStatus;
  atRiskReasons: AtRiskReason[];
  /** Of the latest certification for the track's queue; null when never certified. */
  certification: CertificationStatus | null;
  certifiedUntil: string | null;
  lastActiveAt: string | null;
}

interface RosterArgs {
  viewer: Viewer;
  filters: RosterFilters;
  sort: RosterSort;
  now?: Date;
  /** For learners without a cohort (their day starts at midnight there). */
  defaultTimeZone?: string;
}

// ---------------------------------------------------------------------------------------------
// The query string shared by the page and the CSV export.

const queryShape = z.object({
  q: z.string().trim().max(100).catch(''),
  cohort: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(LEARNER_STATUSES).optional().catch(undefined),
  atRisk: z.enum(['1', 'on', 'true']).optional().catch(undefined),
  sort: z.enum(ROSTER_SORTS).catch('name'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  page: z.coerce.number().int().positive().catch(1),
});

/** Filters, sort and page from /manage or /manage/export.csv; anything unknown or malformed is ignored. */
export function rosterQueryFromUrl(url: string | URL): { filters: RosterFilters; sort: RosterSort; page: number } {
  const params = new URL(url).searchParams;
  const raw = Object.fromEntries([...params.keys()].map((key) => [key, params.get(key) ?? undefined]));
  const parsed = queryShape.parse(raw);
  return {
    filters: { q: parsed.q || undefined, cohortId: parsed.cohort, status: parsed.status, atRisk: parsed.atRisk !== undefined || undefined },
    sort: { by: parsed.sort, dir: parsed.dir },
    page: parsed.page,
  };
}

/** The same filters and sort as a query string (page left out), for links and the CSV export. */
export function rosterQueryString(filters: RosterFilters, sort: RosterSort): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.cohortId !== undefined) params.set('cohort', String(filters.cohortId));
  if (filters.status) params.set('status', filters.status);
  if (filters.atRisk) params.set('atRisk', '1');
  if (sort.by !== 'name') params.set('sort', sort.by);
  if (sort.dir !== 'asc') params.set('dir', sort.dir);
  return params.toString();
}

// ---------------------------------------------------------------------------------------------
// Scope

/** Learners (by enrolment or role) the viewer may see: an admin every one, a manager those in a cohort they manage. */
function learnersInScope(db: Executor, viewer: Viewer) {
  let query = db
    .selectFrom('users')
    .leftJoin('enrolments', 'enrolments.user_id', 'users.id')
    .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id');
  if (viewer.roles.includes('admin')) {
    query = query.where((eb) =>
      eb.or([
        eb('enrolments.user_id', 'is not', null),
        eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', 'learner')),
      ]),
    );
  } else {
    // A learner without a cohort is the admins' to look after.
    query = query.where('enrolments.cohort_id', 'in', (eb) => eb.selectFrom('cohort_managers').select('cohort_managers.cohort_id').where('cohort_managers.user_id', '=', viewer.id));
  }
  return query;
}

/** The cohorts the viewer may filter by: those they manage (an admin: all). */
export async function rosterCohorts(db: Executor, args: { viewer: Viewer }): Promise<{ id: number; name: string }[]> {
  let query = db.selectFrom('cohorts').select(['cohorts.id', 'cohorts.name']);
  if (!args.viewer.roles.includes('admin')) {
    query = query.where('cohorts.id', 'in', (eb) => eb.selectFrom('cohort_managers').select('cohort_managers.cohort_id').where('cohort_managers.user_id', '=', args.viewer.id));
  }
  return query.orderBy('cohorts.start_date', 'desc').orderBy('cohorts.name').execute();
}

// ---------------------------------------------------------------------------------------------
// Computing the rows

/** `column IN (the ids)`, the ids passed as one JSON parameter rather than thousands of them. */
function inIds(column: string, ids: readonly number[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
}

interface TrackPlan {
  outline: TrackOutline | null;
  lessons: RosterLesson[];
  quizzes: RosterQuiz[];
  exam: Exam | null;
}

async function trackPlan(db: Executor, trackId: string, exams: readonly Exam[]): Promise<TrackPlan> {
  const [outline, quizzes] = await Promise.all([getTrackOutline(db, { trackId }), listQuizzes(db, { trackId })]);
  const weekOf = new Map(outline?.modules.map((m) => [m.id, m.week]) ?? []);
  return {
    outline,
    lessons: outline?.lessons.map((l) => ({ id: l.id, moduleId: l.moduleId, day: l.day })) ?? [],
    quizzes: quizzes.map((q) => ({ id: q.id, moduleId: q.moduleId, week: weekOf.get(q.moduleId) ?? 0 })).sort((a, b) => a.week - b.week),
    exam: exams.find((e) => e.trackId === trackId) ?? null,
  };
}

const BITS_PER_CHUNK = 30;

/** The learners in scope matching the SQL filters (q, cohort), with what computing their rows needs. */
function learnerQuery(db: Executor, args: Pick<RosterArgs, 'viewer' | 'filters'>) {
  let query = learnersInScope(db, args.viewer);
  const term = args.filters.q?.trim();
  if (term) query = query.where((eb) => eb.or([containsText('users.name', term), containsText('users.email', term), containsText('cohorts.name', term)]));
  if (args.filters.cohortId !== undefined) query = query.where('enrolments.cohort_id', '=', args.filters.cohortId);
  return query;
}

/** Only what deciding the status needs: names, emails and cohorts are read for the rows shown. */
function selectLearners(query: ReturnType<typeof learnerQuery>) {
  return query.select([
    'users.id',
    'users.last_active_at',
    'enrolments.track_id',
    'enrolments.start_date as personal_start',
    'cohorts.start_date as cohort_start',
    'cohorts.time_zone',
  ]);
}

type LearnerRecord = Awaited<ReturnType<ReturnType<typeof selectLearners>['execute']>>[number];

/** What decides a row's status and its place in a computed sort; the rest of the row is read for the rows shown. */
type Standing = Pick<RosterRow, 'id' | 'trackDay' | 'trackDays' | 'lessonsDone' | 'lessonsTotal' | 'status' | 'atRiskReasons' | 'certification' | 'certifiedUntil' | 'lastActiveAt'> & {
  trackId: string | null;
};

/** Sorted by SQL: by name (case-insensitive, then id), or by last activity (never active lowest) then name. */
function sqlOrdered(query: ReturnType<typeof selectLearners>, sort: RosterSort) {
  const byName = sql`users.name collate nocase`;
  if (sort.by === 'lastActive') return query.orderBy('users.last_active_at', sort.dir).orderBy(byName).orderBy('users.id');
  return query.orderBy(byName, sort.dir).orderBy('users.id', sort.dir);
}

/** Where each of these learners stands, in the order given. */
async function computeStandings(db: Executor, learners: readonly LearnerRecord[], context: { now: Date; defaultTimeZone: string }): Promise<Standing[]> {
  const { now, defaultTimeZone } = context;
  if (learners.length === 0) return [];

  // The tracks involved (a learner without an enrolment is shown against the default track's exam).
  const fallbackTrack = learners.some((l) => l.track_id === null) ? await defaultTrackId(db) : null;
  const trackIds = [...new Set(learners.map((l) => l.track_id ?? fallbackTrack).filter((t): t is string => t !== null))];
  const exams = await listExams(db);
  const plans = new Map<string, TrackPlan>();
  for (const trackId of trackIds) plans.set(trackId, await trackPlan(db, trackId, exams));

  // Every lesson of those tracks gets a bit; completions come back as a few bitmasks per learner.
  const lessonIds = [...new Set([...plans.values()].flatMap((p) => p.lessons.map((l) => l.id)))];
  const chunks: string[][] = [];
  for (let i = 0; i < lessonIds.length; i += BITS_PER_CHUNK) chunks.push(lessonIds.slice(i, i + BITS_PER_CHUNK));

  const ids = learners.map((l) => l.id);
  const [completionRows, practiceRows, examRows, allowanceRows, certificationRows, excusalRows] = await Promise.all([
    chunks.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('lesson_completions')
          .select('user_id')
          .select(
            chunks.map((chunk, c) =>
              sql<number>`sum(case lesson_id ${sql.join(
                chunk.map((id, bit) => sql`when ${id} then ${sql.lit(2 ** bit)}`),
                sql` `,
              )} else 0 end)`.as(`bits${c}`),
            ),
          )
          .where(inIds('user_id', ids))
          .groupBy('user_id')
          .execute(),
    db
      .selectFrom('attempts')
      .select(['user_id', 'quiz_id', sql<number>`sum(case when passed = 1 then 0 else 1 end)`.as('failures'), sql<number>`max(passed = 1)`.as('passed')])
      .where(inIds('user_id', ids))
      // The unary + keeps SQLite on attempts_user_idx (by learner) instead of scanning every submitted attempt.
      .where(sql`+kind`, '=', 'practice')
      .where(sql`+status`, '=', 'submitted')
      .groupBy(['user_id', 'quiz_id'])
      .execute(),
    db
      .selectFrom('attempts')
      .select(['user_id', 'exam_id', 'status', 'passed', 'started_at', 'submitted_at'])
      .where(inIds('user_id', ids))
      // exam_id (not kind) so attempts_exam_idx finds them without reading every practice attempt.
      .where('exam_id', 'is not', null)
      .where('kind', '=', 'exam')
      .execute(),
    db
      .selectFrom('exam_allowances')
      .select(['user_id', 'exam_id', 'attempts_reset_at', 'extra_attempts', 'cooldown_waived_at'])
      .where(inIds('user_id', ids))
      .execute(),
    db
      .selectFrom('certifications')
      .select(['id', 'user_id', 'queue', 'issued_at', 'expires_at', 'revoked_at'])
      .where(inIds('user_id', ids))
      .execute(),
    db.selectFrom('module_excusals').select(['user_id', 'module_id']).where(inIds('user_id', ids)).execute(),
  ]);

  // A learner's completions stay bitmasks; `has` reads the lesson's bit (no set per learner).
  const bitOf = new Map(chunks.flatMap((chunk, c) => chunk.map((id, bit) => [id, { c, bit }] as const)));
  const completedBy = new Map<number, { has(lessonId: string): boolean }>();
  for (const row of completionRows as ({ user_id: number } & Record<string, number>)[]) {
    const masks = chunks.map((_, c) => Number(row[`bits${c}`] ?? 0));
    completedBy.set(row.user_id, {
      has(lessonId) {
        const at = bitOf.get(lessonId);
        return at !== undefined && ((masks[at.c] ?? 0) >>> at.bit) % 2 === 1;
      },
    });
  }
  const quizzesBy = groupBy(practiceRows, (r) => r.user_id);
  const examAttemptsBy = groupBy(examRows, (r) => r.user_id);
  const allowancesBy = groupBy(allowanceRows, (r) => r.user_id);
  const certificationsBy = groupBy(certificationRows, (r) => r.user_id);
  const excusedBy = groupBy(excusalRows, (r) => r.user_id);

  // The track day per (start date, time zone): computed once per cohort, not per learner.
  const days = new Map<string, number>();
  const dayFor = (startDate: string, timeZone: string) => {
    const key = `${startDate} ${timeZone}`;
    let day = days.get(key);
    if (day === undefined) {
      day = daysBetween(startDate, localDate(now, timeZone)) + 1;
      days.set(key, day);
    }
    return day;
  };
  const none = new Set<string>();

  return learners.map((learner): Standing => {
    const trackId = learner.track_id ?? fallbackTrack;
    const plan = trackId ? plans.get(trackId) : undefined;
    const lessons = plan?.lessons ?? [];
    const quizzes = plan?.quizzes ?? [];
    const exam = plan?.exam ?? null;
    const startDate = learner.track_id === null ? null : (learner.personal_start ?? learner.cohort_start);
    const trackDay = startDate ? dayFor(startDate, learner.time_zone ?? defaultTimeZone) : null;
    const completed = completedBy.get(learner.id) ?? none;
    const excusedModules = excusedBy.has(learner.id) ? new Set(excusedBy.get(learner.id)?.map((e) => e.module_id)) : none;

    const quizResults = new Map<string, QuizRecord>();
    for (const row of quizzesBy.get(learner.id) ?? []) {
      if (row.quiz_id === null) continue;
      quizResults.set(row.quiz_id, { failures: Number(row.failures), passed: Number(row.passed) === 1 });
    }

    // The latest certification for the exam's queue decides the certification state.
    const latest = exam
      ? (certificationsBy.get(learner.id) ?? [])
          .filter((c) => c.queue === exam.queue)
          .reduce<(typeof certificationRows)[number] | null>(
            (best, c) => (best === null || c.issued_at > best.issued_at || (c.issued_at === best.issued_at && c.id > best.id) ? c : best),
            null,
          )
      : null;
    const certification: CertificationDates | null = latest ? { issuedAt: latest.issued_at, expiresAt: latest.expires_at, revokedAt: latest.revoked_at } : null;

    let examInput = null;
    if (exam) {
      const allowance = allowancesBy.get(learner.id)?.find((a) => a.exam_id === exam.id);
      const resetAt = allowance?.attempts_reset_at ?? null;
      const attempts: ExamAttemptSummary[] = [];
      const uncounted: ExamAttemptSummary[] = [];
      for (const a of examAttemptsBy.get(learner.id) ?? []) {
        if (a.exam_id !== exam.id) continue;
        const summary = { status: a.status, passed: a.passed === null ? null : fromFlag(a.passed), submittedAt: a.submitted_at };
        // As countedAttempts in exam.server: attempts started after the last reset count.
        (resetAt === null || a.started_at > resetAt ? attempts : uncounted).push(summary);
      }
      examInput = { blueprint: exam.blueprint, attempts, uncounted, extraAttempts: allowance?.extra_attempts ?? 0, cooldownWaivedAt: allowance?.cooldown_waived_at ?? null };
    }

    const { status, reasons } = learnerStanding({
      trackDay,
      lessons,
      completed,
      excusedModules,
      quizzes,
      quizResults,
      lastActiveAt: learner.last_active_at,
      now,
      exam: examInput,
      certification,
    });
    return {
      id: learner.id,
      trackId,
      trackDay,
      trackDays: plan?.outline?.days ?? null,
      lessonsDone: lessons.reduce((n, l) => n + (completed.has(l.id) ? 1 : 0), 0),
      lessonsTotal: lessons.length,
      status,
      atRiskReasons: reasons,
      certification: certification ? certificationStatus(certification, now) : null,
      certifiedUntil: status.kind === 'certified' ? status.until : null,
      lastActiveAt: learner.last_active_at,
    };
  });
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** The rest of each row (name, email, cohort, weekly quiz bests), read for these learners only. */
async function withDetails(db: Executor, standings: readonly Standing[]): Promise<RosterRow[]> {
  if (standings.length === 0) return [];
  const ids = standings.map((s) => s.id);
  const [people, bests, exams] = await Promise.all([
    db
      .selectFrom('users')
      .leftJoin('enrolments', 'enrolments.user_id', 'users.id')
      .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
      .select(['users.id', 'users.name', 'users.email', 'users.status', 'cohorts.id as cohort_id', 'cohorts.name as cohort_name'])
      .where(inIds('users.id', ids))
      .execute(),
    db
      .selectFrom('attempts')
      .select(['user_id', 'quiz_id', sql<number | null>`max(case when max_score > 0 then score * 1.0 / max_score else 0 end)`.as('best'), sql<number>`max(passed = 1)`.as('passed')])
      .where(inIds('user_id', ids))
      .where(sql`+kind`, '=', 'practice')
      .where(sql`+status`, '=', 'submitted')
      .groupBy(['user_id', 'quiz_id'])
      .execute(),
    listExams(db),
  ]);
  const personById = new Map(people.map((p) => [p.id, p]));
  const bestsBy = groupBy(bests, (b) => b.user_id);
  const plans = new Map<string, TrackPlan>();
  for (const trackId of new Set(standings.flatMap((s) => (s.trackId ? [s.trackId] : [])))) plans.set(trackId, await trackPlan(db, trackId, exams));
  return standings.map(({ trackId, ...standing }) => {
    const person = personById.get(standing.id);
    const results = bestsBy.get(standing.id) ?? [];
    const quizzes = (trackId ? plans.get(trackId)?.quizzes : undefined) ?? [];
    return {
      ...standing,
      name: person?.name ?? '',
      email: person?.email ?? '',
      disabled: person?.status === 'disabled',
      cohortId: person?.cohort_id ?? null,
      cohortName: person?.cohort_name ?? null,
      quizzes: quizzes.map((q) => {
        const result = results.find((r) => r.quiz_id === q.id);
        return { week: q.week, bestPercent: result ? Math.round(100 * Number(result.best ?? 0)) : null, passed: Number(result?.passed ?? 0) === 1 };
      }),
    };
  });
}

const statusRank = new Map<LearnerStatusKind, number>(LEARNER_STATUSES.map((s, i) => [s, i]));

/** Sort keys; null (no start date, never active) sorts lowest. Ties keep name order. */
const sortValue: Record<RosterSortKey, ((row: Standing) => number) | null> = {
  name: null,
  day: (row) => row.trackDay ?? -Infinity,
  lessons: (row) => row.lessonsDone,
  status: (row) => statusRank.get(row.status.kind) ?? 0,
  lastActive: (row) => (row.lastActiveAt ? Date.parse(row.lastActiveAt) : -Infinity),
};

/** Whether the SQL order and page will do: nothing computed is filtered or sorted on. */
function sortedInSql(filters: RosterFilters, sort: RosterSort): boolean {
  return !filters.status && !filters.atRisk && (sort.by === 'name' || sort.by === 'lastActive');
}

/** Every learner in scope, computed, filtered by status and risk, and sorted. */
async function computedRoster(db: Executor, args: RosterArgs): Promise<Standing[]> {
  const learners = await sqlOrdered(selectLearners(learnerQuery(db, args)), { by: 'name', dir: 'asc' }).execute();
  let rows = await computeStandings(db, learners, context(args));
  if (args.filters.status) rows = rows.filter((r) => r.status.kind === args.filters.status);
  if (args.filters.atRisk) rows = rows.filter((r) => r.atRiskReasons.length > 0);
  const value = sortValue[args.sort.by];
  if (value === null) return args.sort.dir === 'asc' ? rows : rows.reverse();
  const sign = args.sort.dir === 'asc' ? 1 : -1;
  // Array.prototype.sort is stable: equal keys stay in name order, whichever the direction.
  return rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return x === y ? 0 : x < y ? -sign : sign;
  });
}

function context(args: Pick<RosterArgs, 'now' | 'defaultTimeZone'>) {
  return { now: args.now ?? new Date(), defaultTimeZone: args.defaultTimeZone ?? 'UTC' };
}

export interface RosterPage {
  rows: RosterRow[];
  total: number;
  page: number;
  perPage: number;
  /** Weeks that have a quiz: the quiz columns. */
  weeks: number[];
}

/** One page of the roster. A page past the end shows the last one. */
export async function rosterPage(db: Executor, args: RosterArgs & { page: number; perPage: number }): Promise<RosterPage> {
  const weeks = await quizWeeks(db);
  const pageOf = (total: number) => Math.min(Math.max(1, Math.floor(args.page)), Math.max(1, Math.ceil(total / args.perPage)));
  if (sortedInSql(args.filters, args.sort)) {
    const query = learnerQuery(db, args);
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const page = pageOf(Number(total));
    const learners = await sqlOrdered(selectLearners(query), args.sort)
      .limit(args.perPage)
      .offset((page - 1) * args.perPage)
      .execute();
    const rows = await withDetails(db, await computeStandings(db, learners, context(args)));
    return { rows, total: Number(total), page, perPage: args.perPage, weeks };
  }
  const standings = await computedRoster(db, args);
  const page = pageOf(standings.length);
  const rows = await withDetails(db, standings.slice((page - 1) * args.perPage, page * args.perPage));
  return { rows, total: standings.length, page, perPage: args.perPage, weeks };
}

/** The weeks that have a quiz in any track: the quiz columns (one column per week, whoever is shown). */
async function quizWeeks(db: Executor): Promise<number[]> {
  const tracks = await db.selectFrom('tracks').select('id').execute();
  const exams = await listExams(db);
  const weeks = new Set<number>();
  for (const track of tracks) for (const quiz of (await trackPlan(db, track.id, exams)).quizzes) weeks.add(quiz.week);
  return [...weeks].sort((a, b) => a - b);
}

/**
 * Every row of the filtered roster in order, in batches (for the CSV export). In the default order the
 * learners are read and computed a batch at a time, so the first rows go out before the last are read.
 */
export async function rosterRows(db: Executor, args: RosterArgs & { batchSize?: number }): Promise<{ weeks: number[]; batches: AsyncGenerator<RosterRow[]> }> {
  const size = args.batchSize ?? 1000;
  const weeks = await quizWeeks(db);
  async function* batches(): AsyncGenerator<RosterRow[]> {
    if (sortedInSql(args.filters, args.sort)) {
      const learners = await sqlOrdered(selectLearners(learnerQuery(db, args)), args.sort).execute();
      for (let i = 0; i < learners.length; i += size) yield await withDetails(db, await computeStandings(db, learners.slice(i, i + size), context(args)));
      return;
    }
    const standings = await computedRoster(db, args);
    for (let i = 0; i < standings.length; i += size) yield await withDetails(db, standings.slice(i, i + size));
  }
  return { weeks, batches: batches() };
}
