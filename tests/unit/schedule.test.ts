import { describe, expect, it } from 'vitest';
import {
  lessonStates,
  moduleProgress,
  opensOn,
  todaysLessons,
  trackDay,
  trackPosition,
  type LearnerCalendar,
  type LessonState,
  type ScheduledLesson,
} from '~/domain/schedule';

// A cut-down copy of the shipped track: several lessons on day 1, prerequisite chains, empty days.
const LESSONS: ScheduledLesson[] = [
  { id: 'welcome', moduleId: 'week-1', day: 1, prerequisites: [] },
  { id: 'escalations', moduleId: 'week-1', day: 1, prerequisites: ['welcome'] },
  { id: 'orders', moduleId: 'week-1', day: 2, prerequisites: [] },
  { id: 'privacy', moduleId: 'week-1', day: 3, prerequisites: [] },
  { id: 'case-notes', moduleId: 'week-1', day: 5, prerequisites: ['escalations'] },
  { id: 'return-rule', moduleId: 'week-2', day: 8, prerequisites: [] },
  { id: 'tracking', moduleId: 'week-2', day: 9, prerequisites: [] },
  { id: 'lost-parcels', moduleId: 'week-2', day: 10, prerequisites: ['tracking'] },
  { id: 'address-changes', moduleId: 'week-2', day: 11, prerequisites: [] },
  { id: 'refund-release', moduleId: 'week-2', day: 12, prerequisites: ['return-rule'] },
  { id: 'disputes', moduleId: 'week-3', day: 15, prerequisites: [] },
  { id: 'fraud', moduleId: 'week-4', day: 22, prerequisites: [] },
  { id: 'certification', moduleId: 'week-4', day: 26, prerequisites: [] },
];
const MODULES = ['week-1', 'week-2', 'week-3', 'week-4'];
const TRACK_DAYS = 28;

const none = new Set<string>();
const at = (iso: string) => new Date(iso);
const statusOf = (states: Map<string, LessonState>) => Object.fromEntries([...states].map(([id, s]) => [id, s.status]));

/** The UTC instant of local midnight at the start of `date`, given the zone's UTC offset (hours) at that moment. */
function localMidnight(date: string, utcOffsetHours: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - utcOffsetHours * 3_600_000);
}

/** `date` plus `days`, computed independently of the code under test. */
function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

describe('trackDay', () => {
  const shanghai: LearnerCalendar = { startDate: '2026-05-04', timeZone: 'Asia/Shanghai' };

  it('is 1 on the start date and 0 the day before', () => {
    expect(trackDay(shanghai, at('2026-05-04T04:00:00Z'))).toBe(1); // 12:00 in Shanghai
    expect(trackDay(shanghai, at('2026-05-03T04:00:00Z'))).toBe(0);
    expect(trackDay(shanghai, at('2026-04-24T04:00:00Z'))).toBe(-9);
    expect(trackDay(shanghai, at('2026-05-31T04:00:00Z'))).toBe(28);
    expect(trackDay(shanghai, at('2026-06-01T04:00:00Z'))).toBe(29);
  });

  it("turns over at local midnight in the cohort's zone, not at UTC midnight", () => {
    // Midnight 4 May in Shanghai (UTC+8) is 16:00 UTC on 3 May.
    expect(trackDay(shanghai, at('2026-05-03T15:59:59Z'))).toBe(0); // 23:59:59 on 3 May
    expect(trackDay(shanghai, at('2026-05-03T16:00:00Z'))).toBe(1); // 00:00:00 on 4 May
    expect(trackDay(shanghai, at('2026-05-04T15:59:59Z'))).toBe(1); // 23:59:59 on 4 May
    expect(trackDay(shanghai, at('2026-05-04T16:00:00Z'))).toBe(2); // 00:00:00 on 5 May
    // At UTC midnight on 4 May it has been day 1 in Shanghai for eight hours already.
    expect(trackDay(shanghai, at('2026-05-04T00:00:00Z'))).toBe(1);
  });

  it('gives the same instant a different day in a different zone', () => {
    const instant = at('2026-05-04T02:00:00Z'); // 10:00 in Shanghai, 22:00 on 3 May in New York
    expect(trackDay({ startDate: '2026-05-04', timeZone: 'Asia/Shanghai' }, instant)).toBe(1);
    expect(trackDay({ startDate: '2026-05-04', timeZone: 'America/New_York' }, instant)).toBe(0);
    expect(trackDay({ startDate: '2026-05-04', timeZone: 'Pacific/Kiritimati' }, instant)).toBe(1);
  });

  it('counts across a year end', () => {
    const calendar: LearnerCalendar = { startDate: '2026-12-20', timeZone: 'Europe/London' };
    expect(trackDay(calendar, at('2026-12-31T23:59:59Z'))).toBe(12);
    expect(trackDay(calendar, at('2027-01-01T00:00:00Z'))).toBe(13);
    expect(trackDay(calendar, at('2027-01-16T12:00:00Z'))).toBe(28);
  });
});

describe('opensOn', () => {
  it('is the start date for day 1 and start + N - 1 for day N', () => {
    const calendar: LearnerCalendar = { startDate: '2026-02-20', timeZone: 'America/New_York' };
    expect(opensOn(calendar, 1)).toBe('2026-02-20');
    expect(opensOn(calendar, 2)).toBe('2026-02-21');
    expect(opensOn(calendar, 10)).toBe('2026-03-01');
    expect(opensOn(calendar, 28)).toBe('2026-03-19');
  });
});

// Daylight saving: a day is 23 or 25 hours long, so counting 24-hour periods from the start would drift
// by an hour. Offsets below are the zone's UTC offset at local midnight of each date.
const DST_COHORTS: { name: string; calendar: LearnerCalendar; offsetAt: (date: string) => number; change: string }[] = [
  {
    name: 'New York, spring forward on 8 March 2026',
    calendar: { startDate: '2026-02-23', timeZone: 'America/New_York' },
    offsetAt: (date) => (date > '2026-03-08' ? -4 : -5),
    change: '2026-03-08',
  },
  {
    name: 'New York, fall back on 1 November 2026',
    calendar: { startDate: '2026-10-19', timeZone: 'America/New_York' },
    offsetAt: (date) => (date > '2026-11-01' ? -5 : -4),
    change: '2026-11-01',
  },
  {
    name: 'Berlin, spring forward on 29 March 2026',
    calendar: { startDate: '2026-03-16', timeZone: 'Europe/Berlin' },
    offsetAt: (date) => (date > '2026-03-29' ? 2 : 1),
    change: '2026-03-29',
  },
  {
    name: 'Berlin, fall back on 25 October 2026',
    calendar: { startDate: '2026-10-12', timeZone: 'Europe/Berlin' },
    offsetAt: (date) => (date > '2026-10-25' ? 1 : 2),
    change: '2026-10-25',
  },
];

describe.each(DST_COHORTS)('a cohort whose 28 days span a daylight-saving change: $name', ({ calendar, offsetAt, change }) => {
  const days = Array.from({ length: TRACK_DAYS }, (_, i) => i + 1);
  const dateOf = (day: number) => plusDays(calendar.startDate, day - 1);
  const midnightOf = (day: number) => localMidnight(dateOf(day), offsetAt(dateOf(day)));

  it('spans the change', () => {
    expect(dateOf(1) < change && change <= dateOf(TRACK_DAYS)).toBe(true);
  });

  it('advances exactly one day at each local midnight', () => {
    for (const day of days) {
      const midnight = midnightOf(day);
      expect(trackDay(calendar, new Date(midnight.getTime() - 1000)), `one second before day ${day}`).toBe(day - 1);
      expect(trackDay(calendar, midnight), `at the start of day ${day}`).toBe(day);
      expect(trackDay(calendar, new Date(midnight.getTime() + 1000)), `one second into day ${day}`).toBe(day);
    }
  });

  it('opens the lesson of day N at local midnight of start + N - 1', () => {
    for (const day of days) {
      const lesson: ScheduledLesson = { id: `day-${day}`, moduleId: 'm', day, prerequisites: [] };
      const midnight = midnightOf(day);
      const before = lessonStates([lesson], calendar, none, new Date(midnight.getTime() - 1000)).get(lesson.id);
      const after = lessonStates([lesson], calendar, none, new Date(midnight.getTime() + 1000)).get(lesson.id);
      expect(before, `one second before day ${day}`).toEqual({ status: 'locked', opensOn: dateOf(day), waitingFor: [] });
      expect(after, `one second into day ${day}`).toEqual({ status: 'available' });
    }
  });

  it('has a short or long day around the change and still counts it once', () => {
    const changeDay = days.find((d) => dateOf(d) === change)!;
    const hours = (midnightOf(changeDay + 1).getTime() - midnightOf(changeDay).getTime()) / 3_600_000;
    expect([23, 25]).toContain(hours);
    // Halfway through the odd-length day it is still that day.
    expect(trackDay(calendar, new Date(midnightOf(changeDay).getTime() + (hours / 2) * 3_600_000))).toBe(changeDay);
  });
});

describe('daylight-saving boundaries with literal instants', () => {
  it('New York: day 15 of a cohort starting 23 February opens at 04:00 UTC on 9 March (EDT), not 05:00', () => {
    const calendar: LearnerCalendar = { startDate: '2026-02-23', timeZone: 'America/New_York' };
    const day15: ScheduledLesson = { id: 'day-15', moduleId: 'week-3', day: 15, prerequisites: [] };
    expect(trackDay(calendar, at('2026-03-09T03:59:59Z'))).toBe(14);
    expect(trackDay(calendar, at('2026-03-09T04:00:00Z'))).toBe(15);
    // 14 × 24 hours after the first midnight (05:00 UTC on 23 February) would be 05:00 UTC: an hour late.
    expect(lessonStates([day15], calendar, none, at('2026-03-09T04:30:00Z')).get('day-15')).toEqual({ status: 'available' });
    expect(lessonStates([day15], calendar, none, at('2026-03-09T03:59:59Z')).get('day-15')).toEqual({
      status: 'locked',
      opensOn: '2026-03-09',
      waitingFor: [],
    });
  });

  it('New York: after falling back, day 15 of a cohort starting 19 October opens at 05:00 UTC on 2 November', () => {
    const calendar: LearnerCalendar = { startDate: '2026-10-19', timeZone: 'America/New_York' };
    expect(trackDay(calendar, at('2026-11-01T03:59:59Z'))).toBe(13);
    expect(trackDay(calendar, at('2026-11-01T04:00:00Z'))).toBe(14); // midnight EDT
    expect(trackDay(calendar, at('2026-11-02T04:30:00Z'))).toBe(14); // 23:30 EST, the 25-hour day
    expect(trackDay(calendar, at('2026-11-02T04:59:59Z'))).toBe(14);
    expect(trackDay(calendar, at('2026-11-02T05:00:00Z'))).toBe(15);
  });

  it('Berlin: spring forward on 29 March and fall back on 25 October', () => {
    const spring: LearnerCalendar = { startDate: '2026-03-16', timeZone: 'Europe/Berlin' };
    expect(trackDay(spring, at('2026-03-28T22:59:59Z'))).toBe(13);
    expect(trackDay(spring, at('2026-03-28T23:00:00Z'))).toBe(14); // midnight CET
    expect(trackDay(spring, at('2026-03-29T21:59:59Z'))).toBe(14);
    expect(trackDay(spring, at('2026-03-29T22:00:00Z'))).toBe(15); // midnight CEST, 23 hours later
    const autumn: LearnerCalendar = { startDate: '2026-10-12', timeZone: 'Europe/Berlin' };
    expect(trackDay(autumn, at('2026-10-24T21:59:59Z'))).toBe(13);
    expect(trackDay(autumn, at('2026-10-24T22:00:00Z'))).toBe(14); // midnight CEST
    expect(trackDay(autumn, at('2026-10-25T22:59:59Z'))).toBe(14);
    expect(trackDay(autumn, at('2026-10-25T23:00:00Z'))).toBe(15); // midnight CET, 25 hours later
  });
});

describe('lessonStates', () => {
  const calendar: LearnerCalendar = { startDate: '2026-06-01', timeZone: 'Europe/London' };
  const dayOne = at('2026-06-01T08:00:00Z'); // 09:00 BST on day 1

  it('before the start date everything is locked and says when it opens', () => {
    const states = lessonStates(LESSONS, calendar, none, at('2026-05-31T22:59:59Z'));
    expect(states.get('welcome')).toEqual({ status: 'locked', opensOn: '2026-06-01', waitingFor: [] });
    expect(states.get('orders')).toEqual({ status: 'locked', opensOn: '2026-06-02', waitingFor: [] });
    expect(states.get('certification')).toEqual({ status: 'locked', opensOn: '2026-06-26', waitingFor: [] });
    expect([...states.values()].every((s) => s.status === 'locked')).toBe(true);
  });

  it('on day 1 opens the first lesson; the next is waiting for it; later days show their date', () => {
    const states = lessonStates(LESSONS, calendar, none, dayOne);
    expect(states.get('welcome')).toEqual({ status: 'available' });
    expect(states.get('escalations')).toEqual({ status: 'locked', opensOn: null, waitingFor: ['welcome'] });
    expect(states.get('orders')).toEqual({ status: 'locked', opensOn: '2026-06-02', waitingFor: [] });
    // A future lesson with an incomplete prerequisite names both.
    expect(states.get('case-notes')).toEqual({ status: 'locked', opensOn: '2026-06-05', waitingFor: ['escalations'] });
    expect(states.size).toBe(LESSONS.length);
  });

  it('unlocks a lesson as soon as its prerequisite is completed, on a day that has come', () => {
    const states = lessonStates(LESSONS, calendar, new Set(['welcome']), dayOne);
    expect(states.get('welcome')).toEqual({ status: 'completed' });
    expect(states.get('escalations')).toEqual({ status: 'available' });
  });

  it('does not open a lesson early because its prerequisite is done', () => {
    const states = lessonStates(LESSONS, calendar, new Set(['welcome', 'escalations']), dayOne);
    expect(states.get('case-notes')).toEqual({ status: 'locked', opensOn: '2026-06-05', waitingFor: [] });
  });

  it('keeps a completed lesson completed, even if the schedule says it has not opened', () => {
    // e.g. the start date was moved later after the learner had already done it
    const moved: LearnerCalendar = { startDate: '2026-06-20', timeZone: 'Europe/London' };
    const states = lessonStates(LESSONS, moved, new Set(['welcome', 'fraud']), dayOne);
    expect(states.get('welcome')).toEqual({ status: 'completed' });
    expect(states.get('fraud')).toEqual({ status: 'completed' });
    expect(states.get('orders')).toEqual({ status: 'locked', opensOn: '2026-06-21', waitingFor: [] });
  });

  it('keeps a completed lesson completed when its own prerequisite is not', () => {
    const states = lessonStates(LESSONS, calendar, new Set(['escalations']), dayOne);
    expect(states.get('escalations')).toEqual({ status: 'completed' });
    expect(states.get('welcome')).toEqual({ status: 'available' });
  });

  it('lists every incomplete prerequisite, in order', () => {
    const lessons: ScheduledLesson[] = [
      { id: 'a', moduleId: 'm', day: 1, prerequisites: [] },
      { id: 'b', moduleId: 'm', day: 1, prerequisites: [] },
      { id: 'c', moduleId: 'm', day: 1, prerequisites: [] },
      { id: 'final', moduleId: 'm', day: 2, prerequisites: ['a', 'b', 'c'] },
    ];
    const dayTwo = at('2026-06-02T12:00:00Z');
    expect(lessonStates(lessons, calendar, new Set(['b']), dayTwo).get('final')).toEqual({
      status: 'locked',
      opensOn: null,
      waitingFor: ['a', 'c'],
    });
    expect(lessonStates(lessons, calendar, new Set(['a', 'b', 'c']), dayTwo).get('final')).toEqual({ status: 'available' });
  });

  it('everything is completed or available after the last day once all prerequisites are met', () => {
    const done = new Set(['welcome', 'escalations', 'tracking', 'return-rule']);
    const states = lessonStates(LESSONS, calendar, done, at('2026-07-15T12:00:00Z'));
    for (const lesson of LESSONS) {
      expect(states.get(lesson.id)?.status, lesson.id).toBe(done.has(lesson.id) ? 'completed' : 'available');
    }
  });
});

describe('a late joiner', () => {
  // Enrolled in a cohort that started ten days ago: today is day 11 in the cohort's zone.
  const cohort: LearnerCalendar = { startDate: '2026-04-01', timeZone: 'Asia/Shanghai' };
  const now = at('2026-04-11T02:00:00Z'); // 10:00 on 11 April in Shanghai

  it('is on day 11', () => {
    expect(trackDay(cohort, now)).toBe(11);
    expect(trackPosition(cohort, TRACK_DAYS, now)).toEqual({ kind: 'in-progress', day: 11, of: TRACK_DAYS });
  });

  it('can open every lesson of days 1 to 11 that has no unmet prerequisite, and nothing later', () => {
    const states = lessonStates(LESSONS, cohort, none, now);
    expect(statusOf(states)).toEqual({
      welcome: 'available',
      escalations: 'locked',
      orders: 'available',
      privacy: 'available',
      'case-notes': 'locked',
      'return-rule': 'available',
      tracking: 'available',
      'lost-parcels': 'locked',
      'address-changes': 'available',
      'refund-release': 'locked',
      disputes: 'locked',
      fraud: 'locked',
      certification: 'locked',
    });
    // The ones of days 1–11 are only waiting for a prerequisite, not for a date.
    expect(states.get('escalations')).toEqual({ status: 'locked', opensOn: null, waitingFor: ['welcome'] });
    expect(states.get('lost-parcels')).toEqual({ status: 'locked', opensOn: null, waitingFor: ['tracking'] });
    expect(states.get('refund-release')).toEqual({ status: 'locked', opensOn: '2026-04-12', waitingFor: ['return-rule'] });
  });

  it('can open every lesson of days 1 to 11 once their prerequisites are done', () => {
    const done = new Set(['welcome', 'escalations', 'tracking']);
    const states = lessonStates(LESSONS, cohort, done, now);
    for (const lesson of LESSONS.filter((l) => l.day <= 11 && !done.has(l.id))) {
      expect(states.get(lesson.id), lesson.id).toEqual({ status: 'available' });
    }
    for (const lesson of LESSONS.filter((l) => l.day > 11)) expect(states.get(lesson.id)?.status, lesson.id).toBe('locked');
  });

  it("sees today's lesson and a catch-up list of the earlier ones not yet done", () => {
    const completed = new Set(['welcome', 'orders']);
    const states = lessonStates(LESSONS, cohort, completed, now);
    expect(todaysLessons(LESSONS, states, trackDay(cohort, now))).toEqual({
      today: ['address-changes'],
      catchUp: ['escalations', 'privacy', 'case-notes', 'return-rule', 'tracking', 'lost-parcels'],
    });
  });
});

describe('a personal start date', () => {
  // The cohort started on 1 April; this learner was given 8 April as their day 1. The cohort's zone still decides midnight.
  const cohort: LearnerCalendar = { startDate: '2026-04-01', timeZone: 'America/New_York' };
  const personal: LearnerCalendar = { ...cohort, startDate: '2026-04-08' };
  const now = at('2026-04-10T16:00:00Z'); // noon in New York on 10 April

  it('counts the learner’s days from their own start date', () => {
    expect(trackDay(cohort, now)).toBe(10);
    expect(trackDay(personal, now)).toBe(3);
    expect(opensOn(personal, 8)).toBe('2026-04-15');
  });

  it('decides which lessons are open from the personal date', () => {
    const cohortStates = lessonStates(LESSONS, cohort, none, now);
    const personalStates = lessonStates(LESSONS, personal, none, now);
    expect(cohortStates.get('return-rule')).toEqual({ status: 'available' });
    expect(personalStates.get('return-rule')).toEqual({ status: 'locked', opensOn: '2026-04-15', waitingFor: [] });
    expect(personalStates.get('privacy')).toEqual({ status: 'available' });
    expect(personalStates.get('case-notes')).toEqual({ status: 'locked', opensOn: '2026-04-12', waitingFor: ['escalations'] });
  });

  it('can be in the future while the cohort is already running', () => {
    const later: LearnerCalendar = { ...cohort, startDate: '2026-04-13' };
    expect(trackPosition(later, TRACK_DAYS, now)).toEqual({ kind: 'not-started', startsOn: '2026-04-13', daysToGo: 3 });
    expect(statusOf(lessonStates(LESSONS, later, none, now)).welcome).toBe('locked');
  });
});

describe('trackPosition', () => {
  const calendar: LearnerCalendar = { startDate: '2026-09-01', timeZone: 'Pacific/Auckland' };
  // Midnight 1 September in Auckland (NZST, UTC+12) is 12:00 UTC on 31 August.

  it('is not-started before the start date, counting the days to go', () => {
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-08-31T11:59:59Z'))).toEqual({ kind: 'not-started', startsOn: '2026-09-01', daysToGo: 1 });
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-08-25T12:00:00Z'))).toEqual({ kind: 'not-started', startsOn: '2026-09-01', daysToGo: 6 });
  });

  it('is in-progress from day 1 to the last day', () => {
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-08-31T12:00:00Z'))).toEqual({ kind: 'in-progress', day: 1, of: 28 });
    // Auckland moves to NZDT (UTC+13) on 27 September, day 27; day 28 (28 September) starts at 11:00 UTC on the 27th.
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-09-27T10:59:59Z'))).toEqual({ kind: 'in-progress', day: 27, of: 28 });
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-09-27T11:00:00Z'))).toEqual({ kind: 'in-progress', day: 28, of: 28 });
  });

  it('is finished after the last day', () => {
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-09-28T10:59:59Z'))).toEqual({ kind: 'in-progress', day: 28, of: 28 });
    expect(trackPosition(calendar, TRACK_DAYS, at('2026-09-28T11:00:00Z'))).toEqual({ kind: 'finished', day: 29, of: 28 });
    expect(trackPosition(calendar, TRACK_DAYS, at('2027-01-01T00:00:00Z'))).toMatchObject({ kind: 'finished', of: 28 });
  });
});

describe('moduleProgress', () => {
  it('is 0% for every module when nothing is done', () => {
    expect(moduleProgress(MODULES, LESSONS, none)).toEqual([
      { moduleId: 'week-1', completed: 0, total: 5, percent: 0 },
      { moduleId: 'week-2', completed: 0, total: 5, percent: 0 },
      { moduleId: 'week-3', completed: 0, total: 1, percent: 0 },
      { moduleId: 'week-4', completed: 0, total: 2, percent: 0 },
    ]);
  });

  it('rounds down, so 100% means every lesson is done', () => {
    const lessons: ScheduledLesson[] = Array.from({ length: 3 }, (_, i) => ({ id: `l${i}`, moduleId: 'm', day: i + 1, prerequisites: [] }));
    expect(moduleProgress(['m'], lessons, new Set(['l0']))[0]?.percent).toBe(33);
    expect(moduleProgress(['m'], lessons, new Set(['l0', 'l1']))[0]?.percent).toBe(66); // not 67
    expect(moduleProgress(['m'], lessons, new Set(['l0', 'l1', 'l2']))[0]).toEqual({ moduleId: 'm', completed: 3, total: 3, percent: 100 });

    const many: ScheduledLesson[] = Array.from({ length: 200 }, (_, i) => ({ id: `l${i}`, moduleId: 'm', day: 1, prerequisites: [] }));
    const allButOne = new Set(many.slice(1).map((l) => l.id));
    expect(moduleProgress(['m'], many, allButOne)[0]?.percent).toBe(99); // 99.5% is not 100
  });

  it('counts only the lessons of each module', () => {
    const done = new Set(['welcome', 'escalations', 'orders', 'privacy', 'case-notes', 'return-rule', 'certification']);
    expect(moduleProgress(MODULES, LESSONS, done)).toEqual([
      { moduleId: 'week-1', completed: 5, total: 5, percent: 100 },
      { moduleId: 'week-2', completed: 1, total: 5, percent: 20 },
      { moduleId: 'week-3', completed: 0, total: 1, percent: 0 },
      { moduleId: 'week-4', completed: 1, total: 2, percent: 50 },
    ]);
  });

  it('is 0% (not 100%) for a module with no lessons, and ignores completions of unknown lessons', () => {
    expect(moduleProgress(['week-5'], LESSONS, new Set(['welcome', 'retired-lesson']))).toEqual([
      { moduleId: 'week-5', completed: 0, total: 0, percent: 0 },
    ]);
    expect(moduleProgress(['week-3'], LESSONS, new Set(['retired-lesson']))[0]?.completed).toBe(0);
  });

  it('keeps the order of the modules it is given', () => {
    expect(moduleProgress(['week-4', 'week-1'], LESSONS, none).map((m) => m.moduleId)).toEqual(['week-4', 'week-1']);
  });
});

describe('todaysLessons', () => {
  const calendar: LearnerCalendar = { startDate: '2026-06-01', timeZone: 'Europe/London' };

  it('on day 1 shows both day-1 lessons and nothing to catch up', () => {
    const now = at('2026-06-01T08:00:00Z');
    const states = lessonStates(LESSONS, calendar, none, now);
    expect(todaysLessons(LESSONS, states, trackDay(calendar, now))).toEqual({ today: ['welcome', 'escalations'], catchUp: [] });
  });

  it('keeps a lesson of today under today even when it is done', () => {
    const now = at('2026-06-01T08:00:00Z');
    const states = lessonStates(LESSONS, calendar, new Set(['welcome']), now);
    expect(todaysLessons(LESSONS, states, 1).today).toEqual(['welcome', 'escalations']);
  });

  it('on a day without a lesson shows only the catch-up list', () => {
    const now = at('2026-06-04T08:00:00Z'); // day 4
    const states = lessonStates(LESSONS, calendar, new Set(['welcome', 'escalations', 'orders']), now);
    expect(todaysLessons(LESSONS, states, 4)).toEqual({ today: [], catchUp: ['privacy'] });
  });

  it('has an empty catch-up list for someone who is up to date', () => {
    const now = at('2026-06-09T08:00:00Z'); // day 9
    const done = new Set(['welcome', 'escalations', 'orders', 'privacy', 'case-notes', 'return-rule']);
    const states = lessonStates(LESSONS, calendar, done, now);
    expect(todaysLessons(LESSONS, states, 9)).toEqual({ today: ['tracking'], catchUp: [] });
  });

  it('shows nothing before the start and everything left after the end', () => {
    const before = lessonStates(LESSONS, calendar, none, at('2026-05-30T08:00:00Z'));
    expect(todaysLessons(LESSONS, before, -1)).toEqual({ today: [], catchUp: [] });
    const after = lessonStates(LESSONS, calendar, new Set(['welcome']), at('2026-07-01T08:00:00Z'));
    const agenda = todaysLessons(LESSONS, after, 31);
    expect(agenda.today).toEqual([]);
    expect(agenda.catchUp).toEqual(LESSONS.filter((l) => l.id !== 'welcome').map((l) => l.id));
  });
});
