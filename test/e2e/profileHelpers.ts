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
