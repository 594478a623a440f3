import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../../../src/main/adapters/keytarSecretStore.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import {
  createMemorySecretStore,
  KeychainUnavailableError,
  SECRET_SERVICE,
  type SecretStore,
} from '../../../src/main/services/secrets/secretStore.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { noKeyringReason, realKeyring } from '../../helpers/keyring.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }, { environment: 'production' }] });
const nth = (i: number) => [...emu.current.instances.values()][i]!;
const dev = () => nth(0);
const prod = () => nth(1);
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const services = (secrets: SecretStore = createKeytarSecretStore()) => {
  const s = makeServices(secrets);
  open.push(s);
  return s;
};

describe.skipIf(!realKeyring)(`profiles (real keyring${realKeyring ? '' : `; skipped: ${noKeyringReason}`})`, () => {
  it('adds a profile: validates with Clerk, keeps the key only in the keychain, records a fingerprint', async () => {
    const s = services();
    const key = prod().secretKey;
    const r = await dispatch(s.handlers, 'profiles:add', { name: ' Acme prod ', secretKey: key, baseUrl: emu.current.apiUrl });
    expect(r.ok).toBe(true);
    const p = r.ok ? (r.value as { id: string; environment: string; instanceId: string; fingerprint: string; name: string }) : null;
    expect(p).toMatchObject({
      name: 'Acme prod',
      environment: 'production',
      instanceId: prod().id,
      fingerprint: `sk_live_…${key.slice(-4)}`,
    });
    expect(await keytar.getPassword(SECRET_SERVICE, p!.id)).toBe(key);
    // Nothing on disk carries the key: not the database, its WAL, nor anything else in the folder.
    const dir = dirname(s.dbPath);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(key)).toBe(false);
    // Nor anything main sent back or emitted.
    expect(JSON.stringify(r)).not.toContain(key);
    expect(JSON.stringify(s.events)).not.toContain(key);
    // Adding does not retarget: the active profile stays (the Sandbox) until the user picks the new one (issue 13).
    expect(s.events.at(-1)?.payload).toMatchObject({ activeId: 'sandbox' });
    await dispatch(s.handlers, 'profiles:delete', { id: p!.id });
    expect(await keytar.getPassword(SECRET_SERVICE, p!.id)).toBeNull();
  });

  it("rejects a bad key with Clerk's message and stores nothing", async () => {
    const secrets = createMemorySecretStore();
    const s = services(secrets);
    const r = await dispatch(s.handlers, 'profiles:add', {
      name: 'Wrong',
      secretKey: 'sk_test_doesnotexist123',
      baseUrl: emu.current.apiUrl,
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'clerk_key_invalid',
        field: 'secretKey',
        message: expect.stringContaining('The provided Clerk Secret Key is invalid'),
      },
    });
    expect(secrets.entries.size).toBe(0);
    const list = await dispatch(s.handlers, 'profiles:list', undefined);
    expect(list.ok && (list.value as { profiles: { isSandbox: boolean }[] }).profiles.filter((p) => !p.isSandbox)).toEqual([]);
  });

  it('cross-checks the key prefix with the environment Clerk reports', async () => {
    const s = services(createMemorySecretStore());
    const liveLooking = `sk_live_${dev().secretKey.slice(8)}`;
    emu.current.addInstance({ environment: 'development', secretKey: liveLooking });
    const r = await dispatch(s.handlers, 'profiles:add', { name: 'Odd', secretKey: liveLooking, baseUrl: emu.current.apiUrl });
    expect(r).toMatchObject({ ok: false, error: { code: 'environment_mismatch' } });
  });

  it('renames, refuses a second profile for the same instance, and replaces a key only with one for the same instance', async () => {
    const secrets = createMemorySecretStore();
    const s = services(secrets);
    const added = await s.profiles.add({ name: 'Dev', secretKey: dev().secretKey, baseUrl: emu.current.apiUrl });
    const dup = await dispatch(s.handlers, 'profiles:add', { name: 'Dev again', secretKey: dev().secretKey, baseUrl: emu.current.apiUrl });
    expect(dup).toMatchObject({ ok: false, error: { code: 'profile_exists' } });
    expect((await s.profiles.rename(added.id, 'Dev renamed')).name).toBe('Dev renamed');
    const other = await dispatch(s.handlers, 'profiles:replaceKey', { id: added.id, secretKey: prod().secretKey });
    expect(other).toMatchObject({ ok: false, error: { code: 'instance_mismatch' } });
    const second = emu.current.addInstance({ environment: 'development' });
    const wrongInstance = await dispatch(s.handlers, 'profiles:replaceKey', { id: added.id, secretKey: second.secretKey });
    expect(wrongInstance).toMatchObject({ ok: false, error: { code: 'instance_mismatch' } });
    // A rotated key for the same instance is accepted.
    const rotated = `sk_test_rotated${Date.now()}`;
    emu.current.instances.set(rotated, dev());
    const replaced = await s.profiles.replaceKey(added.id, rotated);
    expect(replaced.fingerprint).toBe(`sk_test_…${rotated.slice(-4)}`);
    expect(secrets.entries.get(added.id)).toBe(rotated);
  });

  it('says clearly when the keychain is unavailable, and never falls back to storing the key elsewhere', async () => {
    const locked: SecretStore = {
      get: () => Promise.reject(new KeychainUnavailableError('Cannot create an item in a locked collection')),
      set: () => Promise.reject(new KeychainUnavailableError('Cannot create an item in a locked collection')),
      delete: () => Promise.reject(new KeychainUnavailableError('locked')),
    };
    const s = services(locked);
    const r = await dispatch(s.handlers, 'profiles:add', { name: 'Locked', secretKey: dev().secretKey, baseUrl: emu.current.apiUrl });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringContaining('unlock your keychain') },
    });
    const state = await s.profiles.state();
    expect(state.profiles.filter((p) => !p.isSandbox)).toEqual([]);
  });

  it('makes an added profile active only when asked, never silently (issue 13)', async () => {
    const s = services(createMemorySecretStore());
    // Before: adding a production profile made it the active one, under whatever sheet was open.
    const live = await s.profiles.add({ name: 'Acme prod', secretKey: prod().secretKey, baseUrl: emu.current.apiUrl });
    expect((await s.profiles.state()).activeId).toBe('sandbox');
    const devProfile = await s.profiles.add({ name: 'Dev', secretKey: dev().secretKey, baseUrl: emu.current.apiUrl, activate: true });
    expect((await s.profiles.state()).activeId).toBe(devProfile.id);
    const third = emu.current.addInstance({ environment: 'development' });
    await s.profiles.add({ name: 'Third', secretKey: third.secretKey, baseUrl: emu.current.apiUrl });
    expect((await s.profiles.state()).activeId).toBe(devProfile.id);
    expect(live.environment).toBe('production');
    expect(await dispatch(s.handlers, 'profiles:add', { name: 'x', secretKey: dev().secretKey, activate: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });

  it('checks a profile: key present and accepted, or missing from the keychain', async () => {
    const secrets = createMemorySecretStore();
    const s = services(secrets);
    const p = await s.profiles.add({ name: 'Dev', secretKey: dev().secretKey, baseUrl: emu.current.apiUrl });
    expect(await s.profiles.check(p.id)).toMatchObject({ keychain: 'ok', api: 'ok' });
    secrets.entries.clear();
    expect(await s.profiles.check(p.id)).toMatchObject({ keychain: 'missing', api: 'not_checked' });
  });

  it('offers a built-in Sandbox backed by an emulator inside main, with no keychain entry', async () => {
    const secrets = createMemorySecretStore();
    const s = services(secrets);
    const state = await s.profiles.state();
    const sandbox = state.profiles.find((p) => p.isSandbox)!;
    expect(sandbox).toMatchObject({ id: 'sandbox', name: 'Sandbox', environment: 'development' });
    expect(state.activeId).toBe('sandbox');
    expect(await s.profiles.check('sandbox')).toMatchObject({ api: 'ok', keychain: 'not_needed' });
    const { baseUrl, secretKey } = await s.profiles.secretFor('sandbox');
    const res = await fetch(`${baseUrl}/organizations`, { headers: { Authorization: `Bearer ${secretKey}` } });
    expect(((await res.json()) as { total_count: number }).total_count).toBeGreaterThan(0);
    expect(secrets.entries.size).toBe(0);
    expect(await dispatch(s.handlers, 'profiles:delete', { id: 'sandbox' })).toMatchObject({
      ok: false,
      error: { code: 'sandbox_readonly' },
    });
  });
});
