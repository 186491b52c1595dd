// The trainer studio's scenario bank and blueprints, through the real loaders and actions: the list
// with its search, filters and pages; a scenario written from nothing (a draft may be anything,
// publishing checks it with the content loader's rules and says which field is wrong), published
// into the exam pool, edited into a second version while an attempt keeps the first, compared,
// retired and restored; content/ scenarios and blueprints are read-only but can be duplicated; a
// blueprint's live pool check names a short section. Ends with the list's speed on 5,000 scenarios.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { db } from '~/db.server';
import { defaultTrackId } from '~/models/learning.server';
import { listQuizzes, loadAttempt } from '~/models/attempt.server';
import { examPool } from '~/models/exam.server';
import { action as overviewAction, loader as overviewLoader } from '~/routes/studio.scenarios.$scenarioId';
import { loader as diffLoader } from '~/routes/studio.scenarios.$scenarioId_.diff';
import { action as editAction, loader as editLoader } from '~/routes/studio.scenarios.$scenarioId_.edit';
import { loader as previewLoader } from '~/routes/studio.scenarios.$scenarioId_.preview';
import { action as listAction, loader as listLoader } from '~/routes/studio.scenarios._index';
import { action as examAction, loader as examLoader } from '~/routes/studio.exams.$examId';
import { action as examsAction } from '~/routes/studio.exams._index';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';
import { ROOT } from '../support/paths';

type ListPage = Awaited<ReturnType<typeof listLoader>>;
type Refusal = { reason?: string; errors?: Record<string, string[]>; editorErrors?: Record<string, string[]> };

const COURIER = 'courier-wants-the-code';
const EXAM = 'returns-refunds-certification';
let trainer: { id: number; cookie: string };

beforeAll(async () => {
  const user = await createUser({ roles: ['trainer'], name: 'Tess Trainer' });
  trainer = { id: user.id, cookie: await cookieFor(user.id) };
});

/** A complete, valid case file (the shipped courier case) to write into a studio scenario. */
function validBody(id: string, title = 'A courier asks for the code again'): Record<string, unknown> & { items: Record<string, unknown>[] } {
  const body = parse(fs.readFileSync(path.join(ROOT, 'content/scenarios/week-1', `${COURIER}.yaml`), 'utf8')) as Record<string, unknown> & { items: Record<string, unknown>[] };
  return { ...body, id, title };
}

async function list(query = ''): Promise<ListPage> {
  const response = await call(listLoader, makeRequest(`/studio/scenarios${query}`, { cookie: trainer.cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as ListPage;
}

const edit = (scenarioId: string, form: Record<string, string>) =>
  call(editAction, makeRequest(`/studio/scenarios/${scenarioId}/edit`, { cookie: trainer.cookie, form }), { scenarioId });
const overview = (scenarioId: string, form: Record<string, string>) =>
  call(overviewAction, makeRequest(`/studio/scenarios/${scenarioId}`, { cookie: trainer.cookie, form }), { scenarioId });
const saveDraft = (scenarioId: string, body: unknown) => edit(scenarioId, { intent: 'autosave', body: JSON.stringify(body) });

async function createStudioScenario(title: string): Promise<string> {
  const response = await call(listAction, makeRequest('/studio/scenarios', { cookie: trainer.cookie, form: { title, topic: 'privacy-safety', week: '1', difficulty: '2' } }));
  expect(response.status).toBe(302);
  const match = /^\/studio\/scenarios\/([a-z0-9-]+)\/edit$/.exec(response.headers.get('Location') ?? '');
  expect(match).not.toBeNull();
  return match![1]!;
}

const inPool = async (scenarioId: string) => (await examPool(db())).filter((item) => item.scenarioId === scenarioId);
const scenarioRow = (id: string) => db().selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the scenario list', () => {
  it('searches titles and ids, filters by topic, status, item type and origin, and pages', async () => {
    const all = await list();
    expect(all.total).toBeGreaterThan(25);
    expect(all.scenarios).toHaveLength(25);
    const second = await list('?page=2');
    expect(second.scenarios[0]?.id).not.toBe(all.scenarios[0]?.id);
    expect(new Set([...all.scenarios, ...second.scenarios].map((s) => s.id)).size).toBe(all.scenarios.length + second.scenarios.length);

    const byTitle = await list('?q=DELIVERY%20team');
    expect(byTitle.scenarios.map((s) => s.id)).toContain(COURIER);
    expect((await list(`?q=${COURIER}`)).scenarios.map((s) => s.id)).toEqual([COURIER]);
    expect((await list('?q=%25')).total).toBe(0); // a LIKE wildcard is matched literally

    const conversations = await list('?type=branching');
    expect(conversations.scenarios.length).toBeGreaterThan(0);
    expect(conversations.scenarios.every((s) => s.types.includes('branching'))).toBe(true);
    expect(conversations.total).toBeLessThan(all.total);

    const privacy = await list('?topic=privacy-safety');
    expect(privacy.scenarios.map((s) => s.id)).toContain(COURIER);
    expect(privacy.total).toBeLessThan(all.total);

    expect((await list('?origin=content')).total).toBe(all.total - (await list('?origin=studio')).total);
    expect((await list('?status=retired&origin=content')).scenarios.every((s) => s.status === 'retired')).toBe(true);
    // Unknown filter values are ignored rather than matching nothing.
    expect((await list('?status=bogus')).total).toBe(all.total);
  });
});

describe('writing a scenario from nothing', () => {
  let scenarioId = '';

  it('creates a draft studio scenario with an id made from its title, unique in the bank', async () => {
    scenarioId = await createStudioScenario('A courier asks for the code again!');
    expect(scenarioId).toBe('a-courier-asks-for-the-code-again');
    const row = await scenarioRow(scenarioId);
    expect(row).toMatchObject({ origin: 'studio', status: 'draft', current_version_id: null });
    expect(await createStudioScenario('A courier asks for the code again!')).toBe('a-courier-asks-for-the-code-again-2');
    expect((await list('?status=draft&origin=studio')).scenarios.map((s) => s.id)).toContain(scenarioId);
    // A bad title is refused with the field named.
    const refused = await call(listAction, makeRequest('/studio/scenarios', { cookie: trainer.cookie, form: { title: 'Hi', topic: 'nope', week: '1', difficulty: '2' } }));
    expect(refused.status).toBe(400);
    expect(Object.keys(((await refused.json()) as Refusal).errors ?? {}).sort()).toEqual(['title', 'topic']);
  });

  it('saves a draft whatever its state, and refuses to publish it with errors by field path', async () => {
    const incomplete = { ...validBody(scenarioId), summary: 'Short', items: [] as unknown[] };
    const saved = await saveDraft(scenarioId, incomplete);
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { savedAt?: string }).savedAt).toEqual(expect.any(String));
    const editing = (await (await call(editLoader, makeRequest(`/studio/scenarios/${scenarioId}/edit`, { cookie: trainer.cookie }), { scenarioId })).json()) as { body: { summary: string } };
    expect(editing.body.summary).toBe('Short');

    const refused = await edit(scenarioId, { intent: 'publish', body: JSON.stringify(incomplete), changeNote: 'First version' });
    expect(refused.status).toBe(400);
    const { errors } = (await refused.json()) as Refusal;
    expect(errors?.summary?.[0]).toMatch(/10/);
    expect(errors?.items?.[0]).toMatch(/1/);
    expect((await scenarioRow(scenarioId)).current_version_id).toBeNull();
  });

  it('refuses a conversation with a dangling link on the choice at fault, then publishes version 1 once fixed', async () => {
    const broken = validBody(scenarioId);
    const conversation = broken.items[0] as { steps: { options: { next?: string }[] }[] };
    conversation.steps[1]!.options[0]!.next = 's7';
    const refused = await edit(scenarioId, { intent: 'publish', body: JSON.stringify(broken), changeNote: 'First version' });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as Refusal;
    expect(body.errors).toEqual({ 'items.0.steps.1.options.0.next': ['leads to "s7", which is not a step of this item'] });
    expect(body.editorErrors).toEqual(body.errors);

    const published = await edit(scenarioId, { intent: 'publish', body: JSON.stringify(validBody(scenarioId)), changeNote: 'First version' });
    expect(published.status).toBe(302);
    expect(published.headers.get('Location')).toBe(`/studio/scenarios/${scenarioId}?published=1`);
    const row = await scenarioRow(scenarioId);
    expect(row.status).toBe('published');
    const version = await db().selectFrom('scenario_versions').selectAll().where('id', '=', row.current_version_id!).executeTakeFirstOrThrow();
    expect(version).toMatchObject({ version: 1, change_note: 'First version', published_by: trainer.id });
    expect(await db().selectFrom('scenario_drafts').select('scenario_id').where('scenario_id', '=', scenarioId).execute()).toEqual([]);

    // In the exam pool, with its items indexed by topic; practice quizzes list content/ scenarios only.
    expect((await inPool(scenarioId)).map((i) => i.itemKey)).toEqual(['stop-the-code', 'which-team', 'note-contents']);
    const quizzes = await listQuizzes(db(), { trackId: (await defaultTrackId(db()))! });
    expect(quizzes.flatMap((q) => q.scenarioIds)).not.toContain(scenarioId);
    expect((await list(`?q=${scenarioId}&status=published&type=branching`)).scenarios.map((s) => s.id)).toContain(scenarioId);
  });

  it('previews it as a learner sees it, without answers unless asked', async () => {
    const page = async (query: string) => (await (await call(previewLoader, makeRequest(`/studio/scenarios/${scenarioId}/preview${query}`, { cookie: trainer.cookie }), { scenarioId })).text());
    const plain = await page('');
    expect(plain).toContain('Which team takes this case?');
    expect(plain).not.toContain('Right. They protect accounts'); // feedback of an option
    const withAnswers = await page('?answers=1');
    expect(withAnswers).toContain('Right. They protect accounts');

    // Trying the conversation: a choice (in the page's shown ids) moves it on, and the path stays in the URL.
    type Preview = { view: { walks: Record<string, string>; items: { current?: { id: string; options: { id: string; text: string }[] }; history?: { choice: string }[] }[] } };
    const start = JSON.parse(plain) as Preview;
    const firstChoice = start.view.items[0]!.current!.options[0]!;
    expect(firstChoice.id).toBe('s1.o1');
    const moved = JSON.parse(await page(`?item.stop-the-code.choice=${firstChoice.id}`)) as Preview;
    expect(moved.view.items[0]!.history).toEqual([expect.objectContaining({ choice: firstChoice.text })]);
    expect(moved.view.items[0]!.current!.id).toBe('s2');
    expect(moved.view.walks['stop-the-code']).toMatch(/^s1:[abc]$/);
  });

  it('publishes version 2 with a change note while an attempt on version 1 keeps version 1, and shows the change', async () => {
    const learner = await createUser({ roles: ['learner'] });
    const version1 = (await scenarioRow(scenarioId)).current_version_id!;
    const at = new Date().toISOString();
    const { id: attemptId } = await db()
      .insertInto('attempts')
      .values({ user_id: learner.id, kind: 'exam', quiz_id: null, exam_id: EXAM, seed: 7, status: 'in_progress', started_at: at, deadline_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('attempt_scenarios').values({ attempt_id: attemptId, position: 0, scenario_version_id: version1 }).execute();

    const changed = validBody(scenarioId);
    (changed.items[1] as { prompt: string }).prompt = 'Which team should take this case now?';
    expect((await saveDraft(scenarioId, changed)).status).toBe(200);
    const noNote = await overview(scenarioId, { intent: 'publish', changeNote: '' });
    expect(noNote.status).toBe(400);
    expect(((await noNote.json()) as Refusal).errors?.changeNote).toBeDefined();
    const published = await overview(scenarioId, { intent: 'publish', changeNote: 'Clearer question about the team' });
    expect(published.status).toBe(302);

    const row = await scenarioRow(scenarioId);
    expect(row.current_version_id).not.toBe(version1);
    const versions = ((await (await call(overviewLoader, makeRequest(`/studio/scenarios/${scenarioId}`, { cookie: trainer.cookie }), { scenarioId })).json()) as { versions: { version: number; changeNote: string }[] }).versions;
    expect(versions.map((v) => [v.version, v.changeNote])).toEqual([[2, 'Clearer question about the team'], [1, 'First version']]);

    const attempt = await loadAttempt(db(), { attemptId, userId: learner.id, kind: 'exam' });
    expect(attempt?.scenarios[0]?.scenario.items[1]?.prompt).toBe('Which team takes this case?');
    expect((await inPool(scenarioId)).every((i) => i.versionId === row.current_version_id)).toBe(true);

    const diff = (await (await call(diffLoader, makeRequest(`/studio/scenarios/${scenarioId}/diff?from=1&to=2`, { cookie: trainer.cookie }), { scenarioId })).json()) as { changes: unknown[] };
    expect(diff.changes).toEqual([{ where: 'Item "which-team" › Prompt', kind: 'changed', before: 'Which team takes this case?', after: 'Which team should take this case now?' }]);

    // Publishing the same text again makes no version.
    expect((await saveDraft(scenarioId, changed)).status).toBe(200);
    const same = await overview(scenarioId, { intent: 'publish', changeNote: 'Nothing really' });
    expect(same.status).toBe(400);
    expect(((await same.json()) as Refusal).reason).toMatch(/Nothing changed since version 2/);
  });

  it('retiring takes it out of new exam draws after a confirmation; restoring brings it back', async () => {
    const unconfirmed = await overview(scenarioId, { intent: 'retire' });
    expect(unconfirmed.status).toBe(400);
    expect(await inPool(scenarioId)).not.toHaveLength(0);
    expect((await overview(scenarioId, { intent: 'retire', confirm: 'yes' })).status).toBe(200);
    expect((await scenarioRow(scenarioId)).status).toBe('retired');
    expect(await inPool(scenarioId)).toHaveLength(0);
    expect((await overview(scenarioId, { intent: 'restore' })).status).toBe(200);
    expect((await scenarioRow(scenarioId)).status).toBe('published');
    expect(await inPool(scenarioId)).not.toHaveLength(0);
  });
});

describe('scenarios shipped in content/', () => {
  it('cannot be edited, published or retired in the studio, but can be duplicated into an editable copy', async () => {
    expect((await saveDraft(COURIER, validBody(COURIER))).status).toBe(403);
    expect((await edit(COURIER, { intent: 'publish', body: JSON.stringify(validBody(COURIER)), changeNote: 'Sneaky' })).status).toBe(403);
    expect((await overview(COURIER, { intent: 'retire', confirm: 'yes' })).status).toBe(403);
    expect(await db().selectFrom('scenario_drafts').select('scenario_id').where('scenario_id', '=', COURIER).execute()).toEqual([]);

    const duplicated = await overview(COURIER, { intent: 'duplicate' });
    expect(duplicated.status).toBe(302);
    const copyId = /\/studio\/scenarios\/([a-z0-9-]+)\/edit/.exec(duplicated.headers.get('Location') ?? '')?.[1] ?? '';
    expect(copyId).toMatch(/^copy-of-the-delivery-team-that-needs-a-code/);
    expect(await scenarioRow(copyId)).toMatchObject({ origin: 'studio', status: 'draft' });
    const editing = (await (await call(editLoader, makeRequest(`/studio/scenarios/${copyId}/edit`, { cookie: trainer.cookie }), { scenarioId: copyId })).json()) as { readOnly: boolean; body: { id: string; items: { id: string }[] } };
    expect(editing.readOnly).toBe(false);
    expect(editing.body.id).toBe(copyId);
    expect(editing.body.items.map((i) => i.id)).toEqual(['stop-the-code', 'which-team', 'note-contents']);
    // The copy publishes as it is (after its new title).
    expect((await overview(copyId, { intent: 'publish', changeNote: 'Copied from content' })).status).toBe(302);
  });
});

describe('exam blueprints', () => {
  it('a content blueprint is read-only; its copy is edited with a live check that names a short section', async () => {
    const duplicated = await call(examsAction, makeRequest('/studio/exams', { cookie: trainer.cookie, form: { intent: 'duplicate', examId: EXAM } }));
    expect(duplicated.status).toBe(302);
    const copyId = duplicated.headers.get('Location')?.split('/').pop() ?? '';
    expect(copyId).toBe(`${EXAM}-copy`);

    const sections = JSON.stringify([
      { topic: 'privacy-safety', items: 1, difficulty: [1, 5] },
      { topic: 'payments', items: 40, difficulty: [5, 5] },
      { topic: 'payments' },
    ]);
    const page = (await (await call(examLoader, makeRequest(`/studio/exams/${copyId}?sections=${encodeURIComponent(sections)}`, { cookie: trainer.cookie }), { examId: copyId })).json()) as {
      readOnly: boolean;
      check: { ok: boolean; sections: { available: number | null; items: number; enough: boolean }[]; problem: { section: number; message: string } | null };
    };
    expect(page.readOnly).toBe(false);
    expect(page.check.ok).toBe(false);
    expect(page.check.sections[0]).toMatchObject({ items: 1, enough: true });
    expect(page.check.sections[0]!.available).toBeGreaterThan(0);
    expect(page.check.sections[1]).toMatchObject({ items: 40, enough: false });
    expect(page.check.sections[1]!.available).toBeLessThan(40);
    expect(page.check.sections[2]).toMatchObject({ available: null, enough: false });
    expect(page.check.problem).toMatchObject({ section: 1, message: expect.stringContaining('needs 40 items of topic payments at difficulty 5') });

    // Saving checks the blueprint's own rules, then saves; the content original is untouched.
    const form = (overrides: Record<string, string>) => ({
      intent: 'save', id: copyId, track: 'x', queue: 'x', title: 'Shorter exam', 'sections.0.topic': 'privacy-safety', 'sections.0.items': '2',
      'sections.0.difficulty.0': '1', 'sections.0.difficulty.1': '5', durationMinutes: '30', passMark: '80', attemptLimit: '3', cooldownHours: '24',
      validityDays: '365', recertificationOpensDaysBefore: '30', 'eligibility.modulesComplete': 'on', 'eligibility.notBeforeDay': '20', showAnswers: 'never', ...overrides,
    });
    const bad = await call(examAction, makeRequest(`/studio/exams/${copyId}`, { cookie: trainer.cookie, form: form({ 'sections.0.difficulty.0': '4', 'sections.0.difficulty.1': '2' }) }), { examId: copyId });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as Refusal).errors ?? {})).toEqual(['sections.0.difficulty']);
    const good = await call(examAction, makeRequest(`/studio/exams/${copyId}`, { cookie: trainer.cookie, form: form({}) }), { examId: copyId });
    expect(good.status).toBe(200);
    const saved = await db().selectFrom('exams').selectAll().where('id', '=', copyId).executeTakeFirstOrThrow();
    expect(JSON.parse(saved.blueprint)).toMatchObject({ id: copyId, title: 'Shorter exam', sections: [{ topic: 'privacy-safety', items: 2 }], queue: 'returns-refunds' });
    expect(saved.retired_at).not.toBeNull(); // a copy is not offered to learners

    const contentSave = await call(examAction, makeRequest(`/studio/exams/${EXAM}`, { cookie: trainer.cookie, form: form({ id: EXAM }) }), { examId: EXAM });
    expect(contentSave.status).toBe(403);
  });
});
// The list with 5,000 scenarios is timed by `npm run bench` (tests/bench/studio-bench.ts), not here.
