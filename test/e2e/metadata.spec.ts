/**
 * Issue 24 end to end: sync → check → repair → detail. Three invitations sent in one bulk call to production; under
 * #7956 none of their metadata reached the users; Ben set his own, Cat changed her plan. The check says so per row and
 * per run; the repair's review shows each change before → after and leaves Cat's plan alone unless ticked; after the
 * repair (typed name on production) a new check says what landed.
 */
import { findUserByEmail } from '../../src/main/emulator/store.ts';
import { expect, test } from './harness.ts';
import { addProductionProfile } from './profileHelpers.ts';

test('sync → check metadata → repair the missing keys → the run says what landed', async ({ app }) => {
  await app.open();
  const prod = await addProductionProfile(app, 'Acme production');
  const { page } = app;
  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('import-paste-toggle').click();
  await page
    .getByTestId('import-paste-text')
    .fill('email\tpublic.plan\tpublic.team\nann@acme.test\tpro\tred\nben@acme.test\tpro\tred\ncat@acme.test\tpro\tred\n');
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await page.getByTestId('send-open').click();
  await page.getByTestId('review-confirm').fill('Acme production');
  await page.getByTestId('review-start').click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-counts')).toHaveText('3 sent · 0 failed · 0 skipped · 0 remaining', { timeout: 15_000 });

  // In Clerk: all three accept; #7956 drops the bulk call's metadata; Ben sets his own, Cat picks the free plan.
  app.emulator.behaviour.bulkMetadataLost = true;
  for (const e of ['ann@acme.test', 'ben@acme.test', 'cat@acme.test']) expect(app.emulator.accept(e, prod)).toBe(true);
  findUserByEmail(prod, 'ben@acme.test')!.publicMetadata = { plan: 'pro', team: 'red' };
  findUserByEmail(prod, 'cat@acme.test')!.publicMetadata = { plan: 'free' };

  await expect(detail.getByTestId('meta-summary')).toContainText('not checked yet');
  // The sync finds them accepted, and the check follows by itself.
  await detail.getByTestId('run-sync').click();
  await expect(detail.getByTestId('run-row').filter({ hasText: 'ann@acme.test' })).toContainText('Sent · accepted');
  await expect(detail.getByTestId('meta-summary')).toContainText('3 accepted: 1 landed, 2 missing');
  const row = (email: string) => detail.getByTestId('run-row').filter({ hasText: email }).getByTestId('row-metadata');
  await expect(row('ann@acme.test')).toHaveText('· missing: plan, team');
  await expect(row('ben@acme.test')).toHaveText('· metadata landed');
  await expect(row('cat@acme.test')).toHaveText('· missing: team; differs: plan (sent pro, now free)');

  // The review: each change before → after; Cat's plan is left alone unless ticked.
  await detail.getByTestId('meta-repair').click();
  const dialog = page.getByTestId('repair-dialog');
  const change = (email: string) => dialog.getByTestId('repair-row').filter({ hasText: email });
  await expect(change('ann@acme.test')).toContainText('plan: (absent) → pro');
  await expect(change('ann@acme.test')).toContainText('team: (absent) → red');
  await expect(change('cat@acme.test')).toContainText('team: (absent) → red');
  await expect(change('cat@acme.test')).toContainText('Left alone: plan (free)');
  await dialog.getByTestId('repair-tick-plan').check();
  await expect(change('cat@acme.test')).toContainText('plan: free → pro (overwrites)');
  await dialog.getByTestId('repair-tick-plan').uncheck();
  await expect(change('cat@acme.test')).toContainText('Left alone: plan (free)');
  await expect(dialog.getByTestId('repair-go')).toBeDisabled(); // production: the profile's name first
  await dialog.getByTestId('repair-confirm-name').fill('Acme production');
  await dialog.getByTestId('repair-go').click();

  // The repair is a run of its own: two users written, no invitation.
  await expect(detail.getByTestId('run-title')).toHaveText(/repair metadata/);
  await expect(detail.getByTestId('run-counts')).toHaveText('2 repaired · 0 failed · 0 skipped · 0 remaining', { timeout: 15_000 });
  expect(findUserByEmail(prod, 'ann@acme.test')!.publicMetadata).toEqual({ plan: 'pro', team: 'red' });
  expect(findUserByEmail(prod, 'cat@acme.test')!.publicMetadata).toEqual({ plan: 'free', team: 'red' });
  expect(prod.invitations).toHaveLength(3);

  // Back on the run: checked again, everything landed but Cat's own plan.
  await page.getByTestId('run-item').filter({ hasNotText: 'repair' }).click();
  await detail.getByTestId('meta-check').click();
  await expect(detail.getByTestId('meta-summary')).toContainText('3 accepted: 2 landed, 1 differ');
  await expect(row('cat@acme.test')).toHaveText('· differs: plan (sent pro, now free)');
  await detail.getByTestId('run-row').filter({ hasText: 'cat@acme.test' }).getByTestId('row-open').click();
  await expect(page.getByTestId('run-row-metadata')).toHaveText('differs: plan (sent pro, now free)');
  await expect(detail.getByTestId('meta-repair')).toBeVisible();
});
