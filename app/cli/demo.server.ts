// demo:seed — a cohort and one user of every role, with learners at different points of the track,
// so the app can be shown or tried without typing anything in. Running it again adds only what is missing.
import path from 'node:path';
import { type DB, writeTransaction } from '~db/connect';
import type { Role } from '~db/schema';
import { formatContentError, loadContent } from '~/content/load.server';
import { addDays, localDate } from '~/domain/calendar';
import { trackPosition } from '~/domain/schedule';
import { env } from '~/env.server';
import { createCohort, findCohortByName, listCohorts } from '~/models/cohort.server';
import { syncContent } from '~/models/content.server';
import { completedLessonIds, completeLesson, defaultTrackId, enrol, getEnrolment, getTrackOutline, type TrackOutline } from '~/models/learning.server';
import { hashPassword } from '~/models/password.server';
import { findUserByEmail, getUserWithRoles } from '~/models/user.server';
import { CliError, formatTable, parseOptions, type CliCommand } from './command.server';
import { createAccount, generatePassword } from './users.server';

export const DEMO_COHORT = 'Demo cohort';
/** Day 13 of the track today: the cohort started 12 days ago. */
const COHORT_DAYS_AGO = 12;

interface Learning {
  /** In the demo cohort, or a personal start this many days ago. */
  start: { cohort: true } | { cohort: false; daysAgo: number };
  /** Enrolled this many days before today (a late joiner enrolled today). */
  enrolledDaysAgo: number;
  /** The lessons done so far, chosen from the track. */
  completes: (outline: TrackOutline) => Set<string>;
}

interface DemoUser {
  email: string;
  name: string;
  roles: Role[];
  learning?: Learning;
}

const nothing = () => new Set<string>();

/** Keeps only lessons whose prerequisites are also in the set, so the progress is one a learner could have made. */
function withPrerequisites(outline: TrackOutline, wanted: Set<string>): Set<string> {
  const chosen = new Set(wanted);
  for (const lesson of outline.lessons) {
    if (chosen.has(lesson.id) && lesson.prerequisites.some((p) => !chosen.has(p))) chosen.delete(lesson.id);
  }
  return chosen;
}

/** Every lesson of weeks 1 and 2 except the last one: most of the work up to day 13. */
function weeksOneAndTwoButOne(outline: TrackOutline): Set<string> {
  const modules = new Set(outline.modules.filter((m) => m.week <= 2).map((m) => m.id));
  const lessons = outline.lessons.filter((l) => modules.has(l.moduleId));
  return withPrerequisites(outline, new Set(lessons.slice(0, -1).map((l) => l.id)));
}

/** The whole track except its last lesson. */
function allButTheLast(outline: TrackOutline): Set<string> {
  return withPrerequisites(outline, new Set(outline.lessons.slice(0, -1).map((l) => l.id)));
}

const DEMO_USERS: DemoUser[] = [
  { email: 'admin@demo.frontline.test', name: 'Alex Morgan', roles: ['admin'] },
  { email: 'trainer@demo.frontline.test', name: 'Jordan Lee', roles: ['trainer'] },
  { email: 'manager@demo.frontline.test', name: 'Sam Rivera', roles: ['manager'] },
  {
    email: 'learner@demo.frontline.test',
    name: 'Priya Shah',
    roles: ['learner'],
    learning: { start: { cohort: true }, enrolledDaysAgo: COHORT_DAYS_AGO + 3, completes: weeksOneAndTwoButOne },
  },
  {
    email: 'late.joiner@demo.frontline.test',
    name: 'Tom Becker',
    roles: ['learner'],
    learning: { start: { cohort: true }, enrolledDaysAgo: 0, completes: nothing },
  },
  {
    email: 'new.starter@demo.frontline.test',
    name: 'Mei Chen',
    roles: ['learner'],
    learning: { start: { cohort: false, daysAgo: 0 }, enrolledDaysAgo: 0, completes: nothing },
  },
  {
    email: 'nearly.done@demo.frontline.test',
    name: 'Kofi Mensah',
    roles: ['learner'],
    learning: { start: { cohort: false, daysAgo: 26 }, enrolledDaysAgo: 27, completes: allButTheLast },
  },
];

/** Midday UTC of a calendar date (the same date in every zone from UTC−11 to UTC+11), never later than now. */
function middayOf(date: string, now: Date): Date {
  return new Date(Math.min(Date.parse(`${date}T12:00:00Z`), now.getTime() - 60_000));
}

async function seedLearner(
  trx: DB,
  args: { userId: number; learning: Learning; outline: TrackOutline; cohort: { id: number; start_date: string }; today: string; now: Date },
) {
  const { learning, outline, cohort, today, now } = args;
  const personalStart = learning.start.cohort ? null : addDays(today, -learning.start.daysAgo);
  const startDate = personalStart ?? cohort.start_date;
  await enrol(trx, {
    userId: args.userId,
    trackId: outline.id,
    cohortId: personalStart ? null : cohort.id,
    startDate: personalStart,
    now: middayOf(addDays(today, -learning.enrolledDaysAgo), now),
  });
  const completed = learning.completes(outline);
  for (const lesson of outline.lessons) {
    if (!completed.has(lesson.id)) continue;
    // Done on the day the lesson opened.
    await completeLesson(trx, { userId: args.userId, lessonId: lesson.id, now: middayOf(addDays(startDate, lesson.day - 1), now) });
  }
}

/** "Demo cohort · day 13 of 28 · 10/21 lessons done", from what the database holds now. */
async function whereTheyAre(db: DB, args: { userId: number; roles: Role[]; outline: TrackOutline; timeZone: string; now: Date }) {
  const parts: string[] = [];
  if (args.roles.includes('manager')) {
    const managed = (await listCohorts(db)).filter((c) => c.managers.some((m) => m.id === args.userId));
    if (managed.length) parts.push(`manages ${managed.map((c) => `${c.name} (${c.learners} learners)`).join(', ')}`);
  }
  const enrolment = await getEnrolment(db, { userId: args.userId, defaultTimeZone: args.timeZone });
  if (enrolment) {
    const done = await completedLessonIds(db, { userId: args.userId });
    const lessonsDone = args.outline.lessons.filter((l) => done.has(l.id)).length;
    const position = trackPosition(enrolment, args.outline.days, args.now);
    const group = enrolment.personalStart ? `own start ${enrolment.startDate}` : (enrolment.cohortName ?? 'cohort');
    const day =
      position.kind === 'not-started' ? `starts in ${position.daysToGo} days` : position.kind === 'finished' ? 'track finished' : `day ${position.day} of ${position.of}`;
    parts.push(`${group} · ${day} · ${lessonsDone}/${args.outline.lessons.length} lessons done`);
  }
  return parts.join('; ') || '—';
}

export const demoSeed: CliCommand = {
  name: 'demo:seed',
  usage: '',
  details: ['Existing demo users are left as they are, with the password they were given when created.'],
  async run({ argv, database }) {
    parseOptions(this, argv, {});
    const config = env();
    const { db } = await database();

    const loaded = loadContent(path.resolve(config.CONTENT_DIR));
    if (!loaded.ok) {
      for (const error of loaded.errors) console.error(formatContentError(error));
      throw new CliError(`Content in ${config.CONTENT_DIR} is invalid (see above): fix it, or check it with content:check.`);
    }
    const synced = await syncContent(db, loaded.content);
    console.log(`Content loaded: ${loaded.content.lessons.length} lessons (${synced.created} new, ${synced.updated} updated, ${synced.retired} retired).`);
    const trackId = await defaultTrackId(db);
    const outline = trackId ? await getTrackOutline(db, { trackId }) : null;
    if (!outline) throw new CliError('No track was loaded from content/.');

    const timeZone = config.DEFAULT_TIME_ZONE;
    const now = new Date();
    const today = localDate(now, timeZone);
    const password = generatePassword();
    let passwordHash: Promise<string> | undefined;

    const created = new Set<string>();
    const userIds = new Map<string, number>();
    const staff = DEMO_USERS.filter((u) => !u.learning);
    const learners = DEMO_USERS.filter((u) => u.learning);

    // Hashing happens before each transaction: on SQLite a transaction holds the only connection.
    const ensureUser = async (user: DemoUser, afterInsert?: (trx: DB, userId: number) => Promise<void>) => {
      const existing = await findUserByEmail(db, { email: user.email });
      if (existing) {
        userIds.set(user.email, existing.id);
        return;
      }
      passwordHash ??= hashPassword(password);
      const hash = await passwordHash;
      const userId = await writeTransaction(db, async (trx) => {
        const id = await createAccount(trx, { email: user.email, name: user.name, passwordHash: hash, roles: user.roles, via: 'demo:seed' });
        await afterInsert?.(trx, id);
        return id;
      });
      userIds.set(user.email, userId);
      created.add(user.email);
    };

    for (const user of staff) await ensureUser(user);

    let cohort = await findCohortByName(db, { name: DEMO_COHORT });
    if (cohort) {
      console.log(`Cohort "${DEMO_COHORT}" already exists (started ${cohort.start_date}): left as it is.`);
    } else {
      const managerIds = staff.filter((u) => u.roles.includes('manager')).flatMap((u) => userIds.get(u.email) ?? []);
      const startDate = addDays(today, -COHORT_DAYS_AGO);
      const cohortId = await createCohort(db, { name: DEMO_COHORT, startDate, timeZone, managerIds, actorId: null });
      cohort = { id: cohortId, name: DEMO_COHORT, start_date: startDate, time_zone: timeZone, created_at: now.toISOString() };
      console.log(`Created cohort "${DEMO_COHORT}" starting ${startDate} (${timeZone}).`);
    }
    const demoCohort = cohort;

    for (const user of learners) {
      const learning = user.learning;
      if (!learning) continue;
      await ensureUser(user, (trx, userId) => seedLearner(trx, { userId, learning, outline, cohort: demoCohort, today, now }));
    }

    const rows: string[][] = [];
    for (const user of DEMO_USERS) {
      const userId = userIds.get(user.email);
      if (userId === undefined) continue;
      const roles = (await getUserWithRoles(db, { userId }))?.roles ?? [];
      const where = await whereTheyAre(db, { userId, roles, outline, timeZone, now });
      rows.push([user.email, roles.join(', '), where, created.has(user.email) ? 'created' : 'already existed, left as is']);
    }
    console.log('');
    console.log(formatTable(['Email', 'Roles', 'Where they are', 'This run'], rows));
    console.log('');
    if (created.size > 0) {
      console.log(`Password for the ${created.size} demo users created now: ${password}`);
      if (created.size < DEMO_USERS.length) console.log('Demo users that already existed keep the password they were given before.');
    } else {
      console.log('No new demo users: they keep the password they were given when first created.');
    }
  },
};
