/** Where secret keys live: the OS keychain in the app (adapters/keytarSecretStore.ts), memory in some tests. */
export const SECRET_SERVICE = 'invite-desk';

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was there to delete. */
  delete(account: string): Promise<boolean>;
}

/** The keychain is missing, locked or refused: never fall back to storing the key anywhere else. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
  readonly reason: string;
  constructor(reason: string) {
    super(
      `The OS keychain is not available (${reason}). Invite Desk keeps secret keys only there: unlock your keychain ` +
        '(on Linux, a Secret Service such as GNOME Keyring or KWallet must be running and unlocked) and try again.',
    );
    this.reason = reason;
  }
}

export function createMemorySecretStore(): SecretStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => entries.delete(account),
  };
}
