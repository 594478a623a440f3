/**
 * The real OS keychain in tests, only where a private one exists: `npm test` makes one on Linux (a private
 * D-Bus session with gnome-keyring under a temporary HOME, scripts/lib/keyring.mjs). Elsewhere the developer's
 * own keychain is never touched: keyring tests skip with the reason and the rest use the in-memory twin.
 */
import { createKeytarSecretStore } from '../../src/main/adapters/keytarSecretStore.ts';
import { createMemorySecretStore, type SecretStore } from '../../src/main/services/secrets/secretStore.ts';

export const realKeyring = process.env['INVITE_DESK_TEST_KEYRING'] === '1';
export const noKeyringReason =
  process.env['INVITE_DESK_TEST_KEYRING_SKIP'] ?? 'no private keyring: run the tests through npm test / npm run test:unit';

export function testSecretStore(): SecretStore {
  return realKeyring ? createKeytarSecretStore() : createMemorySecretStore();
}
