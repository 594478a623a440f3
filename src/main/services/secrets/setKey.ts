/**
 * Writing a key when the keychain's answer cannot be trusted: a keychain may store the key and then report an error
 * (a timeout while it unlocked, a lost D-Bus answer). Whether the write took is read back, never assumed.
 */
import type { SecretStore } from './secretStore.ts';

/** Stores `secret`; a failed write whose key is found there afterwards counted as done, else the write's error. */
export async function setKey(secrets: SecretStore, account: string, secret: string): Promise<void> {
  try {
    await secrets.set(account, secret);
  } catch (e) {
    const there = await secrets.get(account).catch(() => null);
    if (there === secret) return;
    throw e;
  }
}
