/**
 * The sheet as a desktop grid (issue 21 #5): columns and the side panel sized by the user and remembered, the whole
 * reason on the Status column, a column's mapping changed after Create keeping edits, one value pasted over a
 * selection filling it, and a disabled Send… that says why.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './harness.ts';
import { cell, cellPoint, findCell, openSheetsPage, pasteSheet, pasteTsv } from './sheetHelpers.ts';

const widths = async (page: Page) => (await page.getByTestId('sheet-grid').getAttribute('data-widths'))!.split(',').map(Number);

test('columns and the side panel are sized by dragging and remembered; the panel folds away', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.setViewportSize({ width: 1024, height: 768 });
  await pasteSheet(page, 'email\tteam\nann@acme.test\tSupport\nbob@acme.test\tSales');
  expect(await widths(page)).toEqual([220, 240, 160]);
  // The Email column's right edge, in the header row: drag it 100 px to the right.
  const box = (await page.getByTestId('data-grid-canvas').boundingBox())!;
  const edge = box.x + 33 + 220 + 240 - 1;
  await page.mouse.move(edge, box.y + 36 + 18);
  await page.mouse.down();
  await page.mouse.move(edge + 50, box.y + 36 + 18);
  await page.mouse.move(edge + 100, box.y + 36 + 18);
  await page.mouse.up();
  expect(await widths(page)).toEqual([220, 340, 160]);

  const side = page.locator('aside.side');
  const sideWidth = async () => Math.round((await side.boundingBox())!.width);
  const before = await sideWidth();
  expect(before).toBeLessThan(300); // at 1024 px the panel leaves the grid most of the window
  const grip = (await page.getByTestId('side-splitter').boundingBox())!;
  await page.mouse.move(grip.x + 3, grip.y + 200);
  await page.mouse.down();
  await page.mouse.move(grip.x - 30, grip.y + 200);
  await page.mouse.move(grip.x - 60, grip.y + 200);
  await page.mouse.up();
  await expect.poll(sideWidth).toBeGreaterThan(before + 50);
  const dragged = await sideWidth();
  // The keyboard does the same: focus the handle, arrows.
  await page.getByTestId('side-splitter').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(sideWidth).toBe(dragged - 16);

  await page.reload();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  expect(await widths(page)).toEqual([220, 340, 160]);
  await expect.poll(sideWidth).toBe(dragged - 16);

  const gridWidth = async () => Math.round((await page.getByTestId('sheet-grid').boundingBox())!.width);
  const narrow = await gridWidth();
  // A toast (here: a deleted row) never covers the side panel (issue 21 #9).
  await findCell(page, 'bob@acme.test');
  await page.getByTestId('delete-rows').click();
  const toast = page.locator('.toast').filter({ hasText: 'Deleted 1 row' });
  await expect(toast).toBeVisible();
  const [t, p] = [(await toast.boundingBox())!, (await side.boundingBox())!];
  expect(t.x + t.width <= p.x || t.y + t.height <= p.y).toBe(true);
  await page.getByTestId('undo').click();

  await page.getByTestId('side-fold').click();
  await expect(page.getByTestId('tab-problems')).toHaveCount(0);
  await expect.poll(gridWidth).toBeGreaterThan(narrow + 200); // the grid takes the window
  await page.getByTestId('side-unfold').click();
  await expect(page.getByTestId('tab-problems')).toBeVisible();
});

test('the Status column shows its whole reason on hover; one value pasted over six cells fills all six', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.setViewportSize({ width: 1280, height: 800 });
  await pasteSheet(
    page,
    'email\tteam\tcity\nann@acme.test\tSupport\tOslo\nnot-an-email-at-all-with-a-long-name\tSales\tRome\ncat@acme.test\tOps\tLima',
  );
  const [x, y] = await cellPoint(page, 0, 1);
  await page.mouse.move(x - 240, y); // the Status cell of row 2, which cuts the reason
  await expect(page.getByTestId('cell-tip')).toHaveText('“not-an-email-at-all-with-a-long-name” is not a valid email address: it has no @');

  await findCell(page, 'Support');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await pasteTsv(page, 'Ops\n');
  for (const row of [0, 1, 2]) {
    await expect(cell(page, 1, row)).toHaveText('Ops');
    await expect(cell(page, 2, row)).toHaveText('Ops');
  }
  await page.getByTestId('undo').click(); // one step
  await expect(cell(page, 2, 0)).toHaveText('Oslo');
});

test('a column’s mapping changes after Create, keeping the edits; a disabled Send… says why', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.setViewportSize({ width: 1280, height: 800 });
  await pasteSheet(page, 'email\tteam\nann@acme.test\tSupport\nnope\tSales');
  // An edit made after Create…
  await findCell(page, 'Support');
  await page.keyboard.press('Enter');
  await page.locator('#portal textarea').fill('Support EU');
  await page.keyboard.press('Enter');
  await expect(cell(page, 1, 0)).toHaveText('Support EU');
  // …then “team” (Not sent) becomes a metadata key from its header's ▾ (before: re-import, losing the edit).
  const box = (await page.getByTestId('data-grid-canvas').boundingBox())!;
  await page.mouse.click(box.x + 33 + 220 + 240 + 160 - 14, box.y + 36 + 18);
  await expect(page.getByTestId('column-menu')).toBeVisible();
  await page.getByTestId('column-menu-target').selectOption('meta:public');
  await expect(page.getByTestId('column-menu-path')).toHaveValue('team');
  await page.getByTestId('column-menu-apply').click();
  await expect(cell(page, 1, 0)).toHaveText('Support EU');
  await findCell(page, 'ann@acme.test');
  await page.getByTestId('tab-metadata').click();
  await expect(page.getByTestId('row-preview')).toContainText('"team": "Support EU"');

  // Every row with a problem: Send… is disabled and says why. (Ann's cell is still the selected one: Enter edits it.)
  await page.locator('[role=gridcell][aria-selected=true]').first().focus();
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toHaveText('ann@acme.test');
  await page.keyboard.press('Enter');
  await page.locator('#portal textarea').fill('ann');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sheet-counts')).toHaveText('0 ready · 2 with problems · 0 duplicates');
  await expect(page.getByTestId('send-open')).toBeDisabled();
  await expect(page.getByTestId('send-open')).toHaveAccessibleDescription(
    'Nothing to send yet: every row has a problem to fix (see Problems)',
  );
});
