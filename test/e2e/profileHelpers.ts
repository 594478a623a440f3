import type { Page } from '@playwright/test';
import { expect, type Harness } from './harness.ts';

/** Adds the emulator's production instance as a profile named `name`, the way a user does; it becomes the active one. */
export async function addProductionProfile(app: Harness, name: string) {
  const prod = [...app.emulator.instances.values()][1]!;
  const { page } = app;
  await page.getByTestId('nav-profiles').click();
  await page.getByTestId('profile-name').fill(name);
  await page.getByTestId('profile-key').fill(prod.secretKey);
  await page.getByRole('button', { name: 'Advanced: API base URL' }).click();
  await page.getByTestId('profile-base-url').fill(app.emulator.apiUrl);
  await page.getByTestId('profile-activate').check(); // adding alone does not switch to it
  await page.getByTestId('add-profile-submit').click();
  await expect(page.getByTestId('profile-switcher').getByTestId('env-badge')).toHaveText('Production');
  return prod;
}

/**
 * How many px the header's profile list is narrower than its chosen name needs (≤ 0: read whole). A closed
 * <select> cuts its text without telling the DOM (its scrollWidth is its clientWidth), so this compares its width
 * with the width it takes when nothing squeezes it (that of its longest name: give the active profile the longest).
 */
export const profileSelectShortBy = (page: Page) =>
  page.getByTestId('profile-select').evaluate((el: HTMLSelectElement) => {
    const has = el.getBoundingClientRect().width;
    el.style.minWidth = 'max-content';
    const needs = el.getBoundingClientRect().width;
    el.style.minWidth = '';
    return needs - has;
  });
