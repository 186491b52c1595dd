// A learner's enrolment, the track's outline and their completions: what app/domain/schedule.ts needs.
import type { DB, Executor } from '~db/connect';
import type { LearnerCalendar, ScheduledLesson } from '~/domain/schedule';
import { contentVersion } from './content-version.server';
import { sectionLinks } from './handbook.server';
import { parseJsonArray } from './sql.server';

export interface Enrolment extends LearnerCalendar {
  trackId: string;
  cohortName: string | null;
  personalStart: boolean;
}

export async function getEnrolment(db: Executor, args: { userId: number; defaultTimeZone: string }): Promise<Enrolment | null> {
  const row = await db
    .selectFrom('enrolments')
    .leftJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
    .select([
      'enrolments.track_id',
      'enrolments.start_date as personal_start',
      'cohorts.start_date as cohort_start',
      'cohorts.time_zone',
      'cohorts.name as cohort_name',
    ])
    .where('enrolments.user_id', '=', args.userId)
    .executeTakeFirst();
  const startDate = row?.personal_start ?? row?.cohort_start;
  if (!row || !startDate) return null;
  return {
    trackId: row.track_id,
    startDate,
    timeZone: row.time_zone ?? args.defaultTimeZone,
    cohortName: row.cohort_name,
    personalStart: row.personal_start !== null,
  };
}

export interface OutlineLesson extends ScheduledLesson {
  title: string;
  minutes: number;
  position: number;
}

export interface TrackOutline {
  id: string;
  title: string;
  queue: string;
  days: number;
  modules: { id: string; week: number; title: string; summary: string; firstDay: number; lastDay: number }[];
  lessons: OutlineLesson[];
}

// The outline changes only when content is loaded (syncContent bumps the content version), so
// pages read it from memory instead of running three queries each time.
const outlineCache = new Map<string, { version: number; outline: TrackOutline }>();

export async function getTrackOutline(db: Executor, args: { trackId: string }): Promise<TrackOutline | null> {
  const version = contentVersion();
  const cached = outlineCache.get(args.trackId);
  if (cached?.version === version) return cached.outline;
  const outline = await readTrackOutline(db, args);
  if (outline) outlineCache.set(args.trackId, { version, outline });
  return outline;
}

async function readTrackOutline(db: Executor, args: { trackId: string }): Promise<TrackOutline | null> {
  const track = await db.selectFrom('tracks').select(['id', 'title', 'queue', 'days']).where('id', '=', args.trackId).executeTakeFirst();
  if (!track) return null;
  const [modules, lessons] = await Promise.all([
    db
      .selectFrom('modules')
      .select(['id', 'week', 'title', 'summary', 'first_day', 'last_day'])
      .where('track_id', '=', track.id)
      .orderBy('week')
      .execute(),
    db
      .selectFrom('lessons')
      .select(['id', 'module_id', 'title', 'day', 'minutes', 'position', 'prerequisites'])
      .where('track_id', '=', track.id)
      .where('retired_at', 'is', null)
      .orderBy('position')
      .execute(),
  ]);
  return {
    ...track,
    modules: modules.map((m) => ({ id: m.id, week: m.week, title: m.title, summary: m.summary, firstDay: m.first_day, lastDay: m.last_day })),
    lessons: lessons.map((l) => ({
      id: l.id,
      moduleId: l.module_id,
      title: l.title,
      day: l.day,
      minutes: l.minutes,
      position: l.position,
      prerequisites: parseJsonArray(l.prerequisites),
    })),
  };
}

export async function completedLessonIds(db: Executor, args: { userId: number }): Promise<Set<string>> {
  const rows = await db.selectFrom('lesson_completions').select('lesson_id').where('user_id', '=', args.userId).execute();
  return new Set(rows.map((r) => r.lesson_id));
}

export type LessonContent = NonNullable<Awaited<ReturnType<typeof readLessonContent>>>;
const lessonCache = new Map<string, { version: number; lesson: LessonContent }>();

/** A lesson's text and cited sections; like the outline, kept in memory until content changes. */
export async function getLessonContent(db: Executor, args: { lessonId: string; trackId: string }): Promise<LessonContent | null> {
  const key = `${args.trackId}/${args.lessonId}`;
  const version = contentVersion();
  const cached = lessonCache.get(key);
  if (cached?.version === version) return cached.lesson;
  const lesson = await readLessonContent(db, args);
  if (lesson) lessonCache.set(key, { version, lesson });
  return lesson;
}

async function readLessonContent(db: Executor, args: { lessonId: string; trackId: string }) {
  const lesson = await db
    .selectFrom('lessons')
    .select(['id', 'title', 'day', 'minutes', 'objectives', 'policy_refs', 'body_html', 'module_id'])
    .where('id', '=', args.lessonId)
    .where('track_id', '=', args.trackId)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  if (!lesson) return null;
  const policies = await sectionLinks(db, parseJsonArray(lesson.policy_refs));
  return {
    id: lesson.id,
    title: lesson.title,
    day: lesson.day,
    minutes: lesson.minutes,
    moduleId: lesson.module_id,
    objectives: parseJsonArray(lesson.objectives),
    bodyHtml: lesson.body_html,
    policies,
  };
}

/** Records a completion once; completing again changes nothing. */
export async function completeLesson(db: DB, args: { userId: number; lessonId: string; now?: Date }): Promise<void> {
  await db
    .insertInto('lesson_completions')
    .values({ user_id: args.userId, lesson_id: args.lessonId, completed_at: (args.now ?? new Date()).toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'lesson_id']).doNothing())
    .execute();
}

export async function enrol(
  db: Executor,
  args: { userId: number; trackId: string; cohortId: number | null; startDate: string | null; now?: Date },
): Promise<void> {
  const values = { track_id: args.trackId, cohort_id: args.cohortId, start_date: args.startDate };
  await db
    .insertInto('enrolments')
    .values({ user_id: args.userId, ...values, enrolled_at: (args.now ?? new Date()).toISOString() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** The track new learners are enrolled in: the shipped one (there is one track today). */
export async function defaultTrackId(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('tracks').select('id').orderBy('id').executeTakeFirst();
  return row?.id ?? null;
}

/** The raw enrolment settings (cohort and personal start date), for editing them. */
export async function getEnrolmentSettings(db: Executor, args: { userId: number }) {
  const row = await db.selectFrom('enrolments').select(['cohort_id', 'start_date']).where('user_id', '=', args.userId).executeTakeFirst();
  return row ?? null;
}

/** The weeks (module ids) a manager excused for this learner: they count as complete. */
export async function excusedModules(db: Executor, args: { userId: number }): Promise<Set<string>> {
  const rows = await db.selectFrom('module_excusals').select('module_id').where('user_id', '=', args.userId).execute();
  return new Set(rows.map((r) => r.module_id));
}
