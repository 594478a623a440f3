/** What main's shell sends the window: notices that stay until dismissed, menu items that navigate. */
import { expect, test } from './harness.ts';

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
