// The trainer's grading queue in the studio: written exam replies waiting, graded through the real
// loaders and actions, with the attempt's result made final (and a pass certified) by the last grade.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import { loader as studioLoader } from '~/routes/studio';
import { loader as overviewLoader } from '~/routes/studio._index';
import { action as gradeAction, loader as gradeLoader } from '~/routes/studio.grading.$attemptId.$position';
import { loader as queueLoader } from '~/routes/studio.grading._index';
import { rubricLevels, sitExam, type SatExam } from '../support/exam-fixtures';
import { call, dateFromToday, enrolLearner, makeRequest, signedInUser } from '../support/fixtures';
import { ROOT } from '../support/paths';

type QueuePage = Awaited<ReturnType<typeof queueLoader>>;
type GradePage = Awaited<ReturnType<typeof gradeLoader>>;
type Refusal = { errors?: Record<string, string[]>; error?: string; values?: Record<string, string> };

const REPLY = 'Hello Mr Chen,\nI have checked your order.\n<script>alert("owned")</script> <b>bold?</b>';

let trainer: { id: number; cookie: string };
let learnerEmail = '';
let sat: SatExam;


const replyPath = (attemptId: number, position: number) => `/studio/grading/${attemptId}/${position}`;
const replyParams = (attemptId: number, position: number) => ({ attemptId: String(attemptId), position: String(position) });

function openReply(cookie: string, attemptId: number, position: number, query = '') {
  return call(gradeLoader, makeRequest(`${replyPath(attemptId, position)}${query}`, { cookie }), replyParams(attemptId, position));
}

function postGrade(cookie: string, attemptId: number, position: number, form: Record<string, string>) {
  return call(gradeAction, makeRequest(replyPath(attemptId, position), { cookie, form }), replyParams(attemptId, position));
}

async function gradePage(attemptId: number, position: number): Promise<GradePage> {
  const response = await openReply(trainer.cookie, attemptId, position);
  expect(response.status).toBe(200);
  return (await response.json()) as GradePage;
}

async function queue(query = ''): Promise<QueuePage> {
  const response = await call(queueLoader, makeRequest(`/studio/grading${query}`, { cookie: trainer.cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as QueuePage;
}

/** The form fields choosing the top level of every criterion of the written item at `position`. */
function topGrade(exam: SatExam, position: number, comment = ''): Record<string, string> {
  const item = exam.items.find((i) => i.position === position)?.item;
  if (!item) throw new Error(`no item at ${position}`);
  return { ...Object.fromEntries(rubricLevels(item, 'top').map((points, i) => [`level-${i}`, String(points)])), comment };
}

const attemptRow = (attemptId: number) => db().selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();

beforeAll(async () => {
  trainer = await signedInUser(['trainer'], { name: 'Tess Trainer' });
  const learner = await signedInUser(['learner'], { name: 'Lena Learner' });
  learnerEmail = learner.email;
  await enrolLearner(learner.id, { startDate: dateFromToday(-30) });
  sat = await sitExam({ userId: learner.id, answer: 'correct', writtenText: REPLY, withWritten: true });
});

describe('the grading queue', () => {
  it('lists each written reply of a submitted exam with the learner, exam, scenario and time', async () => {
    const page = await queue();
    expect(page.total).toBe(sat.writtenPositions.length);
    const first = sat.items.find((i) => i.position === sat.writtenPositions[0]);
    expect(page.replies[0]).toMatchObject({
      attemptId: sat.attemptId,
      position: first?.position,
      learnerName: 'Lena Learner',
      examTitle: 'Returns & Refunds — live queue certification',
      scenarioTitle: first?.scenarioTitle,
    });
    expect(page.replies[0]?.submittedLabel).toMatch(/\d{4}, \d{2}:\d{2}/);
    expect(JSON.stringify(page)).not.toContain(learnerEmail);
  });

  it('counts the replies waiting in the studio navigation and overview', async () => {
    for (const loader of [studioLoader, overviewLoader]) {
      const response = await call(loader, makeRequest('/studio', { cookie: trainer.cookie }));
      expect(await response.json()).toEqual({ waiting: sat.writtenPositions.length });
    }
  });

  it('lets in trainers only, whatever other roles someone holds', async () => {
    const learner = await signedInUser(['learner'], { name: 'Other Learner' });
    const manager = await signedInUser(['manager'], { name: 'Mo Manager' });
    const admin = await signedInUser(['admin'], { name: 'Ada Admin' });
    const adminTrainer = await signedInUser(['admin', 'trainer'], { name: 'Ari Admin-Trainer' });
    const position = sat.writtenPositions[0] ?? 0;
    for (const outsider of [learner, manager, admin]) {
      expect((await call(queueLoader, makeRequest('/studio/grading', { cookie: outsider.cookie }))).status).toBe(403);
      expect((await openReply(outsider.cookie, sat.attemptId, position)).status).toBe(403);
      expect((await postGrade(outsider.cookie, sat.attemptId, position, topGrade(sat, position))).status).toBe(403);
    }
    expect((await call(queueLoader, makeRequest('/studio/grading', { cookie: adminTrainer.cookie }))).status).toBe(200);
    // Refused before anything was written.
    expect((await gradePage(sat.attemptId, position)).grade).toBeNull();
  });
});

describe('grading a reply', () => {
  it('shows the case, the prompt, the model reply, the rubric and the reply as the learner typed it', async () => {
    const position = sat.writtenPositions[0] ?? 0;
    const item = sat.items.find((i) => i.position === position)?.item;
    if (item?.type !== 'written') throw new Error('expected a written item');
    const page = await gradePage(sat.attemptId, position);
    expect(page.learnerName).toBe('Lena Learner');
    expect(page.caseFile.title).toBe(sat.items.find((i) => i.position === position)?.scenarioTitle);
    expect(page.item).toEqual({ prompt: item.prompt, points: item.points, modelReply: item.modelReply, rubric: item.rubric });
    // Raw text, markup and line breaks included: the page prints it as text.
    expect(page.reply).toBe(REPLY);
    expect(page.grade).toBeNull();
    expect(JSON.stringify(page)).not.toContain(learnerEmail);
    // Only the public case file: no other item (and its answers) of the scenario.
    expect(page.caseFile).not.toHaveProperty('items');
  });

  it('never renders text as HTML', () => {
    const source = fs.readFileSync(path.join(ROOT, 'app/routes/studio.grading.$attemptId.$position.tsx'), 'utf8');
    expect(source).not.toContain('dangerouslySetInnerHTML');
    expect(source).toMatch(/whitespace-pre-wrap[^>]*>\{reply \|\| '\(empty\)'\}/);
  });

  it('refuses a level the rubric does not have, with the reason and the values kept', async () => {
    const position = sat.writtenPositions[0] ?? 0;
    const item = sat.items.find((i) => i.position === position)?.item;
    if (item?.type !== 'written') throw new Error('expected a written item');
    const form = { ...topGrade(sat, position, 'Kind and accurate.'), 'level-0': '999' };
    const response = await postGrade(trainer.cookie, sat.attemptId, position, form);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Refusal;
    expect(body.errors?.['level-0']).toEqual([`Choose a level for “${item.rubric[0]?.criterion}”.`]);
    expect(body.values).toMatchObject({ 'level-0': '999', comment: 'Kind and accurate.' });
    expect((await gradePage(sat.attemptId, position)).grade).toBeNull();
  });

  it('refuses a missing level and an overlong comment', async () => {
    const position = sat.writtenPositions[0] ?? 0;
    const { 'level-0': _dropped, ...withoutFirst } = topGrade(sat, position, 'x'.repeat(2001));
    const response = await postGrade(trainer.cookie, sat.attemptId, position, withoutFirst);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Refusal;
    expect(body.errors?.['level-0']?.[0]).toMatch(/^Choose a level for/);
    expect(body.errors?.comment).toEqual(['Keep the comment to at most 2000 characters.']);
    expect(body.values?.comment).toHaveLength(2001);
  });

  it('saves each grade, moves on through the queue and makes the result final with the last one', async () => {
    for (const [index, position] of sat.writtenPositions.entries()) {
      const last = index === sat.writtenPositions.length - 1;
      const response = await postGrade(trainer.cookie, sat.attemptId, position, topGrade(sat, position, 'Clear next steps.'));
      expect(response.status).toBe(302);
      const [next] = (await queue()).replies;
      const outcome = last ? 'certified' : 'waiting';
      expect(response.headers.get('Location')).toBe(next ? `${replyPath(next.attemptId, next.position)}?graded=${outcome}` : `/studio/grading?graded=${outcome}`);
      const attempt = await attemptRow(sat.attemptId);
      expect(attempt.graded_at === null).toBe(!last);
    }
    // Every other item was answered right and every reply got the top level: full marks, certified.
    const attempt = await attemptRow(sat.attemptId);
    expect(attempt.score).toBe(attempt.max_score);
    expect(attempt.passed).toBe(1);
    const certifications = await db().selectFrom('certifications').select('attempt_id').where('attempt_id', '=', sat.attemptId).execute();
    expect(certifications).toHaveLength(1);

    const page = await queue('?graded=certified');
    expect(page.graded).toMatch(/result is now final/);
    expect(page.total).toBe(0);
    expect(page.replies).toEqual([]);
  });

  it('shows a graded reply read-only: levels, points, comment and grader', async () => {
    const position = sat.writtenPositions[0] ?? 0;
    const item = sat.items.find((i) => i.position === position)?.item;
    if (item?.type !== 'written') throw new Error('expected a written item');
    const page = await gradePage(sat.attemptId, position);
    expect(page.grade).toMatchObject({ score: item.points, comment: 'Clear next steps.', graderName: 'Tess Trainer' });
    expect(page.grade?.levels).toEqual(
      item.rubric.map((c) => {
        const top = c.levels.reduce((best, l) => (l.points > best.points ? l : best));
        return { criterion: c.criterion, points: top.points, description: top.description };
      }),
    );
  });

  it('tells a second grader the reply is already graded, and keeps the first grade', async () => {
    const position = sat.writtenPositions[0] ?? 0;
    const form = { ...Object.fromEntries(Object.entries(topGrade(sat, position)).map(([k, v]) => [k, k === 'comment' ? 'Second opinion' : v])) };
    const response = await postGrade(trainer.cookie, sat.attemptId, position, form);
    expect(response.status).toBe(409);
    expect(((await response.json()) as Refusal).error).toBe('This reply has already been graded.');
    expect((await gradePage(sat.attemptId, position)).grade?.comment).toBe('Clear next steps.');
  });

  it('answers 404 for a reply that does not exist', async () => {
    const notWritten = sat.items.find((i) => i.type !== 'written')?.position ?? 0;
    for (const params of [replyParams(999_999, 0), replyParams(sat.attemptId, notWritten), replyParams(sat.attemptId, 99), { attemptId: 'x', position: '0' }]) {
      const response = await call(gradeLoader, makeRequest(`/studio/grading/${params.attemptId}/${params.position}`, { cookie: trainer.cookie }), params);
      expect(response.status).toBe(404);
    }
  });
});

describe('the exam fixture', () => {
  it('answers every item type wrong: no score, no critical failure, nothing left for a trainer', async () => {
    const learner = await signedInUser(['learner'], { name: 'Wrong Answers' });
    const wrong = await sitExam({ userId: learner.id, answer: 'wrong', writtenText: null, seed: 7 });
    const attempt = await attemptRow(wrong.attemptId);
    expect(attempt.graded_at).not.toBeNull();
    expect(attempt.score).toBe(0);
    expect(attempt.passed).toBe(0);
    const critical = await db().selectFrom('attempt_items').select('critical_failure').where('attempt_id', '=', wrong.attemptId).where('critical_failure', '=', 1).execute();
    expect(critical).toEqual([]);
    expect((await queue()).total).toBe(0);
  });
});
