// The scenario bank under content changes: an edited file becomes a new version while attempts keep
// the version they started with, an unchanged file makes no version, a removed file is retired and
// left out of new attempts, and a broken conversation is refused with its file, field and line.
// Edits happen in temporary copies of content/.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { db } from '~/db.server';
import { formatContentError, loadContent, type ParsedContent } from '~/content/load.server';
import { getQuiz, startPracticeAttempt } from '~/models/attempt.server';
import { syncContent } from '~/models/content.server';
import { CONTENT_DIR } from '../support/paths';
import {
  answerView,
  attemptPage,
  caseRows,
  caseScenario,
  itemRows,
  learner,
  postCase,
  quizPage,
  reviewView,
  shownIdOf,
  shownItem,
  startAttempt,
  submitCaseWithFullMarks,
  WEEK_1_QUIZ,
} from './quiz-helpers';
import { contentCopies } from '../support/content-copies';

const MIRA = 'mira-promised-three-days';
const MIRA_FILE = path.join('scenarios', 'week-1', `${MIRA}.yaml`);
const COURIER = 'courier-wants-the-code'; // case 2 of the week-1 quiz
const COURIER_FILE = path.join('scenarios', 'week-1', `${COURIER}.yaml`);
const UNQUIZZED_FILE = path.join('scenarios', 'week-1', 'late-lamp-refund-and-a-coat.yaml'); // in no quiz
const QUIZ_FILE = path.join('quizzes', `${WEEK_1_QUIZ}.yaml`);
const OLD_TEXT = 'Tell him Mira made a mistake because the bot often gets card timings wrong, then give the correct window.';
const NEW_TEXT = "Tell him the bot's estimate was only a guess, then give the correct window.";

/** A throw-away copy of the shipped content/ to edit. */
const copyOfContent = contentCopies();

function edit(dir: string, file: string, change: (text: string) => string) {
  const full = path.join(dir, file);
  const before = fs.readFileSync(full, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(full, after);
}

function load(dir: string): ParsedContent {
  const result = loadContent(dir);
  if (!result.ok) throw new Error(`content in ${dir} does not load:\n${result.errors.map(formatContentError).join('\n')}`);
  return result.content;
}

async function scenarioRow(id: string) {
  return db().selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function versionsOf(id: string) {
  return db().selectFrom('scenario_versions').select(['id', 'version', 'content_hash', 'change_note']).where('scenario_id', '=', id).orderBy('version').execute();
}

const shipped = load(CONTENT_DIR);

// Each test starts from the shipped content, whatever the previous one synced.
beforeEach(async () => {
  await syncContent(db(), shipped);
});

describe('an edited scenario', () => {
  it('becomes a new version for new attempts while an attempt already started keeps the version it began with', async () => {
    const { cookie } = await learner({ label: 'before' });
    const attemptId = await startAttempt(cookie);
    const original = await scenarioRow(MIRA);
    const [firstCase] = await caseRows(attemptId);
    expect(firstCase?.scenario_version_id).toBe(original.current_version_id);
    const versionsBefore = await versionsOf(MIRA);

    const dir = copyOfContent();
    edit(dir, MIRA_FILE, (text) => text.replace(OLD_TEXT, NEW_TEXT));
    const summary = await syncContent(db(), load(dir));

    expect(summary.scenarios).toEqual({ created: 0, versioned: 1, unchanged: shipped.scenarios.length - 1, retired: 0, restored: 0 });
    const versions = await versionsOf(MIRA);
    expect(versions).toHaveLength(versionsBefore.length + 1);
    const latest = versions[versions.length - 1];
    expect(latest?.version).toBe((versionsBefore[versionsBefore.length - 1]?.version ?? 0) + 1);
    expect(latest?.change_note).toBe(`Updated from ${MIRA_FILE}`);
    expect((await scenarioRow(MIRA)).current_version_id).toBe(latest?.id);
    expect(versions.slice(0, -1)).toEqual(versionsBefore);

    // The attempt started before still shows, and is graded on, the text it began with.
    expect((await caseRows(attemptId))[0]?.scenario_version_id).toBe(original.current_version_id);
    const oldView = await answerView(cookie, attemptId);
    const oldTexts = JSON.stringify(oldView.items);
    expect(oldTexts).toContain(OLD_TEXT);
    expect(oldTexts).not.toContain(NEW_TEXT);
    const single = shownItem(oldView, 'correct-mira');
    if (single.type !== 'single') throw new Error('correct-mira is not a single-choice item');
    expect((await postCase(cookie, attemptId, 'submit', 0, { present: single.id, [`item.${single.id}`]: shownIdOf(single.options, OLD_TEXT) })).status).toBe(302);
    const reviewed = (await reviewView(cookie, attemptId, 0)).reviews.find((r) => r.id === 'correct-mira');
    expect(reviewed?.type === 'single' && reviewed.options.find((o) => o.chosen)).toMatchObject({ text: OLD_TEXT, correct: false });

    // A learner starting now gets the new version.
    const after = await learner({ label: 'after' });
    const newAttempt = await startAttempt(after.cookie);
    expect((await caseRows(newAttempt))[0]?.scenario_version_id).toBe(latest?.id);
    const newTexts = JSON.stringify((await answerView(after.cookie, newAttempt)).items);
    expect(newTexts).toContain(NEW_TEXT);
    expect(newTexts).not.toContain(OLD_TEXT);
  });

  it('grades an attempt started before a change of the right answer by the version it started with', async () => {
    const early = await learner({ label: 'early' });
    const attemptId = await startAttempt(early.cookie);
    const v1 = await caseScenario(attemptId, 0);
    const v1Correct = v1.items[0]?.type === 'single' ? v1.items[0].options.find((o) => o.correct) : undefined;
    if (!v1Correct) throw new Error('expected a single-choice first item');
    // Answered before the change, submitted after it.
    const view = await answerView(early.cookie, attemptId);
    const choices = shownItem(view, 'correct-mira');
    if (choices.type !== 'single') throw new Error('not single');
    expect((await postCase(early.cookie, attemptId, 'save', 0, { present: 'correct-mira', 'item.correct-mira': shownIdOf(choices.options, v1Correct.text) })).status).toBe(302);

    const dir = copyOfContent();
    edit(dir, MIRA_FILE, (text) => {
      const doc = parseDocument(text);
      doc.setIn(['items', 0, 'options', 0, 'correct'], false);
      doc.setIn(['items', 0, 'options', 1, 'correct'], true);
      return String(doc);
    });
    expect((await syncContent(db(), load(dir))).scenarios.versioned).toBe(1);

    expect((await postCase(early.cookie, attemptId, 'submit', 0)).status).toBe(302);
    const earlyItem = (await itemRows(attemptId, 0)).find((i) => i.item_key === 'correct-mira');
    expect(earlyItem).toMatchObject({ score: 2, max_score: 2 });

    // The same answer in an attempt of the new version is now wrong.
    const late = await learner({ label: 'late' });
    const lateAttempt = await startAttempt(late.cookie);
    const lateChoices = shownItem(await answerView(late.cookie, lateAttempt), 'correct-mira');
    if (lateChoices.type !== 'single') throw new Error('not single');
    expect((await postCase(late.cookie, lateAttempt, 'submit', 0, { present: 'correct-mira', 'item.correct-mira': shownIdOf(lateChoices.options, v1Correct.text) })).status).toBe(302);
    expect((await itemRows(lateAttempt, 0)).find((i) => i.item_key === 'correct-mira')).toMatchObject({ score: 0, max_score: 2 });
  });

  it('makes no version when the files have not changed', async () => {
    const versions = await db().selectFrom('scenario_versions').select(['id', 'scenario_id', 'version']).orderBy('id').execute();
    const current = await db().selectFrom('scenarios').select(['id', 'current_version_id', 'status']).orderBy('id').execute();

    const summary = await syncContent(db(), load(CONTENT_DIR), new Date(Date.now() + 60_000));

    expect(summary.scenarios).toEqual({ created: 0, versioned: 0, unchanged: shipped.scenarios.length, retired: 0, restored: 0 });
    expect(await db().selectFrom('scenario_versions').select(['id', 'scenario_id', 'version']).orderBy('id').execute()).toEqual(versions);
    expect(await db().selectFrom('scenarios').select(['id', 'current_version_id', 'status']).orderBy('id').execute()).toEqual(current);

    // Nor does loading the same edit twice.
    const dir = copyOfContent();
    edit(dir, MIRA_FILE, (text) => text.replace(OLD_TEXT, NEW_TEXT));
    expect((await syncContent(db(), load(dir))).scenarios.versioned).toBe(1);
    const count = (await versionsOf(MIRA)).length;
    expect((await syncContent(db(), load(dir))).scenarios).toMatchObject({ versioned: 0, unchanged: shipped.scenarios.length });
    expect(await versionsOf(MIRA)).toHaveLength(count);
  });
});

describe('a removed scenario', () => {
  it('is refused while its quiz still names it, naming the quiz file, field and line', () => {
    const dir = copyOfContent();
    fs.rmSync(path.join(dir, COURIER_FILE));
    const result = loadContent(dir);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const line = fs.readFileSync(path.join(dir, QUIZ_FILE), 'utf8').split('\n').findIndex((l) => l.includes(COURIER)) + 1;
    expect(errors).toContainEqual({ file: QUIZ_FILE, field: 'scenarios[1]', line, message: `no scenario has the id "${COURIER}"` });
  });

  it('is retired, left out of new attempts of its quiz, and still finishes in an attempt begun before', async () => {
    const before = await learner({ label: 'begun' });
    const attemptId = await startAttempt(before.cookie);
    expect((await caseScenario(attemptId, 1)).id).toBe(COURIER);
    const quizAsItWas = await getQuiz(db(), { quizId: WEEK_1_QUIZ });
    if (!quizAsItWas) throw new Error('no week-1 quiz');
    const courierVersions = await versionsOf(COURIER);

    const dir = copyOfContent();
    fs.rmSync(path.join(dir, COURIER_FILE));
    fs.rmSync(path.join(dir, UNQUIZZED_FILE));
    edit(dir, QUIZ_FILE, (text) => text.replace(`  - ${COURIER}\n`, ''));
    const summary = await syncContent(db(), load(dir));

    expect(summary.scenarios).toEqual({ created: 0, versioned: 0, unchanged: shipped.scenarios.length - 2, retired: 2, restored: 0 });
    expect((await scenarioRow(COURIER)).status).toBe('retired');
    expect((await scenarioRow('late-lamp-refund-and-a-coat')).status).toBe('retired');
    expect(await versionsOf(COURIER)).toEqual(courierVersions);

    // New attempts have the three cases left.
    const after = await learner({ label: 'after-removal' });
    expect((await quizPage(after.cookie)).quiz.cases).toBe(3);
    const newAttempt = await startAttempt(after.cookie);
    const cases = await caseRows(newAttempt);
    expect(cases).toHaveLength(3);
    const ids = await Promise.all(cases.map((c) => caseScenario(newAttempt, c.position).then((s) => s.id)));
    expect(ids).not.toContain(COURIER);
    expect(ids).toEqual(quizAsItWas.scenarioIds.filter((id) => id !== COURIER));

    // A quiz list that still names the retired case (read before the change) starts without it too.
    const stale = await learner({ label: 'stale-quiz' });
    const staleAttempt = await startPracticeAttempt(db(), { userId: stale.id, quiz: quizAsItWas });
    expect(await caseRows(staleAttempt)).toHaveLength(3);
    // One with nothing published left says so, and starts nothing.
    const nothing = await learner({ label: 'nothing-left' });
    await expect(startPracticeAttempt(db(), { userId: nothing.id, quiz: { ...quizAsItWas, scenarioIds: [COURIER] } })).rejects.toThrow(
      `quiz ${WEEK_1_QUIZ} has no published scenarios`,
    );
    expect(await db().selectFrom('attempts').select('id').where('user_id', '=', nothing.id).execute()).toEqual([]);

    // The attempt begun before keeps its four cases, the retired one included, and can be finished.
    expect(await caseRows(attemptId)).toHaveLength(4);
    for (let i = 0; i < 4; i++) await submitCaseWithFullMarks(before.cookie, attemptId);
    expect((await attemptPage(before.cookie, attemptId)).view).toMatchObject({ mode: 'summary', percent: 100, passed: true });
    expect((await reviewView(before.cookie, attemptId, 1)).title).toBe((await caseScenario(attemptId, 1)).title);
  });

  it('is published again, without a new version, when its file comes back', async () => {
    const dir = copyOfContent();
    fs.rmSync(path.join(dir, UNQUIZZED_FILE));
    await syncContent(db(), load(dir));
    const retired = await scenarioRow('late-lamp-refund-and-a-coat');
    expect(retired.status).toBe('retired');
    const versions = await versionsOf('late-lamp-refund-and-a-coat');

    const summary = await syncContent(db(), shipped);

    expect(summary.scenarios).toMatchObject({ created: 0, versioned: 0, retired: 0, restored: 1 });
    const back = await scenarioRow('late-lamp-refund-and-a-coat');
    expect(back.status).toBe('published');
    expect(back.current_version_id).toBe(retired.current_version_id);
    expect(await versionsOf('late-lamp-refund-and-a-coat')).toEqual(versions);
  });
});

describe('a broken conversation', () => {
  it('is refused by the loader with the file, the field and the line of the dangling step', async () => {
    const dir = copyOfContent();
    edit(dir, MIRA_FILE, (text) => text.replace('next: s2', 'next: s9'));
    const line = fs.readFileSync(path.join(dir, MIRA_FILE), 'utf8').split('\n').findIndex((l) => l.includes('next: s9')) + 1;
    const versions = await db().selectFrom('scenario_versions').select('id').execute();

    const result = loadContent(dir);

    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const conversation = shipped.scenarios.find((s) => s.id === MIRA)?.items.findIndex((i) => i.type === 'branching');
    const field = `items[${conversation}].steps[0].options[0].next`;
    expect(errors).toEqual([{ file: MIRA_FILE, field, line, message: 'leads to "s9", which is not a step of this item' }]);
    expect(errors.map(formatContentError)).toEqual([`${MIRA_FILE}:${line} (${field}): leads to "s9", which is not a step of this item`]);
    expect(line).toBeGreaterThan(1);
    // Nothing reached the database.
    expect(await db().selectFrom('scenario_versions').select('id').execute()).toEqual(versions);
  });
});
