import type { Locator, Page } from '@playwright/test';
import { expect, test } from './harness.ts';
import { cell, findCell, openSheetsPage, pasteSheet } from './sheetHelpers.ts';

/** Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user does; fails if it is never reached. */
async function tabTo(page: Page, target: Locator, back = false, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

const focusIsIn = (area: Locator) => area.evaluate((el) => el.contains(document.activeElement));

test('the main flow with the keyboard only: import → map → fix a cell → send → watch → open history', async ({ app }) => {
  await app.open();
  const { page } = app;

  // Import: Tab to "Choose a file…", Enter; the OS file dialog is the only thing not typed.
  await tabTo(page, page.getByTestId('import-choose'));
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (
    await chooser
  ).setFiles({
    name: 'team.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('email,team\nann@acme.test,red\nbob@acme,blue\ncat@acme.test,green\n'),
  });

  // Map: focus is on the next step, creating the sheet.
  await expect(page.getByTestId('import-create')).toBeFocused();
  await page.keyboard.press('Enter');

  // Fix a cell: focus lands on the first problem, Bob's address; Enter edits it, Enter commits.
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await expect(page.getByTestId('sheet-counts')).toContainText('2 ready · 1 with problems');
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toBeFocused();
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toHaveText('bob@acme');
  await page.keyboard.press('Enter');
  await expect(page.locator('#portal textarea')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('bob@acme.test');
  await expect(page.locator('#portal textarea')).toHaveValue('bob@acme.test');
  await expect(page.locator('#portal textarea')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(cell(page, 0, 1)).toHaveText('bob@acme.test');
  await expect(page.getByTestId('sheet-counts')).toContainText('3 ready · 0 with problems');

  // Ctrl+F opens our Find & Replace from the grid (not the grid's own find box); Escape gives the grid back.
  await page.keyboard.press('Control+F');
  await expect(page.getByTestId('find-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('find-bar')).toBeHidden();
  expect(await focusIsIn(page.getByTestId('sheet-grid'))).toBe(true);

  // Send: Shift+Tab from the grid reaches Send…; the review takes focus, keeps Tab inside, Escape gives it back.
  await tabTo(page, page.getByTestId('send-open'), true);
  await page.keyboard.press('Enter');
  const review = page.getByTestId('review-dialog');
  await expect(review.getByTestId('review-start')).toBeFocused();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await focusIsIn(review)).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(review).toBeHidden();
  await expect(page.getByTestId('send-open')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(review.getByTestId('review-start')).toBeFocused();
  await expect(review.getByTestId('review-start')).toHaveText(/^Send 3 invitations$/);
  await page.keyboard.press('Enter');

  // Watch: the run page opens with focus on the run; it finishes.
  await expect(page.getByTestId('run-title')).toBeFocused();
  await expect(page.getByTestId('run-detail').getByTestId('run-counts')).toHaveText('3 sent · 0 failed · 0 skipped · 0 remaining');

  // Open history: Ctrl+F searches all runs; Down goes to the hits, Enter opens the run.
  await page.keyboard.press('Control+F');
  await expect(page.getByTestId('history-query')).toBeFocused();
  await page.keyboard.type('bob@');
  await expect(page.getByTestId('history-hit')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('history-hit')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-detail').getByTestId('run-title')).toHaveText('team');
  await expect(page.getByTestId('run-item').first()).toHaveAttribute('aria-current', 'true');
});

test('lists move with the arrow keys and open with Enter: sheets, runs, problems', async ({ app }) => {
  await app.open();
  const { page } = app;
  for (const name of ['one', 'two']) {
    await page.getByTestId('import-paste-toggle').click();
    await page.getByTestId('import-paste-text').fill(`email\n${name}@acme.test\nnot-an-email\nalso-bad`);
    await page.getByTestId('import-paste-go').click();
    await page.getByTestId('import-create').click();
    await expect(page.getByTestId('sheet-editor')).toBeVisible();
    await page.getByTestId('sheet-name').fill(name);
    await page.getByTestId('sheet-name').press('Enter');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

    // Problems: focus starts on the first; Down moves to the next, Enter selects its cell in the grid.
    if (name === 'two') {
      await tabTo(page, page.getByTestId('problem').first());
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('problem').nth(1)).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toHaveText('also-bad');
      await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toBeFocused();
    }
    await page.getByTestId('sheet-close').click();
  }

  // Sheets: one Tab stop for the list; Down, Up, End, Home; Enter opens.
  const items = page.getByTestId('sheet-item');
  await expect(items).toHaveCount(2);
  await tabTo(page, items.first());
  await expect(items.nth(1)).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('End');
  const last = (await items.nth(1).getByTestId('sheet-open').textContent())!;
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sheet-name')).toHaveValue(last);
});

test('JSON editors let Tab and Shift+Tab move on and say so; the side panel tabs move with the arrow keys (issue 21 #7, #9)', async ({
  app,
}) => {
  await app.open();
  const { page } = app;
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill('email\nann@acme.test');
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();

  // Tabs: arrows move between Problems, Metadata and Settings (one Tab stop), and select.
  await page.getByTestId('tab-problems').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-metadata')).toBeFocused();
  await expect(page.getByTestId('tab-metadata')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-settings')).toBeFocused();
  await expect(page.getByTestId('tab-problems')).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft'); // wraps round to the last
  await expect(page.getByTestId('tab-settings')).toBeFocused();

  // The template's JSON editor: Tab leaves it (before: a tab character went in, and only Escape then Tab left).
  const editor = page.getByTestId('template-public');
  await editor.locator('.cm-content').click();
  await expect(editor.locator('.cm-content')).toBeFocused();
  await expect(editor.getByTestId('json-keys-hint')).toHaveText('Tab moves on · Ctrl+] indents');
  await page.keyboard.press('Tab');
  expect(await editor.evaluate((el) => el.contains(document.activeElement))).toBe(false);
  await expect(editor.locator('.cm-content')).toHaveText('');
  await editor.locator('.cm-content').click();
  await page.keyboard.press('Shift+Tab');
  expect(await editor.evaluate((el) => el.contains(document.activeElement))).toBe(false);
});

test("Alt+↓ on a cell opens its column's “Send as” menu, the header's ▾ for the keyboard; Escape gives the grid back", async ({ app }) => {
  const page = await openSheetsPage(app);
  await pasteSheet(page, 'email\tteam\nann@acme.test\tSupport');
  await findCell(page, 'Support');
  await page.keyboard.press('Alt+ArrowDown');
  const menu = page.getByTestId('column-menu');
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAccessibleName('Send “team” as');
  await expect(page.getByTestId('column-menu-target')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toBeFocused();
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toHaveText('Support');
});
