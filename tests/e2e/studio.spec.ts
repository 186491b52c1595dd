// A trainer writes a branching scenario from nothing in the studio's editor (JavaScript on): the
// editor refuses a conversation that loops, the draft saves itself, the preview shows it as a
// learner sees it (and with the answers), publishing makes version 1, the studio list shows it
// published, and a learner whose week 1 is open finds it under "More cases to practise" on the week's
// quiz page and practises it. A trainer imports a GIFT file: the preview reports what becomes a draft
// (by type) and what is skipped (with its line); confirming makes the drafts.
import type { Locator, Page } from '@playwright/test';
import { MAIN_PORT } from './support/config';
import { createUser, expect, expectAccessible, signInAs, test, todayInShanghai } from './support/fixtures';

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

test('a trainer writes a branching scenario, previews it, publishes it, finds it published, and a learner practises it', async ({ page, context, browser }) => {
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

  // A learner on day 11 (week 1 is open) finds it on the week 1 quiz page and practises it.
  const learner = await createUser(['learner'], { startDate: todayInShanghai(-10) });
  const learnerContext = await browser.newContext({ baseURL: `http://127.0.0.1:${MAIN_PORT}` });
  await signInAs(learnerContext, learner.id);
  const learnerPage = await learnerContext.newPage();
  await learnerPage.goto('/learn/quizzes/week-1-practice');
  const more = learnerPage.getByRole('region', { name: 'More cases to practise' });
  await expect(more.getByText('they do not count towards completing the week')).toBeVisible();
  const listed = more.getByRole('listitem').filter({ has: learnerPage.getByRole('heading', { name: title }) });
  await expect(listed.getByText('Privacy and safety · difficulty')).toBeVisible();
  await hydrated(learnerPage);
  await expectAccessible(learnerPage);
  await listed.getByRole('button', { name: /^Practise this case/ }).click();
  await expect(learnerPage).toHaveURL(/\/learn\/attempts\/\d+$/);
  await expect(learnerPage.getByRole('heading', { name: `Case 1 of 1: ${title}` })).toBeVisible();
  await expect(learnerPage.getByText('Olena: "Here is the code: 730 118."')).toBeVisible();
  await expect(learnerPage.getByRole('navigation', { name: 'Breadcrumb' }).getByText('Case practice')).toBeVisible();
  await learnerContext.close();
});

test('a trainer imports a GIFT file: the preview reports each type and the skipped question with its line, confirming makes drafts', async ({ page, context }) => {
  const trainer = await createUser(['trainer']);
  await signInAs(context, trainer.id);
  const stamp = Date.now();
  const gift = [
    '// Exported from the old LMS',
    `::Code on the phone ${stamp}:: A buyer starts reading you an SMS code. What do you do? {`,
    '  =Stop them: Marketlane never needs a code',
    '  ~Write the code into the case note',
    '  ~Ask for the second code too',
    '}',
    '',
    `::Refund days ${stamp}:: Within how many days is a released refund back on the card? {#7:2}`,
    '',
    `::Paying outside ${stamp}:: A seller may ask a buyer to pay outside Marketlane for a discount. {FALSE}`,
    '',
    `::Sorry note ${stamp}:: Write the first line of your reply to a buyer whose parcel is lost. {}`,
  ].join('\n');

  await page.goto('/studio/import');
  await hydrated(page);
  await page.getByLabel('Question bank file').setInputFiles({ name: 'old-lms.gift', mimeType: 'text/plain', buffer: Buffer.from(gift, 'utf8') });
  await page.getByRole('button', { name: 'Preview the import' }).click();

  const preview = page.getByRole('region', { name: 'Preview of old-lms.gift' });
  await expect(preview.getByText(/can be imported as draft scenarios \(2 single choice, 1 written reply\); 1 skipped\./)).toBeVisible();
  await expect(preview.getByRole('row', { name: new RegExp(`line 2 Code on the phone ${stamp} single choice`) })).toBeVisible();
  await expect(preview.getByRole('row', { name: new RegExp(`line 12 Sorry note ${stamp} written reply`) })).toBeVisible();
  await expect(preview.getByRole('listitem').filter({ hasText: /^Line 8: a numerical question/ })).toBeVisible();
  await expectAccessible(page);

  await preview.getByRole('button', { name: 'Import 3 questions as drafts' }).click();
  await expect(page.getByText('Imported 3 questions from old-lms.gift as draft scenarios (2 single choice, 1 written reply); 1 skipped.')).toBeVisible();
  await page.getByRole('link', { name: 'See the drafts' }).click();
  await expect(page).toHaveURL(/\/studio\/scenarios\?status=draft$/);
  for (const name of [`Code on the phone ${stamp}`, `Paying outside ${stamp}`, `Sorry note ${stamp}`]) {
    const draft = page.getByRole('row', { name: new RegExp(name) });
    await expect(draft).toBeVisible();
    await expect(draft.getByText('draft', { exact: true })).toBeVisible();
  }
  await expect(page.getByRole('row', { name: new RegExp(`Refund days ${stamp}`) })).toHaveCount(0);
});
