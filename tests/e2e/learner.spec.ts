// A learner's day on the track, with and without JavaScript.
import { createUser, expect, expectAccessible, signInAs, test, todayInShanghai } from './support/fixtures';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`learner with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('signs in, opens today’s lesson, marks it complete and sees progress move', async ({ page }) => {
      const learner = await createUser(['learner'], { startDate: todayInShanghai(-1) });
      await page.goto('/learn');
      await expect(page).toHaveURL(/\/login\?redirectTo=%2Flearn/);
      await page.getByLabel('Email').fill(learner.email);
      await page.getByLabel('Password').fill(learner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await expect(page.getByRole('heading', { name: 'Day 2 of 28' })).toBeVisible();
      await expect(page.getByText('0 of 6 lessons · 0%')).toBeVisible();
      const today = page.getByRole('region', { name: "Today's lessons" });
      await expect(today.getByRole('link', { name: 'Order types, payment lines and statuses' })).toBeVisible();
      // Day 1's lessons are still to do, so they are listed to catch up.
      await expect(today.getByRole('link', { name: 'Welcome to the live queue' })).toBeVisible();

      await today.getByRole('link', { name: 'Order types, payment lines and statuses' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Order types, payment lines and statuses' })).toBeVisible();
      await expect(page.getByRole('link', { name: /§2\.1/ }).first()).toBeVisible();
      await page.getByRole('button', { name: 'Mark complete' }).click();
      await expect(page.getByText('Lesson marked complete.')).toBeVisible();

      await page.goto('/learn');
      await expect(page.getByText('1 of 6 lessons · 16%')).toBeVisible();
      await expect(page.getByRole('progressbar', { name: 'Week 1 progress' })).toHaveAttribute('aria-valuenow', '16');
    });

    test('a lesson that has not opened yet shows its date, not its text', async ({ page, context }) => {
      const learner = await createUser(['learner'], { startDate: todayInShanghai(0) });
      await signInAs(context, learner.id);
      await page.goto('/learn/lessons/the-7-day-return-rule');
      await expect(page.getByRole('heading', { name: 'This lesson is locked' })).toBeVisible();
      await expect(page.getByText(/It opens on/)).toBeVisible();
      await expect(page.getByRole('button', { name: 'Mark complete' })).toHaveCount(0);
    });
  });
}

test('the handbook section a lesson cites opens at that section', async ({ page, context }) => {
  const learner = await createUser(['learner'], { startDate: todayInShanghai(-7) });
  await signInAs(context, learner.id);
  await page.goto('/learn/lessons/the-7-day-return-rule');
  await page.getByRole('link', { name: /§3\.1/ }).last().click();
  await expect(page).toHaveURL(/\/handbook\/returns#section-3-1$/);
  await expect(page.getByRole('heading', { level: 2, name: /§3\.1/ })).toBeVisible();
  await expectAccessible(page);
});

test('the learner dashboard works on a phone-sized screen', async ({ page, context }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  const learner = await createUser(['learner'], { startDate: todayInShanghai(-3) });
  await signInAs(context, learner.id);
  await page.goto('/learn');
  await expect(page.getByRole('heading', { name: 'Day 4 of 28' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
});
