// What a learner can open today. Pure: given the track's lessons, the learner's start date and time
// zone, their completions and the current instant, it decides; nothing here reads a clock or a database.
import { addDays, daysBetween, localDate } from './calendar';

export interface ScheduledLesson {
  id: string;
  moduleId: string;
  day: number;
  prerequisites: readonly string[];
}

export interface LearnerCalendar {
  /** The learner's day 1: a personal start date, or else the cohort's. */
  startDate: string;
  /** The cohort's IANA time zone: a day begins at local midnight there. */
  timeZone: string;
}

export type LessonState =
  | { status: 'completed' }
  | { status: 'available' }
  | { status: 'locked'; opensOn: string | null; waitingFor: string[] };

export type TrackPosition =
  | { kind: 'not-started'; startsOn: string; daysToGo: number }
  | { kind: 'in-progress'; day: number; of: number }
  | { kind: 'finished'; day: number; of: number };

/** Day N of the track at `now` (day 1 is the start date; 0 or less means not started yet). */
export function trackDay(calendar: LearnerCalendar, now: Date): number {
  return daysBetween(calendar.startDate, localDate(now, calendar.timeZone)) + 1;
}

/** The calendar date on which a lesson scheduled for `day` opens. */
export function opensOn(calendar: LearnerCalendar, day: number): string {
  return addDays(calendar.startDate, day - 1);
}

export function trackPosition(calendar: LearnerCalendar, trackDays: number, now: Date): TrackPosition {
  const day = trackDay(calendar, now);
  if (day < 1) return { kind: 'not-started', startsOn: calendar.startDate, daysToGo: 1 - day };
  if (day > trackDays) return { kind: 'finished', day, of: trackDays };
  return { kind: 'in-progress', day, of: trackDays };
}

/**
 * Each lesson's state. A lesson opens on its day of the track and once all its prerequisites are
 * complete. A completed lesson stays completed even if the schedule later moves.
 */
export function lessonStates(
  lessons: readonly ScheduledLesson[],
  calendar: LearnerCalendar,
  completed: ReadonlySet<string>,
  now: Date,
): Map<string, LessonState> {
  const today = trackDay(calendar, now);
  const states = new Map<string, LessonState>();
  for (const lesson of lessons) {
    if (completed.has(lesson.id)) {
      states.set(lesson.id, { status: 'completed' });
      continue;
    }
    const waitingFor = lesson.prerequisites.filter((id) => !completed.has(id));
    if (lesson.day <= today && waitingFor.length === 0) {
      states.set(lesson.id, { status: 'available' });
    } else {
      states.set(lesson.id, {
        status: 'locked',
        opensOn: lesson.day > today ? opensOn(calendar, lesson.day) : null,
        waitingFor,
      });
    }
  }
  return states;
}

export interface ModuleProgress {
  moduleId: string;
  completed: number;
  total: number;
  /** 0–100, rounded down so 100 means every lesson is done. */
  percent: number;
}

export function moduleProgress(
  moduleIds: readonly string[],
  lessons: readonly ScheduledLesson[],
  completed: ReadonlySet<string>,
): ModuleProgress[] {
  return moduleIds.map((moduleId) => {
    const inModule = lessons.filter((l) => l.moduleId === moduleId);
    const done = inModule.filter((l) => completed.has(l.id)).length;
    const total = inModule.length;
    return { moduleId, completed: done, total, percent: total === 0 ? 0 : Math.floor((done * 100) / total) };
  });
}

/**
 * The lessons to show under "Today": those scheduled for today, then earlier ones still open
 * (a late joiner or someone who fell behind catches up from here).
 */
export function todaysLessons(
  lessons: readonly ScheduledLesson[],
  states: ReadonlyMap<string, LessonState>,
  today: number,
): { today: string[]; catchUp: string[] } {
  const scheduledToday = lessons.filter((l) => l.day === today).map((l) => l.id);
  const catchUp = lessons
    .filter((l) => l.day < today && states.get(l.id)?.status !== 'completed')
    .map((l) => l.id);
  return { today: scheduledToday, catchUp };
}

/**
 * A weekly module is complete when all its lessons are done and its practice quiz (if it has one)
 * has been passed at least once.
 */
export function isModuleComplete(progress: Pick<ModuleProgress, 'completed' | 'total'>, quiz: { passed: boolean } | null): boolean {
  return progress.completed === progress.total && (quiz === null || quiz.passed);
}
