// A learner's dashboard, lesson pages and completions, and the handbook, through the real loaders
// and actions, with the shipped content loaded into this file's database.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import { loadContent, type ParsedLesson } from '~/content/load.server';
import { localDate } from '~/domain/calendar';
import { env } from '~/env.server';
import { createCohort } from '~/models/cohort.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { loader as handbookDocumentLoader } from '~/routes/handbook.$documentId';
import { loader as handbookLoader } from '~/routes/handbook._index';
import { loader as learnLoader } from '~/routes/learn._index';
import { action as lessonAction, loader as lessonLoader } from '~/routes/learn.lessons.$lessonId';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';
import { CONTENT_DIR } from '../support/paths';

type LessonStateView = { status: 'completed' } | { status: 'available' } | { status: 'locked'; opensOn: string | null; waitingFor: { id: string; title: string }[] };
type LessonItem = { id: string; title: string; day: number; state: LessonStateView };
type Dashboard = {
  name: string;
  track: null | {
    position: { kind: string; day?: number; of?: number };
    today: LessonItem[];
    catchUp: LessonItem[];
    completedCount: number;
    lessonCount: number;
    modules: { id: string; week: number; completed: number; total: number; percent: number }[];
  };
};
type LessonPage = {
  lesson: { id: string; title: string; day: number };
  state: LessonStateView;
  content: null | { bodyHtml: string; objectives: string[]; policies: { ref: string; href: string }[] };
};
type HandbookIndex = { documents: { id: string; number: number; title: string; sections: { ref: string; anchor: string }[] }[] };
type HandbookDocument = { document: { id: string; title: string; body_html: string; sections: { ref: string; title: string; body_html: string }[] } };

const WELCOME = 'welcome-to-the-live-queue';
const ESCALATIONS = 'how-escalations-arrive'; // day 1, requires WELCOME
const RETURN_RULE = 'the-7-day-return-rule'; // day 8

let lessons: ParsedLesson[] = [];
beforeAll(() => {
  const loaded = loadContent(CONTENT_DIR);
  if (!loaded.ok) throw new Error('shipped content does not load');
  lessons = loaded.content.lessons;
});

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * Today where a learner without a cohort lives. The fixture's dateFromToday is a UTC date, which is
 * already tomorrow in the default time zone (Asia/Shanghai) for eight hours of every UTC day.
 */
function todayInDefaultZone(): string {
  return localDate(new Date(), env().DEFAULT_TIME_ZONE);
}

async function learnerStartingToday() {
  const user = await createUser({ roles: ['learner'], email: uniqueEmail('learner') });
  await enrolLearner(user.id, { startDate: todayInDefaultZone() });
  return { ...user, cookie: await cookieFor(user.id) };
}

async function dashboard(cookie: string): Promise<Dashboard> {
  const response = await call(learnLoader, makeRequest('/learn', { cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as Dashboard;
}

async function openLesson(cookie: string, lessonId: string) {
  return call(lessonLoader, makeRequest(`/learn/lessons/${lessonId}`, { cookie }), { lessonId });
}

async function lessonPage(cookie: string, lessonId: string): Promise<LessonPage> {
  const response = await openLesson(cookie, lessonId);
  expect(response.status).toBe(200);
  return (await response.json()) as LessonPage;
}

async function complete(cookie: string, lessonId: string) {
  return call(lessonAction, makeRequest(`/learn/lessons/${lessonId}`, { cookie, form: { intent: 'complete' } }), { lessonId });
}

async function completionsOf(userId: number) {
  return db().selectFrom('lesson_completions').selectAll().where('user_id', '=', userId).orderBy('lesson_id').execute();
}

describe('the learner dashboard', () => {
  it('shows day 1 and the day-1 lessons to a learner who starts today', async () => {
    const learner = await learnerStartingToday();
    const { track } = await dashboard(learner.cookie);

    expect(track?.position).toEqual({ kind: 'in-progress', day: 1, of: 28 });
    const dayOne = lessons.filter((l) => l.day === 1).map((l) => l.id);
    expect(dayOne).toEqual(expect.arrayContaining([WELCOME, ESCALATIONS]));
    expect(track?.today.map((l) => l.id)).toEqual(dayOne);
    expect(track?.catchUp).toEqual([]);
    const states = Object.fromEntries(track?.today.map((l) => [l.id, l.state]) ?? []);
    expect(states[WELCOME]).toEqual({ status: 'available' });
    expect(states[ESCALATIONS]).toEqual({ status: 'locked', opensOn: null, waitingFor: [{ id: WELCOME, title: 'Welcome to the live queue' }] });
    expect(track?.lessonCount).toBe(lessons.length);
    expect(track?.completedCount).toBe(0);
  });

  it('counts a completed lesson in week 1 progress', async () => {
    const learner = await learnerStartingToday();
    const weekOne = (d: Dashboard) => d.track?.modules.find((m) => m.id === 'week-1');
    const total = lessons.filter((l) => l.module === 'week-1').length;

    expect(weekOne(await dashboard(learner.cookie))).toMatchObject({ completed: 0, total, percent: 0 });
    await complete(learner.cookie, WELCOME);
    const after = await dashboard(learner.cookie);
    expect(weekOne(after)).toMatchObject({ completed: 1, total, percent: Math.floor(100 / total) });
    expect(after.track?.modules.find((m) => m.id === 'week-2')?.completed).toBe(0);
    expect(after.track?.completedCount).toBe(1);
  });

  it('gives a late joiner the earlier lessons to catch up on', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('late') });
    const cohortId = await createCohort(db(), {
      name: `Started ten days ago ${randomUUID().slice(0, 8)}`,
      startDate: dateFromToday(-10),
      timeZone: 'UTC',
      managerIds: [],
      actorId: null,
    });
    // No personal start date: the cohort's applies.
    await enrol(db(), { userId: user.id, trackId: (await defaultTrackId(db())) ?? '', cohortId, startDate: null });
    const cookie = await cookieFor(user.id);

    const { track } = await dashboard(cookie);

    expect(track?.position).toEqual({ kind: 'in-progress', day: 11, of: 28 });
    expect(track?.today.map((l) => l.id)).toEqual(lessons.filter((l) => l.day === 11).map((l) => l.id));
    const earlier = lessons.filter((l) => l.day < 11).map((l) => l.id);
    expect(earlier.length).toBeGreaterThan(5);
    expect(track?.catchUp.map((l) => l.id)).toEqual(earlier);
    // A week-2 lesson from before today is open to them now.
    expect((await lessonPage(cookie, RETURN_RULE)).content?.bodyHtml).toBeTruthy();
  });

  it('tells a learner who is not enrolled that they are not enrolled', async () => {
    const user = await createUser({ roles: ['learner'], name: 'Una Unenrolled', email: uniqueEmail('unenrolled') });
    const cookie = await cookieFor(user.id);

    expect(await dashboard(cookie)).toEqual({ name: 'Una Unenrolled', track: null });
    const lesson = await openLesson(cookie, WELCOME);
    expect(lesson.status).toBe(403);
    expect((await complete(cookie, WELCOME)).status).toBe(403);
    expect(await completionsOf(user.id)).toEqual([]);
  });

  it('is only for learners', async () => {
    const admin = await createUser({ roles: ['admin'], email: uniqueEmail('admin') });
    expect((await call(learnLoader, makeRequest('/learn', { cookie: await cookieFor(admin.id) }))).status).toBe(403);
    const anonymous = await call(learnLoader, makeRequest('/learn'));
    expect(anonymous.headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
  });
});

describe('lesson pages', () => {
  it('shows the text of an open lesson with its objectives and cited handbook sections', async () => {
    const learner = await learnerStartingToday();
    const page = await lessonPage(learner.cookie, WELCOME);

    expect(page.state).toEqual({ status: 'available' });
    expect(page.content?.bodyHtml).toContain('<h2>Why this matters</h2>');
    expect(page.content?.objectives).toEqual(lessons.find((l) => l.id === WELCOME)?.objectives);
    expect(page.content?.policies.map((p) => p.ref)).toEqual(['1.1', '8.1']);
    expect(page.content?.policies[0]?.href).toBe('/handbook/escalations#section-1-1');
  });

  it('hides the text of a lesson whose day has not come', async () => {
    const learner = await learnerStartingToday();
    const page = await lessonPage(learner.cookie, RETURN_RULE);

    expect(page.lesson).toMatchObject({ id: RETURN_RULE, day: 8 });
    expect(page.content).toBeNull();
    expect(page.state).toMatchObject({ status: 'locked', waitingFor: [] });
    expect(page.state.status === 'locked' && page.state.opensOn).toBeTruthy();
    expect(JSON.stringify(page)).not.toContain('Why this matters');
  });

  it('hides the text of a lesson until its prerequisite is complete', async () => {
    const learner = await learnerStartingToday();
    const locked = await lessonPage(learner.cookie, ESCALATIONS);
    expect(locked.content).toBeNull();
    expect(locked.state).toEqual({ status: 'locked', opensOn: null, waitingFor: [{ id: WELCOME, title: 'Welcome to the live queue' }] });

    await complete(learner.cookie, WELCOME);
    const open = await lessonPage(learner.cookie, ESCALATIONS);
    expect(open.state).toEqual({ status: 'available' });
    expect(open.content?.bodyHtml).toContain('Why this matters');
  });

  it('answers 404 for a lesson that does not exist', async () => {
    const learner = await learnerStartingToday();
    expect((await openLesson(learner.cookie, 'no-such-lesson')).status).toBe(404);
    expect((await complete(learner.cookie, 'no-such-lesson')).status).toBe(404);
    expect(await completionsOf(learner.id)).toEqual([]);
  });

  it('never contains a <script> in any lesson a learner can open', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('finished') });
    await enrolLearner(user.id, { startDate: dateFromToday(-40) });
    const cookie = await cookieFor(user.id);
    // Complete everything, so every lesson's text is shown. A lesson can come before its
    // prerequisite on the same day, so go round until nothing more opens.
    let done = new Set<string>();
    for (let pass = 0; pass < lessons.length && done.size < lessons.length; pass++) {
      for (const lesson of lessons) if (!done.has(lesson.id)) await complete(cookie, lesson.id);
      done = new Set((await completionsOf(user.id)).map((c) => c.lesson_id));
    }
    expect(done.size).toBe(lessons.length);

    for (const lesson of lessons) {
      const page = await lessonPage(cookie, lesson.id);
      expect(page.content?.bodyHtml.length).toBeGreaterThan(100);
      expect(page.content?.bodyHtml).not.toMatch(/<script|javascript:|\son\w+=/i);
    }
  });
});

describe('completing a lesson', () => {
  it('records the completion once and redirects back to the lesson', async () => {
    const learner = await learnerStartingToday();

    const first = await complete(learner.cookie, WELCOME);
    expect(first.status).toBe(302);
    expect(first.headers.get('Location')).toBe(`/learn/lessons/${WELCOME}?completed`);
    const recorded = await completionsOf(learner.id);
    expect(recorded).toEqual([expect.objectContaining({ lesson_id: WELCOME })]);

    const second = await complete(learner.cookie, WELCOME);
    expect(second.status).toBe(302);
    expect(await completionsOf(learner.id)).toEqual(recorded);
    expect((await lessonPage(learner.cookie, WELCOME)).state).toEqual({ status: 'completed' });
  });

  it('refuses with 403 a lesson that is not open yet', async () => {
    const learner = await learnerStartingToday();

    expect((await complete(learner.cookie, RETURN_RULE)).status).toBe(403);
    expect((await complete(learner.cookie, ESCALATIONS)).status).toBe(403);
    expect(await completionsOf(learner.id)).toEqual([]);
  });

  it('refuses an unknown intent', async () => {
    const learner = await learnerStartingToday();
    const response = await call(
      lessonAction,
      makeRequest(`/learn/lessons/${WELCOME}`, { cookie: learner.cookie, form: { intent: 'uncomplete' } }),
      { lessonId: WELCOME },
    );
    expect(response.status).toBe(400);
    expect(await completionsOf(learner.id)).toEqual([]);
  });
});

describe('the handbook', () => {
  it('lists every document with its numbered sections', async () => {
    const user = await createUser({ roles: ['trainer'], email: uniqueEmail('reader') });
    const response = await call(handbookLoader, makeRequest('/handbook', { cookie: await cookieFor(user.id) }));
    expect(response.status).toBe(200);
    const { documents } = (await response.json()) as HandbookIndex;

    expect(documents.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const escalations = documents.find((d) => d.id === 'escalations');
    expect(escalations?.sections[0]).toMatchObject({ ref: '1.1', anchor: 'section-1-1' });
    for (const d of documents) expect(d.sections.every((s) => s.ref.startsWith(`${d.number}.`))).toBe(true);
  });

  it('renders a document section by section', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('reader') });
    const response = await call(handbookDocumentLoader, makeRequest('/handbook/escalations', { cookie: await cookieFor(user.id) }), {
      documentId: 'escalations',
    });
    expect(response.status).toBe(200);
    const { document } = (await response.json()) as HandbookDocument;

    expect(document.title).toBe('Escalations from the assistant bot');
    expect(document.sections[0]).toMatchObject({ ref: '1.1', title: 'What Mira resolves and what it hands off' });
    expect(document.sections[0]?.body_html).toContain('<h3>Mira resolves on its own</h3>');
    for (const s of document.sections) expect(s.body_html).not.toMatch(/<script/i);
  });

  it('answers 404 for an unknown document and sends visitors to sign in', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('reader') });
    const missing = await call(handbookDocumentLoader, makeRequest('/handbook/nope', { cookie: await cookieFor(user.id) }), { documentId: 'nope' });
    expect(missing.status).toBe(404);

    const anonymous = await call(handbookDocumentLoader, makeRequest('/handbook/escalations'), { documentId: 'escalations' });
    expect(anonymous.headers.get('Location')).toBe('/login?redirectTo=%2Fhandbook%2Fescalations');
  });
});
