/** The OS keychain through keytar (service `invite-desk`, account = profile id). */
import keytar from 'keytar';
import { KeychainUnavailableError, PROBE_ACCOUNT, SECRET_SERVICE, type SecretStore } from '../services/secrets/secretStore.ts';

type Keytar = Pick<typeof keytar, 'getPassword' | 'setPassword' | 'deletePassword'>;

async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    // keytar reports a missing D-Bus/Secret Service or a locked collection as a plain Error.
    const message = e instanceof Error ? e.message : String(e);
    throw new KeychainUnavailableError(message.replace(/\s+/g, ' ').trim() || 'unknown keychain error');
  }
}

export function createKeytarSecretStore(impl: Keytar = keytar, service = SECRET_SERVICE): SecretStore {
  return {
    get: (account) => guard(() => impl.getPassword(service, account)),
    set: (account, secret) => guard(() => impl.setPassword(service, account, secret)),
    delete: (account) => guard(() => impl.deletePassword(service, account)),
    // A locked collection answers reads with null; a write tells (it fails, or prompts the user to unlock).
    probe: () =>
      guard(async () => {
        await impl.setPassword(service, PROBE_ACCOUNT, 'probe');
        await impl.deletePassword(service, PROBE_ACCOUNT);
      }),
  };
}
