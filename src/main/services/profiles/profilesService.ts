/**
 * Instance profiles: a name, a Clerk secret key (kept only in the OS keychain) and what Clerk says about
 * the instance. Plain Node: the keychain, database, clock and Clerk client are passed in.
 */
import {
  DEFAULT_BASE_URL,
  SANDBOX_PROFILE_ID,
  environmentFromApi,
  fingerprint,
  keyEnvironment,
  type ProfileHealth,
  type ProfilesState,
  type ProfileView,
} from '../../../shared/domain/profile.ts';
import { ClerkApiError, ClerkTransportError } from '../clerk/errors.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { Failure } from '../failure.ts';
import { instanceMismatch } from './instanceGuard.ts';
import type { SandboxProvider } from '../sandbox.ts';
import { KeychainUnavailableError, SECRET_SERVICE, type SecretStore } from '../secrets/secretStore.ts';
import { setKey } from '../secrets/setKey.ts';
import type { ProfileRow, ProfilesStore } from './profilesStore.ts';

export type ProfilesDeps = {
  store: ProfilesStore;
  secrets: SecretStore;
  clerk: (baseUrl: string, secretKey: string) => ClerkClient;
  sandbox: SandboxProvider;
  now: () => number;
  newId: () => string;
  onChange: (state: ProfilesState) => void;
  /** The store is the team workspace's: every member sees these profiles. */
  team?: boolean;
};

const ACTIVE_KEY = 'activeProfileId';

/** No key for a profile: lost from this keychain, or a teammate's shared profile this member never entered one for. */
const noKey = (row: ProfileRow, next: string) =>
  row.keyMissing
    ? `“${row.name}” is shared by your team, but its key is not on this computer yet: keys are never shared. ` +
      `Enter your own key of ${row.instanceId} with Enter key (it is checked against that instance).`
    : `The keychain has no key for “${row.name}”. ${next}`;

/** One spelling of a base URL: dot segments resolved, no trailing slash (`…/v1/./` is `…/v1`). */
export function canonicalBaseUrl(raw: string): string {
  const u = new URL(raw.trim());
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function createProfilesService(deps: ProfilesDeps) {
  const { store, secrets } = deps;
  const view = (row: ProfileRow): ProfileView => ({ ...row, isSandbox: false });

  async function sandboxView(): Promise<ProfileView> {
    const s = await deps.sandbox.get();
    return {
      id: SANDBOX_PROFILE_ID,
      name: 'Sandbox',
      environment: 'development',
      instanceId: s.instanceId,
      fingerprint: fingerprint(s.secretKey),
      baseUrl: s.apiUrl,
      isSandbox: true,
      createdAt: 0,
      updatedAt: 0,
    };
  }

  async function mustGet(id: string): Promise<ProfileRow> {
    const row = await store.get(id);
    if (!row) throw new Failure('profile_not_found', 'That profile no longer exists. Pick another one.');
    return row;
  }

  async function state(): Promise<ProfilesState> {
    const profiles = [...(await store.list()).map(view), await sandboxView()];
    const stored = await store.getSetting(ACTIVE_KEY);
    const activeId = profiles.some((p) => p.id === stored) ? stored : (profiles[0]?.id ?? null);
    return { profiles, activeId, ...(deps.team ? { team: true } : {}) };
  }

  async function changed(): Promise<ProfilesState> {
    const s = await state();
    deps.onChange(s);
    return s;
  }

  /** Asks Clerk which instance a key belongs to, and checks that the key's prefix agrees. */
  async function identify(baseUrl: string, secretKey: string) {
    const claimed = keyEnvironment(secretKey);
    if (!claimed) throw new Failure('key_format', 'A Clerk secret key starts with sk_test_ or sk_live_.', { field: 'secretKey' });
    let instance;
    try {
      instance = await deps.clerk(baseUrl, secretKey).getInstance();
    } catch (e) {
      if (e instanceof ClerkApiError && e.status === 401) {
        throw new Failure('clerk_key_invalid', `Clerk rejected this key: ${e.longMessage}`, {
          field: 'secretKey',
          detail: { clerkCode: e.code },
        });
      }
      throw e;
    }
    const environment = environmentFromApi(instance.environmentType);
    if (environment !== claimed) {
      throw new Failure(
        'environment_mismatch',
        `This key says ${claimed} (${secretKey.slice(0, 8)}…) but Clerk reports a ${instance.environmentType} instance. Check that you copied the right key.`,
        { field: 'secretKey' },
      );
    }
    return { instanceId: instance.id, environment };
  }

  return {
    state,

    /** The key for a profile: main-only, for the Clerk client. */
    async secretFor(id: string): Promise<{ baseUrl: string; secretKey: string; profile: ProfileView }> {
      if (id === SANDBOX_PROFILE_ID) {
        const s = await deps.sandbox.get();
        return { baseUrl: s.apiUrl, secretKey: s.secretKey, profile: await sandboxView() };
      }
      const row = await mustGet(id);
      const key = await secrets.get(id);
      if (!key) {
        await secrets.probe?.(); // a locked keychain says so here, instead of “no key”
        throw new Failure('key_missing', noKey(row, 'Use Replace key to enter it again.'));
      }
      return { baseUrl: row.baseUrl, secretKey: key, profile: view(row) };
    },

    /** Adds a profile; it becomes the active one only when asked (`activate`): an open sheet never changes target silently. */
    async add(input: { name: string; secretKey: string; baseUrl?: string; activate?: boolean }): Promise<ProfileView> {
      const baseUrl = canonicalBaseUrl(input.baseUrl ?? DEFAULT_BASE_URL);
      const { instanceId, environment } = await identify(baseUrl, input.secretKey);
      // Known by its id, not its URL: `localhost` and `127.0.0.1`, or `/v1/.`, are one instance, one history and one
      // claim; a second profile of it would let two runs invite the same people at once.
      const existing = await store.findByInstance(instanceId);
      if (existing) {
        throw new Failure(
          'profile_exists',
          existing.keyMissing
            ? `Your team shares this instance (${instanceId}) as “${existing.name}”: enter your key on its card (Enter key) instead of adding it again.`
            : `“${existing.name}” already uses this instance (${instanceId}${existing.baseUrl === baseUrl ? '' : `, at ${existing.baseUrl}`}). Use that profile, or replace its key.`,
          { field: 'secretKey' },
        );
      }
      const now = deps.now();
      const row: ProfileRow = {
        id: deps.newId(),
        name: input.name,
        environment,
        instanceId,
        fingerprint: fingerprint(input.secretKey),
        baseUrl,
        createdAt: now,
        updatedAt: now,
      };
      // Pinned before the insert: with no stored choice the first listed profile (the new one) would become active.
      const activeBefore = (await state()).activeId;
      let written = false;
      try {
        // Inside: a failed write may still have stored the key (then reported a timeout), so it is taken out too.
        await setKey(secrets, row.id, input.secretKey);
        written = true;
        await store.insert(row);
        await store.setSetting(ACTIVE_KEY, input.activate || activeBefore === null ? row.id : activeBefore);
      } catch (e) {
        // No orphaned key: take it out again, and say so when even that fails.
        try {
          if (await store.get(row.id)) await store.delete(row.id);
        } catch {
          // the row never made it in
        }
        try {
          await secrets.delete(row.id);
        } catch (rollback) {
          // The write failed and so did taking it out: the keychain may or may not hold the key. Say where to look.
          if (!written && e instanceof KeychainUnavailableError)
            throw new Failure(
              'keychain_unavailable',
              `${e.message} If the keychain kept the key before failing, remove the entry “${SECRET_SERVICE}” / “${row.id}” in your keychain app: it could not be taken out (${rollback instanceof Error ? rollback.message : String(rollback)}).`,
            );
          throw new Failure(
            'key_orphaned',
            `Adding “${row.name}” failed (${e instanceof Error ? e.message : String(e)}), and its key could not be removed from the ` +
              `keychain (${rollback instanceof Error ? rollback.message : String(rollback)}). Remove the entry “${SECRET_SERVICE}” / “${row.id}” in your keychain app.`,
          );
        }
        throw e;
      }
      await changed();
      return view(row);
    },

    async rename(id: string, name: string): Promise<ProfileView> {
      if (id === SANDBOX_PROFILE_ID) throw new Failure('sandbox_readonly', 'The Sandbox profile cannot be renamed.');
      await mustGet(id);
      await store.update(id, { name }, deps.now());
      await changed();
      return view(await mustGet(id));
    },

    async replaceKey(id: string, secretKey: string): Promise<ProfileView> {
      if (id === SANDBOX_PROFILE_ID) throw new Failure('sandbox_readonly', 'The Sandbox needs no key.');
      const row = await mustGet(id);
      const { instanceId } = await identify(row.baseUrl, secretKey);
      if (instanceId !== row.instanceId) {
        throw new Failure(
          'instance_mismatch',
          `This key belongs to instance ${instanceId}, not ${row.instanceId} of “${row.name}”. Add it as a new profile instead.`,
          { field: 'secretKey' },
        );
      }
      await setKey(secrets, id, secretKey);
      await store.update(id, { fingerprint: fingerprint(secretKey) }, deps.now());
      await changed();
      return view(await mustGet(id));
    },

    async remove(id: string): Promise<{ id: string }> {
      if (id === SANDBOX_PROFILE_ID) throw new Failure('sandbox_readonly', 'The Sandbox profile is built in and cannot be deleted.');
      const row = await mustGet(id);
      // The profile goes only once its key is gone: never a deleted profile with its key left in the keychain.
      let deleted: boolean;
      try {
        deleted = await secrets.delete(id);
      } catch (e) {
        throw new Failure(
          'key_not_deleted',
          `The key of “${row.name}” could not be deleted from the keychain (${e instanceof Error ? e.message : String(e)}). ` +
            'Unlock your keychain and delete the profile again; it is kept until then.',
        );
      }
      if (!deleted) {
        try {
          await secrets.probe?.(); // nothing deleted: truly absent, or a locked keychain hiding it?
        } catch (e) {
          throw new Failure(
            'key_not_deleted',
            `The key of “${row.name}” could not be deleted: ${e instanceof Error ? e.message : String(e)} The profile is kept until then.`,
          );
        }
      }
      await store.delete(id);
      if ((await store.getSetting(ACTIVE_KEY)) === id) await store.setSetting(ACTIVE_KEY, null);
      await changed();
      return { id };
    },

    async select(id: string): Promise<ProfilesState> {
      if (id !== SANDBOX_PROFILE_ID) await mustGet(id);
      await store.setSetting(ACTIVE_KEY, id);
      return changed();
    },

    /** Is the key still in the keychain, and does Clerk still accept it? */
    async check(id: string): Promise<ProfileHealth> {
      if (id === SANDBOX_PROFILE_ID) {
        await deps.sandbox.get();
        return { keychain: 'not_needed', api: 'ok', message: 'The Sandbox is running inside Invite Desk.' };
      }
      const row = await mustGet(id);
      let key: string | null;
      try {
        key = await secrets.get(id);
      } catch (e) {
        if (e instanceof KeychainUnavailableError) return { keychain: 'unavailable', api: 'not_checked', message: e.message };
        throw e;
      }
      if (!key) {
        try {
          await secrets.probe?.();
        } catch (e) {
          if (e instanceof KeychainUnavailableError) return { keychain: 'unavailable', api: 'not_checked', message: e.message };
          throw e;
        }
        return { keychain: 'missing', api: 'not_checked', message: noKey(row, 'Use Replace key.') };
      }
      try {
        // Accepted is not enough: the key must still open this profile's instance (it may have been replaced).
        const wrong = instanceMismatch(row, await deps.clerk(row.baseUrl, key).getInstance());
        if (wrong) return { keychain: 'ok', api: wrong.code, message: wrong.message };
        return {
          keychain: 'ok',
          api: 'ok',
          message: `Key found in the keychain and accepted by Clerk for ${row.instanceId} (${row.environment}).`,
        };
      } catch (e) {
        if (e instanceof ClerkApiError && e.status === 401) {
          return { keychain: 'ok', api: 'key_invalid', message: `Clerk no longer accepts this key: ${e.longMessage} Use Replace key.` };
        }
        if (e instanceof ClerkTransportError || e instanceof ClerkApiError) {
          return { keychain: 'ok', api: 'unreachable', message: `Could not check with Clerk: ${e.message}` };
        }
        throw e;
      }
    },
  };
}
export type ProfilesService = ReturnType<typeof createProfilesService>;
