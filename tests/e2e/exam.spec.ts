// The certification exam, end to end: an eligible learner sits it with the keyboard alone, a trainer
// grades the written replies, the learner gets a certificate anyone can verify; without JavaScript a
// learner who leaves most questions blank fails and waits for the cooldown; autosave keeps an answer
// and refuses one from a stale second tab; a manager revokes a certification and the helpdesk API
// and the public page say so.
import { formatDateTime } from '~/domain/calendar';
import { MAIN_PORT } from './support/config';
import {
  activate,
  answerCorrectly,
  certificationExam,
  certifyInMainDb,
  cohortWith,
  examQuestions,
  expectBlank,
  helpdeskApiKey,
  makeEligibleInMainDb,
  openAttemptId,
  questionHeading,
  userName,
  waitForPage,
  WRITTEN_REPLY,
} from './support/exam';
import { createUser, expect, expectAccessible, signInAs, test } from './support/fixtures';

const BASE_URL = `http://127.0.0.1:${MAIN_PORT}`;
const TIME_ZONE = 'Asia/Shanghai';
const EXAM_TITLE = 'Returns & Refunds — live queue certification';

const pointsLabel = (points: number) => `${points} ${points === 1 ? 'point' : 'points'}`;

/** The JWT's payload, decoded (the signature is checked by the unit and integration tests). */
function jwtPayload(jwt: string): unknown {
  const [, payload] = jwt.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
}

test.describe('with JavaScript', () => {
  test('keyboard only: sit the exam, a trainer grades the replies, the certificate verifies publicly', async ({ page, context, browser }) => {
    test.setTimeout(300_000);
    const learner = await createUser(['learner']);
    await makeEligibleInMainDb(learner.id);
    const learnerName = await userName(learner.id);
    await signInAs(context, learner.id);

    // The checklist says the learner is ready.
    await page.goto('/exam');
    await waitForPage(page, false); // plain HTML
    await expect(page.getByRole('heading', { level: 1, name: EXAM_TITLE })).toBeVisible();
    const ready = page.getByRole('region', { name: 'Are you ready?' });
    await expect(ready.getByRole('listitem').filter({ hasText: 'Not yet:' })).toHaveCount(0);
    await expect(ready.getByRole('listitem').filter({ hasText: /Done: Week 1:/ })).toHaveCount(1);
    await expect(ready.getByText('Attempts left: 3 (0 used)')).toBeVisible();
    await expect(ready.getByRole('heading', { name: 'Still missing' })).toHaveCount(0);

    await activate(page, page.getByRole('button', { name: 'Start the exam' }), true);
    const attemptId = Number(/\/exam\/attempts\/(\d+)/.exec(page.url())?.[1]);
    expect(attemptId).toBeGreaterThan(0);
    const { questions } = await examQuestions({ attemptId, userId: learner.id });
    const count = questions.length;
    expect(count).toBeGreaterThan(4);
    await expect(page.getByText(/^Time left: /)).toBeVisible();

    for (const question of questions) {
      const n = question.number;
      await expect(questionHeading(page, n, count)).toBeVisible();
      // A question not answered before starts empty (nothing carried over from the one before).
      await expectBlank(page);
      await answerCorrectly(page, question, true);
      if (n === 1) await expectAccessible(page);
      if (n === 2) {
        // Flag it, then take the flag off again (each press saves the answer and reloads the question).
        await page.getByRole('button', { name: 'Flag for review' }).press('Enter');
        await expect(questionHeading(page, 2, count)).toContainText('Flagged for review');
        await expect(page.getByRole('button', { name: 'Question 2, answered, flagged, current' })).toBeVisible();
        await page.getByRole('button', { name: 'Remove flag' }).press('Enter');
        await expect(page.getByRole('button', { name: 'Flag for review' })).toBeVisible();
        await expect(questionHeading(page, 2, count)).not.toContainText('Flagged');
        await expect(page.getByRole('button', { name: 'Question 2, answered, current' })).toBeVisible();
      }
      if (n === 3) {
        // The question navigation goes to question 4 and saves this one on the way.
        await activate(page, page.getByRole('button', { name: 'Question 4, not answered' }), true);
        await expect(page.getByRole('button', { name: 'Question 3, answered' })).toBeVisible();
      } else if (n < count) {
        await activate(page, page.getByRole('button', { name: 'Save and next' }), true);
      } else {
        await activate(page, page.getByRole('button', { name: 'Review and submit' }), true);
      }
    }

    // Review: every question answered, none flagged.
    await waitForPage(page, false); // plain HTML
    await expect(page.getByRole('heading', { level: 1, name: 'Review and submit' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Every question has an answer' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Flagged for review' })).toHaveCount(0);
    await expectAccessible(page);
    await activate(page, page.getByRole('button', { name: 'Submit exam' }), true);

    const written = questions.filter((q) => q.item.type === 'written');
    test.info().annotations.push({ type: 'written replies', description: String(written.length) });
    if (written.length > 0) {
      await expect(page.getByRole('heading', { level: 1, name: 'Submitted: awaiting review' })).toBeVisible();
      await expect(page.getByText(`${written.length} written ${written.length === 1 ? 'reply is' : 'replies are'} awaiting review by a trainer.`)).toBeVisible();
      await expectAccessible(page);

      // A trainer grades each reply at the top of the rubric, with the keyboard.
      const trainer = await createUser(['trainer']);
      const trainerContext = await browser.newContext({ baseURL: BASE_URL });
      await signInAs(trainerContext, trainer.id);
      const grader = await trainerContext.newPage();
      for (const [index, question] of written.entries()) {
        if (question.item.type !== 'written') throw new Error('not a written item');
        await grader.goto('/studio/grading');
        await waitForPage(grader, true);
        await activate(grader, grader.locator(`a[href="/studio/grading/${attemptId}/${question.number - 1}"]`), true);
        await expect(grader.getByText(`Question ${question.number} of exam attempt ${attemptId}`)).toBeVisible();
        await expect(grader.getByText(WRITTEN_REPLY, { exact: true })).toBeVisible();
        for (const criterion of question.item.rubric) {
          const top = criterion.levels.reduce((best, level) => (level.points > best.points ? level : best));
          const radio = grader.getByRole('group', { name: criterion.criterion, exact: true }).getByRole('radio', { name: `${pointsLabel(top.points)} — ${top.description}`, exact: true });
          await radio.press('Space');
          await expect(radio).toBeChecked();
        }
        await activate(grader, grader.getByRole('button', { name: 'Save grade' }), true);
        await expect(
          grader.getByText(
            index === written.length - 1
              ? 'Grade saved. That was the last reply waiting in the attempt: its result is now final, and the learner passed and is certified.'
              : 'Grade saved. Other replies of the same attempt are still waiting, so its result is not final yet.',
          ),
        ).toBeVisible();
      }
      await trainerContext.close();
      await page.reload();
      await waitForPage(page, true);
    }

    await expect(page.getByRole('heading', { level: 1, name: 'Passed with 100%' })).toBeVisible();
    await expectAccessible(page);

    // The certificate, and its public verification page.
    await activate(page, page.getByRole('link', { name: 'See your certificate' }), false);
    await expect(page.getByRole('heading', { level: 2, name: learnerName })).toBeVisible();
    await expect(page.getByText('returns-refunds queue', { exact: true })).toBeVisible();
    const certificate = page.getByRole('article');
    await expect(certificate.getByText('Valid', { exact: true })).toBeVisible();
    const credentialId = (await certificate.locator('dt:text-is("Credential id") + dd').textContent())?.trim() ?? '';
    expect(credentialId).toMatch(/^[0-9a-f-]{36}$/);

    const visitor = await browser.newContext({ baseURL: BASE_URL });
    const verifier = await visitor.newPage();
    await verifier.goto(`/verify/${credentialId}`);
    await expect(verifier.getByRole('heading', { level: 1, name: learnerName })).toBeVisible();
    await expect(verifier.getByRole('status')).toContainText('Status: Valid');
    await expect(verifier.getByText(credentialId, { exact: true })).toBeVisible();
    const response = await visitor.request.get(`/verify/${credentialId}.json`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { credentialId: string; status: string; jwt: string };
    expect(body).toMatchObject({ credentialId, status: 'valid' });
    expect(body.jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(jwtPayload(body.jwt))).toContain(credentialId);
    await visitor.close();
  });

  test('autosave keeps an answer over a reload, and a stale second tab is refused', async ({ page, context }) => {
    const learner = await createUser(['learner']);
    await makeEligibleInMainDb(learner.id);
    await signInAs(context, learner.id);
    await page.goto('/exam');
    await activate(page, page.getByRole('button', { name: 'Start the exam' }), true);
    const attemptId = await openAttemptId(learner.id);
    const { questions } = await examQuestions({ attemptId, userId: learner.id });
    // A single-choice question with at least three options (the bank is mostly such questions).
    const question = questions.find((q) => q.item.type === 'single' && q.item.options.length >= 3);
    if (!question || question.item.type !== 'single') throw new Error('the draw holds no single-choice question with three options');
    const [first, second, third] = question.item.options.map((o) => o.text) as [string, string, string];
    const url = `/exam/attempts/${attemptId}?item=${question.number}`;

    await page.goto(url);
    await waitForPage(page, true);
    await expect(questionHeading(page, question.number, questions.length)).toBeVisible();
    await page.getByRole('radio', { name: first, exact: true }).press('Space');
    await expect(page.getByText(/^Saved at \d/)).toBeVisible();
    await page.reload();
    await waitForPage(page, true);
    await expect(page.getByRole('radio', { name: first, exact: true })).toBeChecked();
    await expect(page.getByRole('button', { name: `Question ${question.number}, answered, current` })).toBeVisible();

    // The same question open in a second tab; the first tab changes the answer after it loaded.
    const tab2 = await context.newPage();
    await tab2.goto(url);
    await waitForPage(tab2, true);
    await expect(tab2.getByRole('radio', { name: first, exact: true })).toBeChecked();

    await page.getByRole('radio', { name: second, exact: true }).press('Space');
    await expect(page.getByText(/^Saved at \d/)).toBeVisible();

    await tab2.getByRole('radio', { name: third, exact: true }).press('Space');
    await expect(tab2.getByText(/^Not saved: this answer was changed in another tab or window/)).toBeVisible();
    // The newer answer stands: the second tab, reloaded, shows it.
    await tab2.reload();
    await waitForPage(tab2, true);
    await expect(tab2.getByRole('radio', { name: second, exact: true })).toBeChecked();
  });

  test('a manager revokes a certification: the helpdesk API and the public page say revoked', async ({ page, context, browser, request }) => {
    const learner = await createUser(['learner']);
    const manager = await createUser(['manager']);
    await cohortWith({ managerId: manager.id, learnerId: learner.id });
    const exam = await certificationExam();
    const certification = await certifyInMainDb(learner.id);
    const learnerName = await userName(learner.id);
    const key = await helpdeskApiKey();
    const queueAccess = async () => {
      const response = await request.get(`/api/v1/queue-access?email=${encodeURIComponent(learner.email)}`, { headers: { Authorization: `Bearer ${key}` } });
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { queues: { queue: string; status: string; credentialId: string | null }[] };
      return body.queues.find((q) => q.queue === exam.queue);
    };
    expect(await queueAccess()).toMatchObject({ status: 'granted', credentialId: certification.credential_id });

    await signInAs(context, manager.id);
    await page.goto(`/manage/learners/${learner.id}`);
    await waitForPage(page, true);
    await expect(page.getByRole('heading', { level: 1, name: learnerName })).toBeVisible();
    const held = page.getByRole('region', { name: 'Certifications' }).getByRole('listitem').filter({ hasText: `${exam.queue} queue:` });
    await expect(held.getByText(`${exam.queue} queue: Valid`)).toBeVisible();

    const reason = 'Shared the refund tool password in a public chat.';
    await held.locator('summary', { hasText: 'Revoke…' }).press('Enter');
    const reasonField = held.getByLabel('Reason (kept in the audit trail)');
    await expect(reasonField).toBeVisible();
    await reasonField.focus();
    await page.keyboard.type(reason);
    await held.getByRole('checkbox', { name: `Yes: ${learnerName} loses access to the ${exam.queue} queue at once.` }).press('Space');
    await activate(page, held.getByRole('button', { name: 'Revoke the certification' }), true);

    await expect(page.getByText('Certification revoked: queue access has ended and the helpdesk is told.')).toBeVisible();
    const after = page.getByRole('region', { name: 'Certifications' }).getByRole('listitem').filter({ hasText: `${exam.queue} queue:` });
    await expect(after.getByText(`${exam.queue} queue: Revoked`)).toBeVisible();
    await expect(after.getByText(new RegExp(`^Revoked .*: ${reason}$`))).toBeVisible();
    await expect(page.getByRole('region', { name: 'Audit trail' }).getByText(`Reason: ${reason}`)).toBeVisible();

    expect(await queueAccess()).toMatchObject({ status: 'revoked', credentialId: certification.credential_id });

    const visitor = await browser.newContext({ baseURL: BASE_URL });
    const verifier = await visitor.newPage();
    await verifier.goto(`/verify/${certification.credential_id}`);
    await expect(verifier.getByRole('heading', { level: 1, name: learnerName })).toBeVisible();
    await expect(verifier.getByRole('status')).toContainText('Status: Revoked');
    // The reason stays between the manager and the learner.
    await expect(verifier.getByText(reason)).toHaveCount(0);
    await visitor.close();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('two answers, the printed end time, review lists the rest, submit: not passed, then the cooldown', async ({ page, context }) => {
    test.setTimeout(120_000);
    const learner = await createUser(['learner']);
    await makeEligibleInMainDb(learner.id);
    await signInAs(context, learner.id);
    await page.goto('/exam');
    await activate(page, page.getByRole('button', { name: 'Start the exam' }), false);
    const attemptId = await openAttemptId(learner.id);
    const { questions, deadlineAt } = await examQuestions({ attemptId, userId: learner.id });
    const count = questions.length;

    // No countdown without JavaScript: the end time, printed by the server in the learner's time zone.
    await expect(page.getByText(`Ends at ${formatDateTime(deadlineAt, TIME_ZONE)} (${TIME_ZONE})`, { exact: true })).toBeVisible();
    await expect(page.getByText(/^Time left/)).toHaveCount(0);

    // Answer the first two questions that are not written replies (a written reply would wait for a trainer).
    const answered: number[] = [];
    for (const question of questions) {
      if (answered.length === 2) break;
      await expect(questionHeading(page, question.number, count)).toBeVisible();
      if (question.item.type !== 'written') {
        await answerCorrectly(page, question, false);
        answered.push(question.number);
      }
      await activate(page, page.getByRole('button', { name: 'Save and next' }), false);
    }
    for (const n of answered) await expect(page.getByRole('button', { name: new RegExp(`^Question ${n}, answered`) })).toBeVisible();

    await activate(page, page.getByRole('button', { name: 'Review and submit' }), false);
    await expect(page.getByRole('heading', { level: 1, name: 'Review and submit' })).toBeVisible();
    const unanswered = page.getByRole('region', { name: `${count - 2} of ${count} questions not answered` });
    await expect(unanswered).toBeVisible();
    await expect(unanswered.getByRole('link')).toHaveCount(count - 2);
    for (const n of answered) await expect(unanswered.getByRole('link', { name: `Question ${n}`, exact: true })).toHaveCount(0);
    await expect(unanswered.getByRole('link', { name: `Question ${count}`, exact: true })).toBeVisible();

    await activate(page, page.getByRole('button', { name: 'Submit exam' }), false);
    await expect(page.getByRole('heading', { level: 1, name: /^Not passed: [\d.]+% \(the pass mark is 80%\)$/ })).toBeVisible();

    await activate(page, page.getByRole('link', { name: 'See when you can try again' }), false);
    const ready = page.getByRole('region', { name: 'Are you ready?' });
    await expect(ready.getByText(/Your next attempt opens \w{3}, \d{1,2} \w{3} \d{4}/)).toBeVisible();
    await expect(ready.getByText('Attempts left: 2 (1 used)')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start the exam' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Your attempts' }).getByText(/^Not passed · [\d.]+%$/)).toBeVisible();
  });
});
