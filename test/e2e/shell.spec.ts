/** What main's shell sends the window: notices that stay until dismissed, menu items that navigate. */
import { expect, test } from './harness.ts';
import { addProductionProfile, profileSelectShortBy } from './profileHelpers.ts';

test('a notice from main (renderer reloaded, run finished without an OS notification) shows until dismissed; menu items navigate', async ({
  app,
}) => {
  await app.open();
  app.emit('app:notice', {
    kind: 'warning',
    text: 'The window crashed and was reloaded. Runs kept sending in the background; nothing was lost.',
  });
  const notice = app.page.getByTestId('app-notice');
  await expect(notice).toHaveText(/crashed and was reloaded/);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  // The first screen says what the Sandbox is (issue 21 #9).
  await expect(app.page.getByTestId('sandbox-explained')).toContainText('The Sandbox is a pretend Clerk inside Invite Desk');

  app.emit('app:menu', { command: 'go:runs' });
  await expect(app.page.getByTestId('nav-runs')).toHaveAttribute('aria-current', 'page');
  app.emit('app:menu', { command: 'go:profiles' });
  await expect(app.page.getByTestId('nav-profiles')).toHaveAttribute('aria-current', 'page');
});

test('at 1024 px the header says which profile is active, its environment and key, its name whole', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open();
  const prod = await addProductionProfile(app, 'Acme production workspace');
  const switcher = page.getByTestId('profile-switcher');
  await expect(switcher.getByTestId('env-badge')).toHaveText('Production');
  // It read “Acme production workspace ·” (the environment after it, cut): the name alone, whole, beside the badge.
  expect(await profileSelectShortBy(page)).toBeLessThanOrEqual(0);
  await expect(page.getByTestId('profile-select').locator('option:checked')).toHaveText('Acme production workspace');
  await expect(page.getByTestId('profile-select')).toHaveAttribute('title', /^Acme production workspace · Production · sk_live_…/);
  await expect(page.getByTestId('active-fingerprint')).toBeVisible();
  await expect(page.getByTestId('active-fingerprint')).toHaveAttribute('title', new RegExp(`sk_live_…${prod.secretKey.slice(-4)}`));
  await expect(page.getByTestId('profile-switcher')).toBeInViewport({ ratio: 1 });
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(await profileSelectShortBy(page)).toBeLessThanOrEqual(0);
});
