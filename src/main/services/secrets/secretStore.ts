/** Where secret keys live: the OS keychain in the app (adapters/keytarSecretStore.ts), memory in some tests. */
export const SECRET_SERVICE = 'invite-desk';

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was there to delete. */
  delete(account: string): Promise<boolean>;
  /**
   * Whether the keychain can be written now. A locked keychain often answers a read with “no entry”: this tells a
   * missing key from a locked keychain. Throws KeychainUnavailableError when it is locked or missing.
   */
  probe?(): Promise<void>;
}

/** The account name used to probe whether the keychain accepts writes (written and deleted at once). */
export const PROBE_ACCOUNT = 'invite-desk-probe';

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

/**
 * Keys in memory (tests). `locked: true` behaves like a locked OS keychain as keytar reports it: reads find
 * nothing, writes and deletes fail or find nothing; `failDelete` makes only deletes fail.
 */
export function createMemorySecretStore(): SecretStore & {
  entries: Map<string, string>;
  locked: boolean;
  failDelete: boolean;
} {
  const entries = new Map<string, string>();
  const store = {
    entries,
    locked: false,
    failDelete: false,
    get: async (account: string) => (store.locked ? null : (entries.get(account) ?? null)),
    set: async (account: string, secret: string) => {
      if (store.locked) throw new KeychainUnavailableError('the collection is locked');
      entries.set(account, secret);
    },
    delete: async (account: string) => {
      if (store.failDelete) throw new KeychainUnavailableError('the entry could not be deleted');
      return store.locked ? false : entries.delete(account);
    },
    probe: async () => {
      if (store.locked) throw new KeychainUnavailableError('the collection is locked');
    },
  };
  return store;
}
