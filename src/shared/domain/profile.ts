/** An instance profile as the renderer sees it. Never carries the secret key. */
export type Environment = 'development' | 'production';

export type ProfileView = {
  id: string;
  name: string;
  environment: Environment;
  instanceId: string;
  /** `sk_live_…a1b2`: enough to tell keys apart, useless to an attacker. */
  fingerprint: string;
  /** Clerk Backend API base URL, `https://api.clerk.com/v1` unless pointed at a proxy or an emulator. */
  baseUrl: string;
  isSandbox: boolean;
  createdAt: number;
  updatedAt: number;
  /** A team's shared profile whose key this computer's keychain does not have yet (each member enters their own). */
  keyMissing?: boolean;
};

/** `team`: the profiles are the team workspace's (shared by every member: a rename or a deletion is the team's). */
export type ProfilesState = { profiles: ProfileView[]; activeId: string | null; team?: boolean };

export type ProfileHealth = {
  keychain: 'ok' | 'missing' | 'unavailable' | 'not_needed';
  /** `instance_mismatch`: Clerk accepts the key, but it opens another instance (or environment) than the profile's. */
  api: 'ok' | 'unreachable' | 'key_invalid' | 'instance_mismatch' | 'not_checked';
  message: string;
};

export const DEFAULT_BASE_URL = 'https://api.clerk.com/v1';
export const SANDBOX_PROFILE_ID = 'sandbox';

const KEY_PATTERN = /^sk_(test|live)_[A-Za-z0-9]{8,200}$/;

/** The environment a key's prefix claims, or null when it is not a Clerk secret key. */
export function keyEnvironment(secretKey: string): Environment | null {
  const m = KEY_PATTERN.exec(secretKey);
  if (!m) return null;
  return m[1] === 'live' ? 'production' : 'development';
}

export function fingerprint(secretKey: string): string {
  const m = /^(sk_(?:test|live)_)/.exec(secretKey);
  const prefix = m?.[1] ?? 'sk_';
  return `${prefix}…${secretKey.slice(-4)}`;
}

/** Clerk reports `development`, `staging` or `production`; only development keys are `sk_test_`. */
export function environmentFromApi(environmentType: string): Environment {
  return environmentType === 'development' ? 'development' : 'production';
}
