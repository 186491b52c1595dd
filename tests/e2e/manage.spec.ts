// A manager looking after learners, end to end: creates a cohort, enrols learners from a CSV file
// (preview with each row's outcome and the bad row's error, then confirm), finds the learner who is
// at risk on the roster, grants them another exam attempt, revokes another learner's certification
// and sees the status change, and downloads the roster as a CSV holding the same rows as the page.
// Without JavaScript, the CSV upload, preview and confirm work the same.
import { readFile } from 'node:fs/promises';
import { activate, certificationExam, cohortWith, userName, waitForPage } from './support/exam';
import { createUser, expect, expectAccessible, signInAs, test, todayInShanghai } from './support/fixtures';
import { csvLines, emptyCohort, failedThenCertified, lastActiveDaysAgo, readRosterCsv, rosterLines, uniqueName, writeCsvFile } from './support/manage';

const PREVIEW_TABLE = 'What enrolling each row would do';

test.describe('with JavaScript', () => {
  test('enrol by CSV, find the at-risk learner, grant an attempt, revoke a certification, export the same rows', async ({ page, context }) => {
    test.setTimeout(180_000);
    const manager = await createUser(['manager']);
    const managerName = await userName(manager.id);
    // Two people with accounts (enrolled at once) and one without (invited).
    const ana = await createUser(['learner']);
    const ben = await createUser(['learner']);
    const anaName = await userName(ana.id);
    const benName = await userName(ben.id);
    const newcomer = `newcomer-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
    const cohortName = uniqueName('E2E roster cohort');
    await signInAs(context, manager.id);

    // A new cohort, from the cohorts page.
    await page.goto('/manage/cohorts');
    await waitForPage(page, true);
    await expect(page.getByRole('heading', { level: 1, name: 'Cohorts' })).toBeVisible();
    await page.getByLabel('Cohort name').fill(cohortName);
    await expect(page.getByLabel('Start date')).toHaveValue(todayInShanghai());
    await expect(page.getByText('You will manage this cohort.')).toBeVisible();
    await activate(page, page.getByRole('button', { name: 'Create cohort' }), true);
    await expect(page).toHaveURL(/\/manage\/cohorts\/\d+\?created=1$/);
    await expect(page.getByRole('heading', { level: 1, name: cohortName })).toBeVisible();
    await expect(page.getByText('Cohort created. Enrol its learners below.')).toBeVisible();
    await expect(page.getByText('No one is enrolled yet.')).toBeVisible();

    // The CSV: a header, Ana on a personal start 10 days ago, Ben 30 days ago with a quoted name
    // holding a comma, the newcomer, and a row whose email is not one.
    const anaStart = todayInShanghai(-10);
    const benStart = todayInShanghai(-30);
    const file = await writeCsvFile(test.info().outputPath('learners.csv'), [
      'email,name,start_date',
      `${ana.email},Ana Lima,${anaStart}`,
      `${ben.email},"Okafor, Ben",${benStart}`,
      `${newcomer},"Chen, Wei",`,
      'not-an-email,Bad Row,',
    ]);
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Preview the file' }).press('Enter');

    const preview = page.getByRole('region', { name: 'Preview: nothing is written yet' });
    await expect(preview).toBeVisible();
    await expect(preview.getByText('4 rows: 2 to enrol · 1 to invite · 1 with errors.')).toBeVisible();
    const previewRows = preview.getByRole('table', { name: PREVIEW_TABLE }).locator('tbody tr');
    await expect(previewRows).toHaveCount(4);
    // Row numbers as a spreadsheet shows them: the header is row 1.
    await expect(previewRows.nth(0)).toContainText(`2${ana.email}Ana LimaStarts ${anaStart}Will enrolWill be enrolled with a personal start date of ${anaStart}.`);
    await expect(previewRows.nth(1)).toContainText(`3${ben.email}Okafor, BenStarts ${benStart}Will enrol`);
    await expect(previewRows.nth(2)).toContainText(`4${newcomer}Chen, WeiNo account: will invite`);
    await expect(previewRows.nth(3)).toContainText('5not-an-emailBad RowError“not-an-email” is not an email address.');
    await expect(preview.getByText('1 row has an error and is skipped: fix it and enrol those rows again afterwards.')).toBeVisible();
    // Nothing is written before the confirmation.
    await expect(page.getByRole('region', { name: 'Learners' }).getByText('No one is enrolled yet.')).toBeVisible();
    await expectAccessible(page);

    await preview.getByRole('button', { name: 'Confirm: write 3 rows' }).press('Enter');
    const done = page.getByText('Done: 2 enrolled, 1 invited, 1 skipped.');
    await expect(done).toBeVisible();
    await expect(page.getByRole('region', { name: 'Preview: nothing is written yet' })).toHaveCount(0);
    await expect(page.getByLabel(`Invitation link for Chen, Wei (${newcomer})`)).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/invite\/\S+$/);
    await expect(page.getByText('Row 5 (not-an-email): “not-an-email” is not an email address.')).toBeVisible();
    await expect(page.getByText(/ · 2 learners$/)).toBeVisible();
    const enrolled = page.getByRole('table', { name: `Learners of ${cohortName}` });
    await expect(enrolled.getByRole('row').filter({ hasText: ana.email })).toContainText('(personal)');
    await expect(enrolled.getByRole('row').filter({ hasText: ben.email })).toContainText('Day 31');
    await expect(enrolled.getByText(newcomer)).toHaveCount(0);

    // Ana has done nothing for 6 days; Ben failed the exam once, then passed and is certified.
    await lastActiveDaysAgo(ana.id, 6);
    await failedThenCertified(ben.id);
    const exam = await certificationExam();

    // The roster, searched by the cohort's name, at-risk learners only: Ana, with her reasons.
    await page.goto('/manage');
    await waitForPage(page, true);
    await expect(page.getByRole('heading', { level: 1, name: 'Learners' })).toBeVisible();
    const filters = page.getByRole('search', { name: 'Filter learners' });
    await filters.getByLabel('Search by name, email or cohort').fill(cohortName);
    await filters.getByRole('checkbox', { name: 'At risk only' }).press('Space');
    await activate(page, filters.getByRole('button', { name: 'Apply' }), true);
    expect(new URL(page.url()).searchParams.get('atRisk')).toBe('1');
    await expect(page.getByText('1 learner match')).toBeVisible();
    const atRiskLines = await rosterLines(page);
    expect(atRiskLines).toEqual([{ name: anaName, email: ana.email, status: 'At risk', reasons: ['10 days behind schedule', 'No activity for 6 days'] }]);
    await expectAccessible(page);

    // The CSV of the same filter holds the same rows.
    const downloadLink = page.getByRole('link', { name: 'Download CSV of this learner' });
    await expect(downloadLink).toHaveAttribute('href', /^\/manage\/export\.csv\?.*atRisk=1/);
    const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^frontline-learners-\d{4}-\d{2}-\d{2}\.csv$/);
    const atRiskCsv = readRosterCsv(await readFile(await download.path(), 'utf8'));
    expect(csvLines(atRiskCsv)).toEqual(atRiskLines);
    expect(atRiskCsv[0]).toMatchObject({ Cohort: cohortName, 'Day in track': '11', 'Lessons done': '0' });

    // Ana's page: grant her one more exam attempt, with a reason; the audit trail keeps it.
    await activate(page, page.getByRole('link', { name: anaName, exact: true }), true);
    await expect(page.getByRole('heading', { level: 1, name: anaName })).toBeVisible();
    await expect(page.getByText(`Cohort ${cohortName}`, { exact: false })).toBeVisible();
    const examSection = page.getByRole('region', { name: 'Exam attempts' });
    await expect(examSection.getByText(/^Attempts used: 0 of 3 · Attempts left: 3$/)).toBeVisible();
    await expectAccessible(page);
    const grant = examSection.locator('form').filter({ has: page.getByRole('heading', { name: 'Grant one more attempt' }) });
    const grantReason = 'Ten days lost to a family emergency; agreed at the weekly check-in.';
    await grant.getByLabel('Reason (kept in the audit trail)').fill(grantReason);
    await activate(page, grant.getByRole('button', { name: 'Grant an attempt' }), true);
    await expect(page).toHaveURL(new RegExp(`/manage/learners/${ana.id}\\?done=extra-attempt$`));
    await expect(page.getByText('One more attempt granted.')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Exam attempts' }).getByText(/^Attempts used: 0 of 4 \(1 extra granted\) · Attempts left: 4$/)).toBeVisible();
    const anaTrail = page.getByRole('region', { name: 'Audit trail' }).getByRole('listitem').first();
    await expect(anaTrail).toContainText(`Extra exam attempt granted by ${managerName}`);
    await expect(anaTrail.getByText(`Reason: ${grantReason}`)).toBeVisible();

    // Ben's page: the failed and the passed attempt, certified; revoke with a reason and a ticked confirmation.
    await page.goto(`/manage/learners/${ben.id}`);
    await waitForPage(page, true);
    await expect(page.getByRole('heading', { level: 1, name: benName })).toBeVisible();
    const status = page.getByRole('list', { name: 'Status' });
    await expect(status.getByText(/^Certified until /)).toBeVisible();
    const attempts = page.getByRole('list', { name: 'Attempts, newest first' }).getByRole('heading', { level: 3 });
    await expect(attempts).toHaveText(['Attempt 2: Passed · 90% (90 of 100 points)', 'Attempt 1: Failed · 50% (50 of 100 points)']);
    const held = page.getByRole('region', { name: 'Certifications' }).getByRole('listitem').filter({ hasText: `${exam.queue} queue:` });
    await expect(held.getByText(`${exam.queue} queue: Valid`)).toBeVisible();
    const revokeReason = 'Gave a customer another customer’s order details.';
    await held.locator('summary', { hasText: 'Revoke…' }).press('Enter');
    await held.getByLabel('Reason (kept in the audit trail)').fill(revokeReason);
    // Without the confirmation nothing is revoked (the browser asks for the box before sending).
    const confirmBox = held.getByRole('checkbox', { name: `Yes: ${benName} loses access to the ${exam.queue} queue at once.` });
    await expect(confirmBox).not.toBeChecked();
    await confirmBox.press('Space');
    await activate(page, held.getByRole('button', { name: 'Revoke the certification' }), true);
    await expect(page.getByText('Certification revoked: queue access has ended and the helpdesk is told.')).toBeVisible();
    await expect(status.getByText('Certification revoked', { exact: true })).toBeVisible();
    await expect(status.getByText(/^Certified until /)).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Certifications' }).getByText(`${exam.queue} queue: Revoked`)).toBeVisible();
    const benTrail = page.getByRole('region', { name: 'Audit trail' }).getByRole('listitem').first();
    await expect(benTrail).toContainText(`Certification revoked by ${managerName}`);
    await expect(benTrail.getByText(`Reason: ${revokeReason}`)).toBeVisible();
    await expectAccessible(page);

    // Back in the roster: Ben's status is revoked; filtered by that status he is the only one.
    await activate(page, page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Learners' }), true);
    await filters.getByLabel('Search by name, email or cohort').fill(cohortName);
    await activate(page, filters.getByRole('button', { name: 'Apply' }), true);
    await expect(page.getByText('2 learners match')).toBeVisible();
    const cohortLines = await rosterLines(page);
    expect(cohortLines.map((l) => l.email).sort()).toEqual([ana.email, ben.email].sort());
    expect(cohortLines.find((l) => l.email === ben.email)).toMatchObject({ status: 'Certification revoked', reasons: [] });
    expect(cohortLines.find((l) => l.email === ana.email)).toMatchObject({ status: 'At risk' });

    await filters.getByLabel('Status').selectOption({ label: 'Certification revoked' });
    await activate(page, filters.getByRole('button', { name: 'Apply' }), true);
    await expect(page.getByText('1 learner match')).toBeVisible();
    const revokedLines = await rosterLines(page);
    expect(revokedLines).toEqual([{ name: benName, email: ben.email, status: 'Certification revoked', reasons: [] }]);
    // Its CSV (fetched with the same session and the link's own query) holds the same row.
    const href = await page.getByRole('link', { name: /^Download CSV/ }).getAttribute('href');
    expect(href).toContain('status=revoked');
    const response = await page.request.get(href ?? '');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const revokedCsv = readRosterCsv(await response.text());
    expect(csvLines(revokedCsv)).toEqual(revokedLines);
    expect(revokedCsv[0]).toMatchObject({ Cohort: cohortName, 'Certified until': '' });

    // The whole cohort's CSV: the same two rows, in the page's order.
    await page.goto(`/manage?q=${encodeURIComponent(cohortName)}`);
    await waitForPage(page, true);
    await expect(page.getByText('2 learners match')).toBeVisible();
    const allHref = await page.getByRole('link', { name: 'Download CSV of these 2 learners' }).getAttribute('href');
    const allCsv = readRosterCsv(await (await page.request.get(allHref ?? '')).text());
    expect(csvLines(allCsv)).toEqual(await rosterLines(page));

    await page.goto('/manage/insights');
    await waitForPage(page, true);
    await expect(page.getByRole('heading', { level: 1, name: 'The picture' })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe('with JavaScript: the roster filters', () => {
  test('"Clear filters" empties the search, status and at-risk fields as well as the list', async ({ page, context }) => {
    // After a client-side navigation between roster URLs an uncontrolled select keeps its old choice
    // unless the form is rebuilt: the roster keys its form by the query.
    const manager = await createUser(['manager']);
    const learner = await createUser(['learner']);
    await cohortWith({ managerId: manager.id, learnerId: learner.id });
    await signInAs(context, manager.id);
    await page.goto('/manage?q=nobody-by-this-name&status=revoked&atRisk=1');
    await waitForPage(page, true);
    await expect(page.getByText('No learners match these filters.', { exact: false })).toBeVisible();
    const filters = page.getByRole('search', { name: 'Filter learners' });
    await expect(filters.getByLabel('Status')).toHaveValue('revoked');

    await activate(page, page.getByRole('link', { name: 'Clear filters' }), true);
    await expect(page.getByText('1 learner', { exact: true })).toBeVisible();
    expect((await rosterLines(page)).map((l) => l.email)).toEqual([learner.email]);
    // The fields say what the list shows: no filter, so that "Apply" does not bring the old ones back.
    await expect.soft(filters.getByLabel('Search by name, email or cohort')).toHaveValue('');
    await expect.soft(filters.getByLabel('Status')).toHaveValue('');
    await expect.soft(filters.getByRole('checkbox', { name: 'At risk only' })).not.toBeChecked();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('CSV upload: the preview shows each row, confirming enrols and invites', async ({ page, context }) => {
    const manager = await createUser(['manager']);
    const learner = await createUser(['learner']);
    const learnerName = await userName(learner.id);
    const cohortName = uniqueName('E2E no-JS cohort');
    const cohortId = await emptyCohort({ managerId: manager.id, name: cohortName, daysAgo: 2 });
    const newcomer = `invitee-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
    await signInAs(context, manager.id);

    await page.goto(`/manage/cohorts/${cohortId}`);
    await expect(page.getByRole('heading', { level: 1, name: cohortName })).toBeVisible();
    const file = await writeCsvFile(test.info().outputPath('learners-nojs.csv'), [
      'Email,Full name,Start date',
      `${learner.email.toUpperCase()},,`,
      `${newcomer},"Ngozi ""Zee"" Eze, MBA",`,
      `someone@e2e.test,Wrong Date,2026-02-30`,
    ]);
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Preview the file' }).press('Enter');

    const preview = page.getByRole('region', { name: 'Preview: nothing is written yet' });
    await expect(preview.getByText('3 rows: 1 to enrol · 1 to invite · 1 with errors.')).toBeVisible();
    const rows = preview.getByRole('table', { name: PREVIEW_TABLE }).locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText(`2${learner.email}Will enrolWill be enrolled.`);
    await expect(rows.nth(1)).toContainText(`3${newcomer}Ngozi "Zee" Eze, MBANo account: will invite`);
    await expect(rows.nth(2)).toContainText('4someone@e2e.testWrong DateStarts 2026-02-30ErrorThe start date “2026-02-30” is not a calendar date: use YYYY-MM-DD');
    // (axe needs JavaScript: the same preview is checked for accessibility in the test above.)

    await preview.getByRole('button', { name: 'Confirm: write 2 rows' }).press('Enter');
    await expect(page.getByText('Done: 1 enrolled, 1 invited, 1 skipped.')).toBeVisible();
    await expect(page.getByLabel(`Invitation link for Ngozi "Zee" Eze, MBA (${newcomer})`)).toHaveValue(/\/invite\/\S+$/);
    await expect(page.getByText('Row 4 (someone@e2e.test): The start date “2026-02-30” is not a calendar date', { exact: false })).toBeVisible();
    const enrolled = page.getByRole('table', { name: `Learners of ${cohortName}` });
    await expect(enrolled.getByRole('row')).toHaveCount(2); // the header and the learner
    await expect(enrolled.getByRole('row').filter({ hasText: learner.email })).toContainText(`${learnerName}`);
    await expect(enrolled.getByRole('row').filter({ hasText: learner.email })).toContainText('Day 3');

    // The same file again: everyone with an account is already here, the invitation is pending.
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Preview the file' }).press('Enter');
    await expect(page.getByRole('region', { name: 'Preview: nothing is written yet' }).getByText('3 rows: 1 to invite · 1 already here · 1 with errors.')).toBeVisible();
    await expect(page.getByText('It replaces the invitation already pending.', { exact: false })).toBeVisible();
  });
});
