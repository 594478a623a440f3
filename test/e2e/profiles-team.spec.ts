/**
 * A team's shared profile on a computer that has no key for it yet, as the team database's store reports it
 * (`keyMissing`; the state is sent as main sends it): the card says so at once and offers Enter key, which refuses a
 * key of another instance naming both and accepts this member's own.
 */
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { createProfilesRepo } from '../../src/main/services/profiles/profilesRepo.ts';
import { noKeyringReason, realKeyring, testSecretStore } from '../helpers/keyring.ts';
import { expect, test } from './harness.ts';

const keychain = testSecretStore(); // the same keychain the app's services use (the private test keyring)

test('a shared profile without this computer’s key: the card says so, Enter key checks the key against its instance', async ({ app }) => {
  test.skip(!realKeyring, noKeyringReason);
  await app.open();
  const [dev, prod] = [...app.emulator.instances.values()];
  const made = await app.services.profiles.add({ name: 'Acme dev', secretKey: dev!.secretKey, baseUrl: app.emulator.apiUrl });
  await keychain.delete(made.id); // as on a teammate's computer: the profile, not the key
  const state = await app.services.profiles.state();
  const sent = (change: object) =>
    app.emit('profiles:changed', { ...state, profiles: state.profiles.map((p) => (p.id === made.id ? { ...p, ...change } : p)) });
  const { page } = app;
  // The page reads the list when it opens: a name only that read can bring back shows when it has landed.
  sent({ name: 'Before the page read' });
  await page.getByTestId('nav-profiles').click();
  const card = page.getByTestId(`profile-${made.id}`);
  await expect(card.getByTestId('profile-card-name')).toHaveText('Acme dev');
  sent({ fingerprint: '', keyMissing: true });
  await expect(card.getByTestId('profile-fingerprint')).toHaveText('not entered on this computer');
  await expect(card.getByTestId('profile-health')).toContainText(`Shared by your team: enter your own key of ${dev!.id}`);
  await card.getByTestId('profile-replace').click();
  await expect(card.getByTestId('replace-input')).toHaveAttribute('placeholder', `Your secret key of ${dev!.id}`);
  await card.getByTestId('replace-input').fill(prod!.secretKey);
  await card.getByTestId('replace-save').click();
  await expect(card.getByTestId('profile-error')).toContainText(prod!.id);
  await expect(card.getByTestId('profile-error')).toContainText(dev!.id);
  expect(await keychain.get(made.id)).toBeNull();
  await card.getByTestId('replace-input').fill(dev!.secretKey);
  await card.getByTestId('replace-save').click();
  await expect(card.getByTestId('profile-fingerprint')).toHaveText(`sk_test_…${dev!.secretKey.slice(-4)}`);
  await expect(card.getByTestId('profile-health')).toBeHidden();
  expect(await keychain.get(made.id)).toBe(dev!.secretKey);
});

test('opening the Profiles page shows the list as it is now (a teammate added one meanwhile, no event reached this window)', async ({
  app,
}) => {
  await app.open();
  await app.page.getByTestId('nav-profiles').click();
  await expect(app.page.getByTestId('profile-list').locator('li')).toHaveCount(1); // the Sandbox
  // Written to the storage behind the app's back, as a teammate's computer writes the team database.
  const db = openDatabase(app.services.dbPath);
  const instance = [...app.emulator.instances.values()][0]!;
  createProfilesRepo(db).insert({
    id: 'teammates',
    name: 'Added by a teammate',
    environment: 'development',
    instanceId: instance.id,
    fingerprint: 'sk_test_…zzzz',
    baseUrl: app.emulator.apiUrl,
    createdAt: 1,
    updatedAt: 1,
  });
  db.close();
  await app.page.getByTestId('nav-sheets').click();
  await app.page.getByTestId('nav-profiles').click();
  await expect(app.page.getByTestId('profile-teammates')).toContainText('Added by a teammate');
});

test('deleting a profile the team shares asks for the whole team, and offers no deleting of the team’s runs', async ({ app }) => {
  await app.open();
  const dev = [...app.emulator.instances.values()][0]!;
  const made = await app.services.profiles.add({ name: 'Acme dev', secretKey: dev.secretKey, baseUrl: app.emulator.apiUrl });
  const { page } = app;
  await page.getByTestId('nav-profiles').click();
  const card = page.getByTestId(`profile-${made.id}`);
  await expect(card.getByTestId('profile-card-name')).toHaveText('Acme dev');
  // As main reports it on a team workspace.
  app.emit('profiles:changed', { ...(await app.services.profiles.state()), team: true });
  await card.getByTestId('profile-delete').click();
  const ask = card.getByRole('alertdialog');
  await expect(ask).toContainText('Delete “Acme dev” for the whole team? It goes from every member’s Profiles page');
  await expect(ask).toContainText('Its runs stay in the team’s history.');
  await expect(card.getByTestId('delete-with-history')).toHaveCount(0);
  await expect(card.getByTestId('delete-cancel')).toBeFocused();
  await card.getByTestId('delete-confirm').click();
  await expect(page.getByText("Deleted “Acme dev” for the whole team; its runs stay in the team's history.")).toBeVisible();
  await expect(card).toHaveCount(0);
});
