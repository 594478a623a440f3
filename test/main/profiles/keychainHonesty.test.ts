/** The keychain's state is told as it is: locked is not “missing”, a key that cannot go keeps its profile. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }] });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function withProfile() {
  const secrets = createMemorySecretStore();
  const s = makeServices(secrets);
  open.push(s);
  const r = await dispatch(s.handlers, 'profiles:add', {
    name: 'Acme',
    secretKey: emu.current.instance.secretKey,
    baseUrl: emu.current.apiUrl,
  });
  const id = (r as { ok: true; value: { id: string } }).value.id;
  return { s, secrets, id };
}

describe('keychain honesty', () => {
  it('a locked keychain is reported as locked, not as a missing key (check and send)', async () => {
    const { s, secrets, id } = await withProfile();
    secrets.locked = true;
    const health = await dispatch(s.handlers, 'profiles:check', { id });
    expect(health).toMatchObject({ ok: true, value: { keychain: 'unavailable', message: expect.stringMatching(/locked/) } });
    expect(JSON.stringify(health)).not.toMatch(/Replace key/);
    await expect(s.profiles.secretFor(id)).rejects.toThrow(/keychain is not available \(the collection is locked\)/);
  });

  it('a key that cannot be deleted fails the profile delete and keeps the profile', async () => {
    const { s, secrets, id } = await withProfile();
    secrets.failDelete = true;
    expect(await dispatch(s.handlers, 'profiles:delete', { id, keepHistory: true })).toMatchObject({
      ok: false,
      error: { code: 'key_not_deleted', message: expect.stringContaining('could not be deleted from the keychain') },
    });
    expect((await s.profiles.state()).profiles.some((p) => p.id === id)).toBe(true);
    secrets.failDelete = false;
    secrets.locked = true; // deletes find nothing while locked: not taken for “already gone”
    expect(await dispatch(s.handlers, 'profiles:delete', { id, keepHistory: true })).toMatchObject({
      ok: false,
      error: { code: 'key_not_deleted' },
    });
    secrets.locked = false;
    expect(await dispatch(s.handlers, 'profiles:delete', { id, keepHistory: true })).toMatchObject({ ok: true });
    expect(secrets.entries.has(id)).toBe(false);
  });

  it('a failed add leaves no key behind, and a failed rollback is reported', async () => {
    const secrets = createMemorySecretStore();
    const s = makeServices(secrets);
    open.push(s);
    // The database refuses the profile row (a full disk, a broken file): make its insert fail.
    const other = openDatabase(s.dbPath);
    other.exec("CREATE TRIGGER no_profiles BEFORE INSERT ON profiles BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END");
    other.close();
    const add = () =>
      dispatch(s.handlers, 'profiles:add', { name: 'Acme', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
    expect(await add()).toMatchObject({ ok: false });
    expect([...secrets.entries.keys()]).toEqual([]);
    secrets.failDelete = true;
    expect(await add()).toMatchObject({
      ok: false,
      error: {
        code: 'key_orphaned',
        message: expect.stringMatching(/could not be removed from the keychain.*Remove the entry “invite-desk”/),
      },
    });
  });
});
