/**
 * The machine check every screen goes through (a11y.ts) finds what it is there to find: a page with faint text, a
 * nameless button and an unlabelled field fails it, rule by rule, and the same page mended passes.
 */
import { expect, test } from '@playwright/test';
import { axeProblems } from './a11y.ts';

const PAGE = (mended: boolean) => `<!doctype html><html lang="en"><head><title>check</title></head><body><main>
  <h1>Invitations</h1>
  <p style="color:${mended ? '#333' : '#bbb'};background:#fff">Three invitations will be sent.</p>
  <button>${mended ? 'Send' : ''}</button>
  <input type="text" ${mended ? 'aria-label="Email"' : ''}>
</main></body></html>`;

test('the axe check names faint text, a nameless button and an unlabelled field, and passes the page mended', async ({ page }) => {
  await page.setContent(PAGE(false));
  const found = await axeProblems(page);
  expect(found.map((p) => p.split(' ')[0]).sort()).toEqual(['button-name', 'color-contrast', 'label']);
  expect(found.find((p) => p.startsWith('color-contrast'))).toContain('p');
  // Only the rules asked for (the dark theme is checked for contrast alone).
  expect((await axeProblems(page, ['color-contrast'])).map((p) => p.split(' ')[0])).toEqual(['color-contrast']);
  await page.setContent(PAGE(true));
  expect(await axeProblems(page)).toEqual([]);
});
