// The certification exam as a learner sits it, through its route modules and models on a real
// SQLite file: eligibility, a fair draw, server time, seq-checked saves, one-time grading, results.
import { describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import { examLength } from '~/content/exam-schema';
import { drawExam } from '~/domain/exam-draw';
import { EXAM_GRACE_MS, examPool, getExam, saveExamAnswer, startExamAttempt, submitExamAttempt, submitOverdueExamAttempts } from '~/models/exam.server';
import { loadAttempt } from '~/models/attempt.server';
import { queueAccessByEmail } from '~/models/certification.server';
import { writeTransaction } from '~db/connect';
import { issueCertification } from '~/models/certification.server';
import * as dashboard from '~/routes/learn._index';
import * as examPage from '~/routes/exam._index';
import * as attemptPage from '~/routes/exam.attempts.$attemptId';
import * as answersEndpoint from '~/routes/exam.attempts.$attemptId_.answers';
import * as submitPage from '~/routes/exam.attempts.$attemptId_.submit';
import { secretTexts } from '../support/answer-secrets';
import { makeEligible } from '../support/eligibility';
import { CERTIFICATION_EXAM, certificationExam, gradeWrittenReplies, responseFor, sitExam } from '../support/exam-fixtures';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';

async function learner(options: { eligible?: boolean } = { eligible: true }) {
  const user = await createUser({ roles: ['learner'] });
  if (options.eligible === false) await enrolLearner(user.id, { startDate: dateFromToday(-3) });
  else await makeEligible(user.id);
  return { ...user, cookie: await cookieFor(user.id) };
}

async function startThroughPage(cookie: string) {
  const response = await call(examPage.action, makeRequest('/exam', { cookie, form: { intent: 'start' } }));
  return response;
}

function attemptIdFrom(response: Response): number {
  const match = /\/exam\/attempts\/(\d+)/.exec(response.headers.get('Location') ?? '');
  if (!match) throw new Error(`not a redirect to an attempt: ${response.status} ${response.headers.get('Location')}`);
  return Number(match[1]);
}

describe('eligibility on /exam', () => {
  it('lists what is missing and refuses to start before the learner is ready', async () => {
    const user = await learner({ eligible: false });
    const data = await (await call(examPage.loader, makeRequest('/exam', { cookie: user.cookie }))).json();
    expect(data.eligible).toBe(false);
    expect(data.failed).toEqual(expect.arrayContaining(['modules', 'day']));
    expect(data.missing.join(' ')).toMatch(/Complete every module/);
    const refused = await startThroughPage(user.cookie);
    expect(refused.status).toBe(409);
    expect(await db().selectFrom('attempts').select('id').where('user_id', '=', user.id).where('kind', '=', 'exam').execute()).toEqual([]);
  });

  it('starts an eligible learner once: starting twice gives the same attempt, with the server deadline', async () => {
    const user = await learner();
    const before = Date.now();
    const first = attemptIdFrom(await startThroughPage(user.cookie));
    const second = attemptIdFrom(await startThroughPage(user.cookie));
    expect(second).toBe(first);
    const attempt = await loadAttempt(db(), { attemptId: first, userId: user.id, kind: 'exam' });
    const exam = await certificationExam();
    expect(attempt?.scenarios).toHaveLength(examLength(exam.blueprint));
    // Each item from a different scenario.
    expect(new Set(attempt?.scenarios.map((s) => s.scenario.id)).size).toBe(examLength(exam.blueprint));
    const deadline = Date.parse(attempt?.deadline_at ?? '');
    expect(deadline - before).toBeGreaterThanOrEqual(exam.blueprint.durationMinutes * 60_000 - 1000);
    expect(deadline - before).toBeLessThanOrEqual(exam.blueprint.durationMinutes * 60_000 + 5000);
  });

  it('concurrent starts make one attempt', async () => {
    const user = await learner();
    const exam = await certificationExam();
    const results = await Promise.all(Array.from({ length: 10 }, () => startExamAttempt(db(), { userId: user.id, exam })));
    const ids = new Set(results.map((r) => (r.ok ? r.attemptId : -1)));
    expect(ids.size).toBe(1);
  });
});

describe('sitting the exam', () => {
  it('shows one item at a time without answers or feedback, and the end time', async () => {
    const user = await learner();
    const attemptId = attemptIdFrom(await startThroughPage(user.cookie));
    const attempt = await loadAttempt(db(), { attemptId, userId: user.id, kind: 'exam' });
    for (const scenario of attempt?.scenarios ?? []) {
      const response = await call(attemptPage.loader, makeRequest(`/exam/attempts/${attemptId}?item=${scenario.position + 1}`, { cookie: user.cookie }), {
        attemptId: String(attemptId),
      });
      const text = await response.text();
      const data = JSON.parse(text);
      expect(data.mode).toBe('answer');
      expect(data.view.position).toBe(scenario.position);
      expect(data.endsAt).toMatch(/\d\d:\d\d/);
      const item = scenario.scenario.items.find((i) => i.id === scenario.items[0]?.key);
      for (const secret of secretTexts(item!)) expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
      expect(text).not.toMatch(/"correct"|"unsafe"|"explanation"|"feedback"/);
    }
  });

  it('saves through the page without JavaScript and moves on; the autosave endpoint returns the new save count', async () => {
    const user = await learner();
    const attemptId = attemptIdFrom(await startThroughPage(user.cookie));
    // The first question answered with one choice or text (a conversation cannot be re-sent as it was).
    const attempt = await loadAttempt(db(), { attemptId, userId: user.id, kind: 'exam' });
    const target = attempt!.scenarios.find((s) => ['single', 'multiple', 'written'].includes(s.scenario.items.find((i) => i.id === s.items[0]?.key)?.type ?? ''))!;
    const number = target.position + 1;
    const page = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${attemptId}?item=${number}`, { cookie: user.cookie }), { attemptId: String(attemptId) })).json();
    const item = page.view.item;
    const form: Record<string, string> = { intent: 'save', item: String(target.position), seq: String(page.view.seq), present: item.id, go: String(number + 1) };
    if (item.type === 'single' || item.type === 'multiple') form[`item.${item.id}`] = item.options[0].id;
    else if (item.type === 'written') form[`item.${item.id}`] = 'Hello, I have looked into your order.';
    else if (item.type === 'branching') form[`item.${item.id}.choice`] = item.current.options[0].id;
    else if (item.type === 'ordering') item.steps.forEach((s: { id: string }, i: number) => (form[`item.${item.id}.${s.id}`] = String(i + 1)));
    else if (item.type === 'matching') item.evidence.forEach((e: { id: string }) => (form[`item.${item.id}.${e.id}`] = item.conclusions[0].id));
    const saved = await call(attemptPage.action, makeRequest(`/exam/attempts/${attemptId}`, { cookie: user.cookie, form }), { attemptId: String(attemptId) });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('Location')).toBe(`/exam/attempts/${attemptId}?item=${number + 1}`);
    const stored = await loadAttempt(db(), { attemptId, userId: user.id, kind: 'exam', position: target.position });
    expect(stored?.scenarios[0]?.items[0]?.response).not.toBeNull();
    expect(stored?.scenarios[0]?.items[0]?.saveSeq).toBe(1);

    // The same answer again from the same (now stale) page is harmless; a different one is refused.
    const again = await call(answersEndpoint.action, makeRequest(`/exam/attempts/${attemptId}/answers`, { cookie: user.cookie, form }), { attemptId: String(attemptId) });
    expect(again.status).toBe(200);
    expect((await again.json()).seq).toBe(1);
  });

  it('refuses a stale save from another tab with a message that says so', async () => {
    const user = await learner();
    const sat = await sitExam({ userId: user.id, answer: 'blank', submit: false });
    const first = sat.items.find((i) => i.type === 'single') ?? sat.items[0]!;
    const attempt = await loadAttempt(db(), { attemptId: sat.attemptId, userId: user.id, kind: 'exam', position: first.position });
    const seed = attempt!.scenarios[0]!.seed;
    const right = responseFor(first.item, seed, 'correct');
    const wrong = responseFor(first.item, seed, 'wrong');
    const tabA = await saveExamAnswer(db(), { attemptId: sat.attemptId, userId: user.id, position: first.position, response: right, seq: 0 });
    expect(tabA).toMatchObject({ ok: true, seq: 1 });
    const tabB = await saveExamAnswer(db(), { attemptId: sat.attemptId, userId: user.id, position: first.position, response: wrong, seq: 0 });
    expect(tabB).toMatchObject({ ok: false, status: 409 });
    expect(tabB.ok ? '' : tabB.reason).toMatch(/another tab or window/);
    const stored = await loadAttempt(db(), { attemptId: sat.attemptId, userId: user.id, kind: 'exam', position: first.position });
    expect(stored?.scenarios[0]?.items[0]?.response).toEqual(right);
  });

  it('accepts a save in flight within the grace after the deadline and refuses one after it', async () => {
    const user = await learner();
    const exam = await certificationExam();
    const started = new Date(Date.now() - exam.blueprint.durationMinutes * 60_000 - 30_000); // deadline 30 s ago
    const sat = await sitExam({ userId: user.id, answer: 'blank', submit: false, now: started });
    const target = sat.items[0]!;
    const attempt = await loadAttempt(db(), { attemptId: sat.attemptId, userId: user.id, kind: 'exam', position: target.position });
    const response = responseFor(target.item, attempt!.scenarios[0]!.seed, 'correct', 'A reply.');
    const inGrace = await saveExamAnswer(db(), { attemptId: sat.attemptId, userId: user.id, position: target.position, response, seq: 0 });
    expect(inGrace.ok).toBe(true);
    const late = await saveExamAnswer(db(), {
      attemptId: sat.attemptId,
      userId: user.id,
      position: target.position,
      response: null,
      seq: 1,
      now: new Date(Date.parse(attempt!.deadline_at!) + EXAM_GRACE_MS + 1000),
    });
    expect(late).toMatchObject({ ok: false, status: 409 });
    expect(late.ok ? '' : late.reason).toMatch(/Time is up/);
  });

  it('submits an attempt left open past its deadline with the answers saved (job, and on the next request)', async () => {
    const exam = await certificationExam();
    const longAgo = new Date(Date.now() - exam.blueprint.durationMinutes * 60_000 - 5 * 60_000);
    const byJob = await learner();
    const satByJob = await sitExam({ userId: byJob.id, answer: 'correct', writtenText: null, submit: false, now: longAgo });
    const byRequest = await learner();
    const satByRequest = await sitExam({ userId: byRequest.id, answer: 'wrong', writtenText: null, submit: false, now: longAgo });

    // The learner's next request submits their own attempt.
    const page = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${satByRequest.attemptId}`, { cookie: byRequest.cookie }), { attemptId: String(satByRequest.attemptId) })).json();
    expect(page.mode).toBe('result');
    expect(page.result.autoSubmitted).toBe(true);
    expect(page.result.passed).toBe(false);

    expect(await submitOverdueExamAttempts(db())).toBeGreaterThanOrEqual(1);
    const row = await db().selectFrom('attempts').selectAll().where('id', '=', satByJob.attemptId).executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted');
    expect(row.auto_submitted).toBe(1);
    // The saved answers were graded: every non-written item right, written ones left empty.
    expect(row.score).toBeGreaterThan(0);
  });

  it('grades 50 concurrent submits once and issues at most one certification', async () => {
    const user = await learner();
    const sat = await sitExam({ userId: user.id, answer: 'correct', writtenText: null, submit: false });
    const results = await Promise.all(Array.from({ length: 50 }, () => submitExamAttempt(db(), { attemptId: sat.attemptId, userId: user.id })));
    expect(results.filter((r) => r.submitted)).toHaveLength(1);
    const certifications = await db().selectFrom('certifications').select('id').where('user_id', '=', user.id).execute();
    const attempt = await db().selectFrom('attempts').selectAll().where('id', '=', sat.attemptId).executeTakeFirstOrThrow();
    expect(certifications).toHaveLength(attempt.passed === 1 ? 1 : 0);
    const events = await db().selectFrom('audit_events').select('id').where('subject_user_id', '=', user.id).where('action', '=', 'certification.granted').execute();
    expect(events).toHaveLength(certifications.length);
  });

  it('submits through the confirmation page, which lists unanswered and flagged items first', async () => {
    const user = await learner();
    const sat = await sitExam({ userId: user.id, answer: 'blank', submit: false });
    const confirm = await (await call(submitPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}/submit`, { cookie: user.cookie }), { attemptId: String(sat.attemptId) })).json();
    expect(confirm.unanswered).toHaveLength(sat.items.length);
    const done = await call(submitPage.action, makeRequest(`/exam/attempts/${sat.attemptId}/submit`, { cookie: user.cookie, form: { intent: 'submit' } }), {
      attemptId: String(sat.attemptId),
    });
    expect(done.headers.get('Location')).toBe(`/exam/attempts/${sat.attemptId}`);
    const result = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}`, { cookie: user.cookie }), { attemptId: String(sat.attemptId) })).json();
    expect(result.result).toMatchObject({ final: true, passed: false, percent: 0 });
  });

  it("404s another learner's attempt, for the page, the autosave and the submit", async () => {
    const owner = await learner();
    const other = await learner();
    const sat = await sitExam({ userId: owner.id, answer: 'blank', submit: false });
    const params = { attemptId: String(sat.attemptId) };
    expect((await call(attemptPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}`, { cookie: other.cookie }), params)).status).toBe(404);
    expect((await call(submitPage.action, makeRequest(`/exam/attempts/${sat.attemptId}/submit`, { cookie: other.cookie, form: { intent: 'submit' } }), params)).status).toBe(404);
    const save = await call(answersEndpoint.action, makeRequest(`/exam/attempts/${sat.attemptId}/answers`, { cookie: other.cookie, form: { item: '0', seq: '0' } }), params);
    expect(save.status).toBe(404);
    const row = await db().selectFrom('attempts').select('status').where('id', '=', sat.attemptId).executeTakeFirstOrThrow();
    expect(row.status).toBe('in_progress');
  });
});

describe('results and certification', () => {
  it('a pass issues a certification and grants queue access; the result shows the topic breakdown', async () => {
    const user = await learner();
    const sat = await sitExam({ userId: user.id, answer: 'correct', writtenText: null });
    const data = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}`, { cookie: user.cookie }), { attemptId: String(sat.attemptId) })).json();
    expect(data.mode).toBe('result');
    // Written items left empty cost their points; with every other item right the shipped exam still passes or not by its mark.
    expect(data.result.final).toBe(true);
    expect(data.result.topics.length).toBeGreaterThan(1);
    const access = await queueAccessByEmail(db(), { email: user.email, queues: ['returns-refunds'] });
    expect(access.queues[0]?.status).toBe(data.result.passed ? 'granted' : 'not_certified');
  });

  it('a critical item answered unsafely fails the exam whatever the score', async () => {
    const user = await learner();
    const exam = await certificationExam();
    // A seed whose draw holds a critical choice question with an unsafe option.
    const pool = await examPool(db());
    const hasUnsafeChoice = (scenarioId: string, key: string) =>
      pool.some((p) => p.scenarioId === scenarioId && p.itemKey === key && p.critical && (p.type === 'single' || p.type === 'multiple'));
    const seed = Array.from({ length: 200 }, (_, i) => i + 1).find((candidate) => {
      const draw = drawExam({ blueprint: exam.blueprint, pool, seed: candidate });
      return draw.ok && draw.items.some((item) => hasUnsafeChoice(item.scenarioId, item.itemKey));
    });
    expect(seed).toBeDefined();
    // Everything right, then the critical choice questions answered with their unsafe option.
    const sat = await sitExam({ userId: user.id, answer: 'correct', writtenText: null, exam, seed, submit: false });
    const critical = sat.items.filter((i) => i.item.critical && (i.type === 'single' || i.type === 'multiple'));
    expect(critical.length).toBeGreaterThan(0);
    for (const c of critical) {
      const unsafe = c.item.type === 'single' || c.item.type === 'multiple' ? c.item.options.find((o) => o.unsafe) : undefined;
      if (!unsafe) continue;
      const attempt = await loadAttempt(db(), { attemptId: sat.attemptId, userId: user.id, kind: 'exam', position: c.position });
      const seq = attempt?.scenarios[0]?.items[0]?.saveSeq ?? 0;
      const response = c.item.type === 'single' ? { optionId: unsafe.id } : { optionIds: [unsafe.id] };
      await saveExamAnswer(db(), { attemptId: sat.attemptId, userId: user.id, position: c.position, response, seq });
    }
    await submitExamAttempt(db(), { attemptId: sat.attemptId, userId: user.id });
    const data = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}`, { cookie: user.cookie }), { attemptId: String(sat.attemptId) })).json();
    expect(data.result.passed).toBe(false);
    expect(data.result.critical.length).toBeGreaterThan(0);
    expect(await db().selectFrom('certifications').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('written replies keep the result "awaiting review" until a trainer grades them; then it is final', async () => {
    const user = await learner();
    const trainer = await createUser({ roles: ['trainer'] });
    const sat = await sitExam({ userId: user.id, answer: 'correct', withWritten: true });
    const pending = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}`, { cookie: user.cookie }), { attemptId: String(sat.attemptId) })).json();
    expect(pending.result).toMatchObject({ final: false, passed: null, awaiting: sat.writtenPositions.length });
    const exam = await (await call(examPage.loader, makeRequest('/exam', { cookie: user.cookie }))).json();
    expect(exam.failed).toContain('awaiting-review');
    expect(exam.attempts[0].result).toBe('Awaiting review');

    await gradeWrittenReplies(sat, { graderId: trainer.id, pick: 'top' });
    const final = await (await call(attemptPage.loader, makeRequest(`/exam/attempts/${sat.attemptId}`, { cookie: user.cookie }), { attemptId: String(sat.attemptId) })).json();
    expect(final.result).toMatchObject({ final: true, passed: true, percent: 100 });
    expect(await db().selectFrom('certifications').select('id').where('user_id', '=', user.id).execute()).toHaveLength(1);
  });

  it('after a fail: a cooldown, then the next attempt avoids items already seen', async () => {
    const user = await learner();
    const first = await sitExam({ userId: user.id, answer: 'wrong', writtenText: null });
    const data = await (await call(examPage.loader, makeRequest('/exam', { cookie: user.cookie }))).json();
    expect(data.eligible).toBe(false);
    expect(data.failed).toContain('cooldown');
    expect(data.cooldownEndsAt).toMatch(/\d\d:\d\d/);
    expect(data.attemptsLeft).toBe(2);

    const exam = await getExam(db(), { examId: CERTIFICATION_EXAM });
    const second = await startExamAttempt(db(), { userId: user.id, exam: exam!, seed: first.seed });
    if (!second.ok) throw new Error(second.reason);
    const attempt = await loadAttempt(db(), { attemptId: second.attemptId, userId: user.id, kind: 'exam' });
    const firstRefs = new Set(first.items.map((i) => `${i.scenarioTitle}/${i.itemId}`));
    const repeated = attempt!.scenarios.filter((s) => firstRefs.has(`${s.scenario.title}/${s.items[0]?.key}`));
    // The shipped bank has enough items for a second exam with nothing seen before.
    expect(repeated).toHaveLength(0);
  });
});

describe('staying certified', () => {
  async function certifiedDaysAgo(days: number) {
    const user = await learner();
    const exam = await certificationExam();
    await writeTransaction(db(), (trx) =>
      issueCertification(trx, {
        userId: user.id,
        exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
        attemptId: null,
        now: new Date(Date.now() - days * 86_400_000),
      }),
    );
    return user;
  }

  it('reminds on the dashboard 30 and 7 days before expiry, and opens the recertification exam in its window', async () => {
    const exam = await certificationExam();
    const validity = exam.blueprint.validityDays;
    const early = await certifiedDaysAgo(validity - 40); // 40 days left
    const month = await certifiedDaysAgo(validity - 20); // 20 days left
    const week = await certifiedDaysAgo(validity - 5); // 5 days left

    const view = async (cookie: string) => (await (await call(dashboard.loader, makeRequest('/learn', { cookie }))).json()).track.exam;
    expect((await view(early.cookie)).reminder).toBeNull();
    expect((await view(early.cookie)).certification.status).toBe('valid');
    expect((await view(month.cookie)).reminder).toMatchObject({ daysLeft: 20, recertificationOpen: true });
    expect((await view(week.cookie)).reminder).toMatchObject({ daysLeft: 5 });

    // 40 days left: certified, so the exam is closed until the window opens; at 20 days left it is open.
    const closed = await (await call(examPage.loader, makeRequest('/exam', { cookie: early.cookie }))).json();
    expect(closed.eligible).toBe(false);
    expect(closed.failed).toEqual(['certified']);
    const open = await (await call(examPage.loader, makeRequest('/exam', { cookie: month.cookie }))).json();
    expect(open.eligible).toBe(true);
    expect(open.reminder).toEqual({ daysLeft: 20 });
  });

  it('at expiry access ends by itself, and the exam is open again', async () => {
    const exam = await certificationExam();
    const user = await certifiedDaysAgo(exam.blueprint.validityDays + 1);
    const access = await queueAccessByEmail(db(), { email: user.email, queues: [exam.queue] });
    expect(access.queues[0]?.status).toBe('expired');
    const page = await (await call(examPage.loader, makeRequest('/exam', { cookie: user.cookie }))).json();
    expect(page.certification.status).toBe('expired');
    expect(page.eligible).toBe(true);
  });
});
