/**
 * The key is not the instance: the keychain's entry can be replaced outside the app (another tool, a restored
 * backup). Before a client sends anything for a profile, Clerk is asked which instance the key opens
 * (GET /v1/instance), and a key of another instance, or of another environment, sends nothing.
 */
import { environmentFromApi, type Environment } from '../../../shared/domain/profile.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { Failure } from '../failure.ts';

export type ExpectedInstance = { name: string; instanceId: string; environment: Environment };

/** What Clerk says the key opens, against the profile: null when it is the profile's instance. */
export function instanceMismatch(
  profile: ExpectedInstance,
  instance: { id: string; environmentType: string },
): { code: 'instance_mismatch'; message: string } | null {
  const environment = environmentFromApi(instance.environmentType);
  if (instance.id === profile.instanceId && environment === profile.environment) return null;
  return {
    code: 'instance_mismatch',
    message:
      `The key for “${profile.name}” now belongs to another instance (${instance.id}, ${environment}; the profile is ` +
      `${profile.instanceId}, ${profile.environment}). Nothing was sent. Put the key of ${profile.instanceId} back ` +
      `with Replace key, or add the other instance as a profile of its own.`,
  };
}

/** Throws the mismatch as a Failure (code `instance_mismatch`); Clerk's and the network's errors pass through. */
export async function confirmInstance(client: ClerkClient, profile: ExpectedInstance): Promise<void> {
  const wrong = instanceMismatch(profile, await client.getInstance());
  if (wrong) throw new Failure(wrong.code, wrong.message, { detail: { profileInstanceId: profile.instanceId } });
}

/** Calls that send nothing and need no confirmation: the key-less reachability probe, and the question itself. */
const UNGUARDED = new Set<string>(['reachable', 'getInstance']);

/**
 * A client for `profile` that confirms the instance before its first request. Confirmed at once when Clerk answers
 * (a mismatch throws here: the caller gets nothing to send with); when Clerk cannot be asked now (no network, 5xx,
 * 429), every request first asks again and fails as that question failed, so nothing goes out unconfirmed and the
 * caller's usual handling (wait for the network, retry later) applies.
 */
export async function confirmedClient(client: ClerkClient, profile: ExpectedInstance): Promise<ClerkClient> {
  let confirmed: Promise<void> | null = null;
  const confirm = () => {
    confirmed ??= confirmInstance(client, profile).catch((e: unknown) => {
      if (!(e instanceof Failure)) confirmed = null; // not an answer about the key: ask again next time
      throw e;
    });
    return confirmed;
  };
  try {
    await confirm();
  } catch (e) {
    if (e instanceof Failure) throw e;
  }
  const guarded = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(client)) {
    guarded[name] =
      UNGUARDED.has(name) || typeof fn !== 'function'
        ? fn
        : async (...args: unknown[]) => {
            await confirm();
            return (fn as (...a: unknown[]) => unknown)(...args);
          };
  }
  return guarded as ClerkClient;
}
