/** Against the real OS keychain: npm test runs inside a private one on Linux (scripts/lib/keyring.mjs); elsewhere it skips. */
import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../../../src/main/adapters/keytarSecretStore.ts';
import { KeychainUnavailableError, SECRET_SERVICE } from '../../../src/main/services/secrets/secretStore.ts';
import { noKeyringReason, realKeyring } from '../../helpers/keyring.ts';

describe.skipIf(!realKeyring)(`keytar secret store (real keyring${realKeyring ? '' : `; skipped: ${noKeyringReason}`})`, () => {
  it('stores, reads and deletes a secret under service invite-desk', async () => {
    const store = createKeytarSecretStore();
    const account = `test-${randomUUID()}`;
    const secret = `sk_test_${randomUUID().replace(/-/g, '')}`;
    expect(await store.get(account)).toBeNull();
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    // It is a real keychain entry, visible to any keytar client under our service name.
    expect(await keytar.getPassword(SECRET_SERVICE, account)).toBe(secret);
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeNull();
    expect(await store.delete(account)).toBe(false);
  });

  it('turns a missing or locked keychain into KeychainUnavailableError with the next step', async () => {
    const broken = createKeytarSecretStore({
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      deletePassword: () => Promise.reject(new Error('boom')),
    });
    const e = await broken.set('a', 'sk_test_123456789').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KeychainUnavailableError);
    expect((e as Error).message).toMatch(/locked collection.*unlock your keychain/s);
    await expect(broken.get('a')).rejects.toThrow(/D-Bus/);
  });
});
