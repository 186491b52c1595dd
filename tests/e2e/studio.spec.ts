// A trainer writes a branching scenario from nothing in the studio's editor (JavaScript on): the
// editor refuses a conversation that loops, the draft saves itself, the preview shows it as a
// learner sees it (and with the answers), publishing makes version 1, and the studio list shows it
// published.
import type { Locator, Page } from '@playwright/test';
import { createUser, expect, expectAccessible, signInAs, test } from './support/fixtures';

async function hydrated(page: Page) {
  await page.waitForLoadState('load');
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/** Fills a choice of a conversation step. */
async function fillChoice(step: Locator, id: string, text: string, feedback: string) {
  const choice = step.getByRole('group', { name: `Choice ${id}` });
  await choice.getByLabel('The agent says or does').fill(text);
  await choice.getByLabel('Feedback').fill(feedback);
  return choice;
}

test('a trainer writes a branching scenario, previews it, publishes it and finds it published in the list', async ({ page, context }) => {
  const trainer = await createUser(['trainer']);
  await signInAs(context, trainer.id);
  const title = `Parcel code scam ${Date.now()}`;

  await page.goto('/studio/scenarios');
  await hydrated(page);
  await page.getByText('New scenario').click();
  const create = page.getByRole('form', { name: 'New scenario' });
  await create.getByLabel('Title').fill(title);
  await create.getByLabel('Topic').selectOption('privacy-safety');
  await create.getByRole('button', { name: 'Create and edit' }).click();
  await expect(page).toHaveURL(/\/studio\/scenarios\/parcel-code-scam-\d+\/edit$/);
  await hydrated(page);

  const editor = page.getByRole('form', { name: 'Scenario editor' });
  await expect(editor).toBeVisible();
  const basics = editor.getByRole('region', { name: 'Basics' });
  await basics.getByLabel('Summary').fill('A buyer is asked for an SMS code by someone claiming to be the courier.');
  await basics.getByLabel('Handbook sections').fill('7.1');
  const handoff = editor.getByRole('region', { name: 'Hand-off and customer' });
  await handoff.getByLabel('Intent the bot detected').fill('parcel_release_code');
  await handoff.getByLabel('Hand-off note from the bot').fill('Customer says the courier wants a code from a text message.');
  await handoff.getByLabel('Customer name').fill('Olena Kovalenko');
  await handoff.getByLabel('Customer mood').fill('Anxious');
  const order = editor.getByRole('region', { name: 'Order' });
  await order.getByLabel('Order id').fill('ML-7302-252409');
  await order.getByLabel('Item', { exact: true }).fill('Smart watch');
  await order.getByLabel('Line 1 amount (¥)').fill('1899');
  const timeline = editor.getByRole('region', { name: 'Timeline' });
  await timeline.getByLabel('When').fill('2026-11-10 09:58');
  await timeline.getByLabel('What happened').fill('Sign-in from a new device');
  await editor.getByRole('region', { name: 'The chat so far' }).getByRole('textbox', { name: 'Message', exact: true }).fill('The courier needs the code from my text. Here it is.');

  // A conversation: two steps of two choices each.
  await editor.getByLabel('New question type').selectOption('branching');
  await editor.getByRole('button', { name: 'Add question' }).click();
  const item = editor.getByRole('group', { name: /^Item 1 \(q1\): branching$/ });
  await item.getByLabel('Question').fill('Work through the conversation.');
  await item.getByLabel('Explanation (shown after answering)').fill('Never take a one-time code; Marketlane never needs one (§7.1).');
  await item.getByLabel('Handbook sections').fill('7.1');
  const first = item.getByRole('group', { name: 'Step s1' });
  await first.getByLabel('The customer says').fill('Olena: "Here is the code: 730 118."');
  await fillChoice(first, 'a', 'Stop her and tell her never to share a code.', 'Right: stop, explain, do not copy it.');
  await fillChoice(first, 'b', 'Thank her for the code.', 'No: never accept a code.');
  const second = item.getByRole('group', { name: 'Step s2' });
  await second.getByLabel('The customer says').fill('Olena: "Oh no. What now?"');
  const loopingChoice = await fillChoice(second, 'a', 'Ask her to change her password now.', 'Right: she can act at once.');
  await fillChoice(second, 'b', 'Tell her not to worry.', 'No: her account is at risk.');

  // A choice that leads back to the start is refused on that choice.
  await loopingChoice.getByLabel('Then').selectOption('s1');
  await expect(loopingChoice.getByText('the conversation would loop')).toBeVisible();
  await loopingChoice.getByLabel('Then').selectOption('');
  await expect(loopingChoice.getByText('the conversation would loop')).toHaveCount(0);

  // The draft saves itself.
  await expect(page.getByText(/^Draft saved at /)).toBeVisible();
  await expectAccessible(page);

  // The preview, as a learner sees it, then with the answers.
  await page.getByRole('link', { name: 'Preview as a learner' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByText('Olena: "Here is the code: 730 118."')).toBeVisible();
  await expect(page.getByText('Right: stop, explain, do not copy it.')).toHaveCount(0);
  await page.getByRole('link', { name: 'Show answers and feedback' }).click();
  await expect(page.getByText('Right: stop, explain, do not copy it.').first()).toBeVisible();

  // Publish version 1 from the editor.
  await page.goBack();
  await page.goBack();
  await hydrated(page);
  await expect(page.getByRole('form', { name: 'Scenario editor' })).toBeVisible();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('heading', { name: 'Versions' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'First version' })).toBeVisible();

  await page.goto(`/studio/scenarios?q=${encodeURIComponent(title)}`);
  const row = page.getByRole('row', { name: new RegExp(title) });
  await expect(row).toBeVisible();
  await expect(row.getByText('published', { exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'branching' })).toBeVisible();
});
