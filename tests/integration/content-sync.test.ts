// Loading content/ into the database: idempotent, edits update in place, removed lessons are retired,
// and a broken file is reported by file, field and line. Edits happen in temporary copies of content/.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import { formatContentError, loadContent, type ParsedContent } from '~/content/load.server';
import { syncContent } from '~/models/content.server';
import { completeLesson, defaultTrackId, getTrackOutline } from '~/models/learning.server';
import { loader as learnLoader } from '~/routes/learn._index';
import { loader as lessonLoader } from '~/routes/learn.lessons.$lessonId';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';
import { CONTENT_DIR } from '../support/paths';
import { contentCopies } from '../support/content-copies';

/** A throw-away copy of the shipped content/ to edit. */
const copyOfContent = contentCopies();

function load(dir: string): ParsedContent {
  const result = loadContent(dir);
  if (!result.ok) throw new Error(`content in ${dir} does not load:\n${result.errors.map(formatContentError).join('\n')}`);
  return result.content;
}

async function lessonRows() {
  return db().selectFrom('lessons').select(['id', 'updated_at', 'content_hash', 'body_html', 'retired_at']).orderBy('id').execute();
}

async function trackId(): Promise<string> {
  const id = await defaultTrackId(db());
  if (!id) throw new Error('no track loaded');
  return id;
}

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

const EDITED_FILE = path.join('lessons', 'week-1', 'd02-orders-and-payment-lines.md');
const EDITED_ID = 'orders-and-payment-lines';
const REMOVED_FILE = path.join('lessons', 'week-2', 'd11-address-changes-and-partial-shipments.md');
const REMOVED_ID = 'address-changes-and-partial-shipments';

const shipped = load(CONTENT_DIR);

// Each test starts from the shipped content, whatever the previous one synced.
beforeEach(async () => {
  await syncContent(db(), shipped);
});

describe('syncContent', () => {
  it('changes nothing when run again on the same content', async () => {
    const before = await lessonRows();
    const tracksBefore = await db().selectFrom('tracks').selectAll().execute();
    const sectionsBefore = await db().selectFrom('policy_sections').selectAll().orderBy('ref').execute();

    const summary = await syncContent(db(), load(CONTENT_DIR), new Date(Date.now() + 86_400_000));

    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: shipped.lessons.length, retired: 0 });
    expect(summary.scenarios).toEqual({ created: 0, versioned: 0, unchanged: shipped.scenarios.length, retired: 0, restored: 0 });
    expect(await lessonRows()).toEqual(before);
    expect(await db().selectFrom('tracks').selectAll().execute()).toEqual(tracksBefore);
    expect(await db().selectFrom('policy_sections').selectAll().orderBy('ref').execute()).toEqual(sectionsBefore);
  });

  it("updates exactly the edited lesson and keeps a learner's completion of it", async () => {
    const learner = await createUser({ roles: ['learner'], email: uniqueEmail('edit') });
    await completeLesson(db(), { userId: learner.id, lessonId: EDITED_ID });
    const before = await lessonRows();

    const dir = copyOfContent();
    const file = path.join(dir, EDITED_FILE);
    fs.appendFileSync(file, '\n## A new section\n\nCheck the payment lines before you call anything a double charge.\n');
    const later = new Date(Date.now() + 60_000);
    const summary = await syncContent(db(), load(dir), later);

    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: shipped.lessons.length - 1, retired: 0 });
    const after = await lessonRows();
    const changed = after.filter((row) => JSON.stringify(row) !== JSON.stringify(before.find((b) => b.id === row.id)));
    expect(changed.map((r) => r.id)).toEqual([EDITED_ID]);
    expect(changed[0]?.updated_at).toBe(later.toISOString());
    expect(changed[0]?.body_html).toContain('<h2>A new section</h2>');
    expect(changed[0]?.body_html).toContain('before you call anything a double charge');
    const completions = await db().selectFrom('lesson_completions').select('lesson_id').where('user_id', '=', learner.id).execute();
    expect(completions).toEqual([{ lesson_id: EDITED_ID }]);
  });

  it('drops raw HTML and script links from an edited lesson before a learner sees it', async () => {
    const learner = await createUser({ roles: ['learner'], email: uniqueEmail('xss') });
    await enrolLearner(learner.id, { startDate: dateFromToday(-5) });
    const dir = copyOfContent();
    fs.appendFileSync(
      path.join(dir, EDITED_FILE),
      '\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[Click me](javascript:alert(3))\n\nStill here after the attack.\n',
    );
    await syncContent(db(), load(dir));

    const response = await call(lessonLoader, makeRequest(`/learn/lessons/${EDITED_ID}`, { cookie: await cookieFor(learner.id) }), {
      lessonId: EDITED_ID,
    });
    const { content } = (await response.json()) as { content: { bodyHtml: string } | null };

    expect(content?.bodyHtml).toContain('Still here after the attack.');
    expect(content?.bodyHtml).not.toMatch(/<script|onerror|javascript:/i);
  });

  it('retires a removed lesson without deleting completions, and brings it back when the file returns', async () => {
    const learner = await createUser({ roles: ['learner'], email: uniqueEmail('retire') });
    await enrolLearner(learner.id, { startDate: dateFromToday(-20) });
    const cookie = await cookieFor(learner.id);
    await completeLesson(db(), { userId: learner.id, lessonId: REMOVED_ID });
    await completeLesson(db(), { userId: learner.id, lessonId: 'the-7-day-return-rule' });
    const removedPosition = shipped.lessons.find((l) => l.id === REMOVED_ID)?.position ?? 0;
    const shiftedUp = shipped.lessons.filter((l) => l.position > removedPosition).length;

    const dir = copyOfContent();
    fs.rmSync(path.join(dir, REMOVED_FILE));
    const summary = await syncContent(db(), load(dir));

    // The lessons after it move up one place, so they are rewritten with their new position.
    expect(summary).toMatchObject({ created: 0, updated: shiftedUp, unchanged: shipped.lessons.length - 1 - shiftedUp, retired: 1 });
    const outline = await getTrackOutline(db(), { trackId: await trackId() });
    expect(outline?.lessons.map((l) => l.id)).not.toContain(REMOVED_ID);
    expect(outline?.lessons).toHaveLength(shipped.lessons.length - 1);
    const row = await db().selectFrom('lessons').select(['id', 'retired_at']).where('id', '=', REMOVED_ID).executeTakeFirst();
    expect(row?.retired_at).not.toBeNull();
    const completions = await db().selectFrom('lesson_completions').select('lesson_id').where('user_id', '=', learner.id).orderBy('lesson_id').execute();
    expect(completions).toEqual([{ lesson_id: REMOVED_ID }, { lesson_id: 'the-7-day-return-rule' }]);
    // The learner no longer sees it, nor counts it among their completed lessons.
    const { track } = (await (await call(learnLoader, makeRequest('/learn', { cookie }))).json()) as {
      track: { completedCount: number; lessonCount: number; modules: { id: string; completed: number; total: number }[] };
    };
    expect({ completed: track.completedCount, of: track.lessonCount }).toEqual({ completed: 1, of: shipped.lessons.length - 1 });
    expect(track.modules.find((m) => m.id === 'week-2')).toMatchObject({ completed: 1, total: 4 });
    const retiredPage = await call(lessonLoader, makeRequest(`/learn/lessons/${REMOVED_ID}`, { cookie }), { lessonId: REMOVED_ID });
    expect(retiredPage.status).toBe(404);
    // Syncing the same content again retires nothing more.
    expect((await syncContent(db(), load(dir))).retired).toBe(0);

    const restored = await syncContent(db(), shipped);
    expect(restored.created).toBe(0);
    const outlineAgain = await getTrackOutline(db(), { trackId: await trackId() });
    expect(outlineAgain?.lessons.map((l) => l.id)).toEqual(shipped.lessons.map((l) => l.id));
    const back = (await (await call(learnLoader, makeRequest('/learn', { cookie }))).json()) as { track: { completedCount: number } };
    expect(back.track.completedCount).toBe(2);
  });
});

describe('loadContent', () => {
  /** The 1-based line of the first line of `file` that starts with `prefix`. */
  function lineOf(file: string, prefix: string): number {
    const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith(prefix));
    if (index < 0) throw new Error(`${prefix} not in ${file}`);
    return index + 1;
  }

  it('names the file, field and line of each problem', async () => {
    const dir = copyOfContent();
    const badType = path.join(dir, EDITED_FILE);
    fs.writeFileSync(badType, fs.readFileSync(badType, 'utf8').replace('minutes: 25', 'minutes: "about half an hour"'));
    const badRef = path.join(dir, 'lessons', 'week-2', 'd08-the-7-day-return-rule.md');
    fs.writeFileSync(badRef, fs.readFileSync(badRef, 'utf8').replace('prerequisites: []', 'prerequisites:\n  - no-such-lesson'));
    const before = await lessonRows();

    const result = loadContent(dir);

    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContainEqual({
      file: 'lessons/week-1/d02-orders-and-payment-lines.md',
      field: 'minutes',
      line: lineOf(badType, 'minutes:'),
      message: expect.any(String),
    });
    expect(errors).toContainEqual({
      file: 'lessons/week-2/d08-the-7-day-return-rule.md',
      field: 'prerequisites[0]',
      line: lineOf(badRef, '  - no-such-lesson'),
      message: 'unknown lesson "no-such-lesson"',
    });
    expect(errors.map(formatContentError)).toContain(
      `lessons/week-1/d02-orders-and-payment-lines.md:${lineOf(badType, 'minutes:')} (minutes): ${errors.find((e) => e.field === 'minutes')?.message ?? ''}`,
    );
    // Nothing reached the database.
    expect(await lessonRows()).toEqual(before);
  });

  it('reports broken YAML and a missing front matter by line', () => {
    const dir = copyOfContent();
    const badYaml = path.join(dir, 'lessons', 'week-1', 'd03-privacy-and-safety-basics.md');
    fs.writeFileSync(badYaml, fs.readFileSync(badYaml, 'utf8').replace('day: 3', 'day: [3'));
    const noFrontMatter = path.join(dir, 'lessons', 'week-1', 'd04-empathy-and-de-escalation.md');
    fs.writeFileSync(noFrontMatter, 'Just some text, no front matter.\n');

    const result = loadContent(dir);

    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const yamlError = errors.find((e) => e.file === 'lessons/week-1/d03-privacy-and-safety-basics.md');
    expect(yamlError?.message).toMatch(/invalid YAML/);
    expect(yamlError?.line).toBeGreaterThanOrEqual(lineOf(badYaml, 'day:'));
    expect(errors).toContainEqual(expect.objectContaining({ file: 'lessons/week-1/d04-empathy-and-de-escalation.md', line: 1 }));
  });
});
