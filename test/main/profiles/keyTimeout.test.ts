/**
 * A keychain that stores the key and then reports an error (a timeout) leaves no orphaned key unreported
 * (issue 20, item 10): the add went on failing with the key left behind in the keychain, and nobody was told.
 */
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

const emu = useEmulator({ rateLimits: { enabled: false } });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const services = (secrets: SecretStore) => {
  const s = makeServices(secrets);
  open.push(s);
  return s;
};
const add = (s: ReturnType<typeof services>, name: string) =>
  dispatch(s.handlers, 'profiles:add', { name, secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
const timeout = () => new KeychainUnavailableError('Timeout was reached');

describe.skipIf(!realKeyring)(
  `a keychain that stores, then times out (real keyring${realKeyring ? '' : `; skipped: ${noKeyringReason}`})`,
  () => {
    it('profiles:add: the key it stored is found there, and the profile is added with it', async () => {
      const store = createKeytarSecretStore({
        getPassword: (s, a) => keytar.getPassword(s, a),
        deletePassword: (s, a) => keytar.deletePassword(s, a),
        setPassword: async (s, a, p) => {
          await keytar.setPassword(s, a, p);
          throw new Error('Timeout was reached');
        },
      });
      const s = services(store);
      const r = await add(s, 'Slow keychain');
      expect(r).toMatchObject({ ok: true, value: { name: 'Slow keychain' } });
      const id = (r as { value: { id: string } }).value.id;
      expect(await keytar.getPassword(SECRET_SERVICE, id)).toBe(emu.current.instance.secretKey);
      expect((await s.profiles.secretFor(id)).secretKey).toBe(emu.current.instance.secretKey);
      await keytar.deletePassword(SECRET_SERVICE, id);
    });
  },
);

describe('a keychain that stores, then times out, then cannot be read', () => {
  /** Stores, then throws; afterwards reads fail, and deletes fail when `deleteFails`. */
  function flaky(deleteFails: boolean) {
    const m = createMemorySecretStore();
    let broken = false;
    const store: SecretStore = {
      get: async (a) => {
        if (broken) throw timeout();
        return m.get(a);
      },
      set: async (a, p) => {
        await m.set(a, p);
        broken = true;
        throw timeout();
      },
      delete: async (a) => {
        if (deleteFails) throw timeout();
        return m.delete(a);
      },
    };
    return { store, entries: m.entries };
  }

  it('the key is taken out again, and the add fails with the keychain’s reason', async () => {
    const { store, entries } = flaky(false);
    const r = await add(services(store), 'Gone');
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringContaining('Timeout was reached') },
    });
    expect([...entries.keys()]).toEqual([]);
  });

  it('when it cannot be taken out either: the add fails saying which keychain entry to remove', async () => {
    const { store, entries } = flaky(true);
    const r = await add(services(store), 'Stuck');
    const [account] = [...entries.keys()];
    expect(account).toBeDefined();
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'keychain_unavailable',
        message: expect.stringContaining(
          `If the keychain kept the key before failing, remove the entry “${SECRET_SERVICE}” / “${account}”`,
        ),
      },
    });
  });

  it('profiles:replaceKey: a key stored despite the timeout is the profile’s key, fingerprint and all', async () => {
    const m = createMemorySecretStore();
    const s = services(m);
    const r = await add(s, 'Replace');
    const id = (r as { value: { id: string } }).value.id;
    // A second key of the same instance (as Clerk's dashboard can make), and a keychain that now times out after storing.
    const key2 = 'sk_test_SecondKeyOfTheSameInstance9876';
    emu.current.instances.set(key2, emu.current.instance);
    const set = m.set;
    m.set = async (a, p) => {
      await set(a, p);
      throw timeout();
    };
    const replaced = await dispatch(s.handlers, 'profiles:replaceKey', { id, secretKey: key2 });
    expect(replaced).toMatchObject({ ok: true, value: { fingerprint: `sk_test_…9876` } });
    expect(m.entries.get(id)).toBe(key2);
  });
});
