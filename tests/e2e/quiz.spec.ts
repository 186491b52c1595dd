// A learner takes a weekly practice quiz with the keyboard alone: answers, saves, reloads and finds
// the answers kept, works through a branching conversation, submits each case and reads its
// feedback, and gets a result. Once with JavaScript (autosave) and once without.
import type { Locator, Page } from '@playwright/test';
import { createUser, expect, expectAccessible, signInAs, test, todayInShanghai } from './support/fixtures';

async function waitForPage(page: Page, javaScript: boolean) {
  await page.waitForLoadState('load');
  if (javaScript) await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/** Presses Enter on a button or link (no mouse) and waits for the next page. */
async function activate(page: Page, target: Locator, javaScript: boolean) {
  const url = page.url();
  await target.press('Enter');
  await expect.poll(() => page.url()).not.toBe(url);
  await waitForPage(page, javaScript);
}

/** Works through the branching conversation in `fieldset`, choosing the first option each time. */
async function finishConversation(page: Page, item: Locator, javaScript: boolean) {
  for (let step = 0; step < 8; step++) {
    const proceed = item.getByRole('button', { name: 'Continue the conversation' });
    if ((await proceed.count()) === 0) break;
    await item.getByRole('radio').first().press('Space');
    const before = await item.locator('ol li').count();
    await proceed.press('Enter');
    await expect(item.locator('ol li')).toHaveCount(before + 1);
    await waitForPage(page, javaScript);
  }
  await expect(item.getByText('The conversation is over.')).toBeVisible();
}

/** Answers every item of the open case with the keyboard, without regard to being right. */
async function answerCase(page: Page, javaScript: boolean) {
  const items = page.locator('#case-form fieldset');
  const count = await items.count();
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    if ((await item.getByRole('button', { name: 'Continue the conversation' }).count()) > 0) {
      await finishConversation(page, item, javaScript);
      continue;
    }
    const radios = item.getByRole('radio');
    const checkboxes = item.getByRole('checkbox');
    const selects = item.getByRole('combobox');
    const text = item.getByRole('textbox');
    if ((await radios.count()) > 0) await radios.first().press('Space');
    if ((await checkboxes.count()) > 0) await checkboxes.first().press('Space');
    for (let s = 0; s < (await selects.count()); s++) {
      // ArrowDown past the empty choice: each select gets a different place or conclusion.
      for (let k = 0; k <= s; k++) await selects.nth(s).press('ArrowDown');
    }
    if ((await text.count()) > 0) {
      await text.first().focus();
      await page.keyboard.type('I understand, and I will check this for you now.');
    }
  }
}

for (const javaScript of [true, false]) {
  test.describe(`weekly quiz with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test('keyboard only: answer, save, reload and resume, branch, submit, see feedback and the result', async ({ page, context }) => {
      const learner = await createUser(['learner'], { startDate: todayInShanghai(-10) });
      await signInAs(context, learner.id);
      await page.goto('/learn');
      await waitForPage(page, false); // the dashboard is plain HTML (it has nothing to hydrate)
      // The open quiz is on today's list.
      const today = page.getByRole('region', { name: "Today's lessons" });
      await activate(page, today.getByRole('link', { name: /^Week 1 practice/ }), javaScript);
      await activate(page, page.getByRole('button', { name: 'Start the quiz' }), javaScript);
      await expect(page.getByRole('heading', { name: /^Case 1 of 4/ })).toBeVisible();
      // axe runs inside the page, so it needs JavaScript; the markup is the same without it.
      if (javaScript) await expectAccessible(page);

      // Choose an answer, save, reload: it is still chosen.
      const firstItem = page.locator('#case-form fieldset').first();
      const firstRadio = firstItem.getByRole('radio').nth(1);
      await firstRadio.press('Space');
      if (javaScript) {
        await expect(page.getByText(/^Saved at /)).toBeVisible();
      } else {
        await activate(page, page.getByRole('button', { name: 'Save and continue' }), javaScript);
        await expect(page.getByText('Your answers are saved.')).toBeVisible();
      }
      await page.reload();
      await waitForPage(page, javaScript);
      await expect(page.locator('#case-form fieldset').first().getByRole('radio').nth(1)).toBeChecked();

      for (let n = 1; n <= 4; n++) {
        await expect(page.getByRole('heading', { name: new RegExp(`^Case ${n} of 4`) })).toBeVisible();
        await answerCase(page, javaScript);
        await activate(page, page.getByRole('button', { name: 'Submit this case' }), javaScript);
        await expect(page.getByRole('heading', { name: new RegExp(`^Feedback on case ${n} of 4`) })).toBeVisible();
        await expect(page.getByText('Why:').first()).toBeVisible();
        if (n === 1 && javaScript) await expectAccessible(page);
        await activate(page, page.getByRole('link', { name: n < 4 ? 'Next case' : 'See your result' }), javaScript);
      }
      await expect(page.getByRole('heading', { name: /(Passed with \d+%|\d+% — the pass mark is 70%)/ })).toBeVisible();

      await page.goto('/learn/quizzes/week-1-practice');
      await expect(page.getByRole('heading', { name: /(Passed|Best score so far)/ })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Attempt 1' })).toBeVisible();
    });
  });
}
