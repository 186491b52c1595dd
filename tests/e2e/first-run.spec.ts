// The whole first-run story on a server with an empty database: create the administrator, a
// cohort, invite a volunteer; the volunteer accepts, signs in, opens today's lesson, completes it.
import { expect, test } from '@playwright/test';
import { FRESH_URL } from './support/config';
import { expectAccessible } from './support/fixtures';

test('administrator sets up Frontline and a volunteer starts the track', async ({ page, browser }) => {
  await page.goto(`${FRESH_URL}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up Frontline' })).toBeVisible();
  await expectAccessible(page);

  // A weak password is refused and what was typed is kept.
  await page.getByLabel('Your name').fill('Ada Admin');
  await page.getByLabel('Email').fill('ada@frontline.test');
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByLabel('Confirm password').fill('password1234');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('This password is too common')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('ada@frontline.test');

  await page.getByLabel('Password', { exact: true }).fill('tangerine lighthouse 1987');
  await page.getByLabel('Confirm password').fill('tangerine lighthouse 1987');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();

  // The set-up page is gone once an administrator exists.
  await page.goto(`${FRESH_URL}/setup`);
  await expect(page).not.toHaveURL(/\/setup$/);

  await page.goto(`${FRESH_URL}/admin/cohorts`);
  await page.getByLabel('Cohort name').fill('November volunteers');
  await page.getByRole('button', { name: 'Create cohort' }).click();
  await expect(page.getByText('Cohort “November volunteers” created.')).toBeVisible();
  await expectAccessible(page);

  await page.goto(`${FRESH_URL}/admin/invitations`);
  await page.getByLabel('Email').fill('lin@frontline.test');
  await page.getByLabel('Name').fill('Lin Volunteer');
  await page.getByLabel('Cohort (for learners)').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const link = await page.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invite\/[0-9a-f]{32}$/);
  await expectAccessible(page);

  // The volunteer opens the link in their own browser.
  const volunteer = await browser.newContext();
  const learner = await volunteer.newPage();
  await learner.goto(link);
  await expect(learner.getByRole('heading', { name: 'Welcome to Frontline, Lin Volunteer' })).toBeVisible();
  await learner.getByLabel('Password', { exact: true }).fill('sunflower keyboard 2046');
  await learner.getByLabel('Confirm password').fill('sunflower keyboard 2046');
  await learner.getByRole('button', { name: 'Create my account' }).click();
  await expect(learner.getByRole('heading', { name: 'Day 1 of 28' })).toBeVisible();

  // Sign out, then sign in with the new password.
  await learner.getByRole('button', { name: 'Sign out' }).click();
  await expect(learner).toHaveURL(/\/login/);
  await learner.getByLabel('Email').fill('lin@frontline.test');
  await learner.getByLabel('Password').fill('sunflower keyboard 2046');
  await learner.getByRole('button', { name: 'Sign in' }).click();
  await expect(learner.getByRole('heading', { name: 'Day 1 of 28' })).toBeVisible();
  await expect(learner.getByText('0 of 6 lessons · 0%')).toBeVisible();
  await expectAccessible(learner);

  const today = learner.getByRole('region', { name: "Today's lessons" });
  await today.getByRole('link', { name: 'Welcome to the live queue' }).click();
  await expect(learner.getByRole('heading', { level: 1, name: 'Welcome to the live queue' })).toBeVisible();
  await expectAccessible(learner);
  await learner.getByRole('button', { name: 'Mark complete' }).click();
  await expect(learner.getByText('You have completed this lesson.')).toBeVisible();

  await learner.getByRole('link', { name: 'Learn', exact: true }).first().click();
  await expect(learner.getByText('1 of 6 lessons · 16%')).toBeVisible();
  await expect(learner.getByText('1 of 21 lessons completed')).toBeVisible();

  // The administrator finds the volunteer, gives them a second role, then disables the account:
  // the volunteer is signed out at once.
  await page.goto(`${FRESH_URL}/admin/users`);
  await page.getByLabel('Search by name or email').fill('lin@');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('1 user', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Lin Volunteer' }).click();
  await expect(page.getByRole('heading', { name: 'Lin Volunteer' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'trainer' }).check();
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.getByText('Roles saved.')).toBeVisible();
  await expectAccessible(page);
  await page.getByText('Disable account…').click();
  await page.getByLabel('Reason (kept in the audit log)').fill('Left the volunteer programme');
  await page.getByRole('button', { name: 'Yes, disable Lin Volunteer' }).click();
  await expect(page.getByText('Lin Volunteer is disabled and signed out everywhere.')).toBeVisible();

  await learner.goto(`${FRESH_URL}/learn`);
  await expect(learner).toHaveURL(/\/login\?redirectTo=%2Flearn/);
  await volunteer.close();
});
