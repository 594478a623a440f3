/**
 * Metadata writes as Clerk does them: `PATCH /v1/users/{id}/metadata` and
 * `PATCH /v1/organizations/{id}/memberships/{user_id}/metadata`, a deep merge where `null` removes a key, each kind of
 * metadata at most 8 KB after the merge, and at most 10 writes per 10 s per user or membership (429 + Retry-After).
 * Also `GET /v1/users/{id}`. All on the general limit besides.
 */
import { EmuError, errors, validationError } from './errors.ts';
import { membershipJson, userJson } from './people.ts';
import { orgOf, r, type Ctx, type Route } from './routeKit.ts';
import { membershipOf } from './store.ts';
import { METADATA_LIMIT_BYTES } from './validate.ts';

type Meta = Record<string, unknown>;

/** Clerk's per-user (and per-membership) limit on metadata updates (system limits, May 2026). */
export const WRITES_PER_TARGET = 10;
export const TARGET_WINDOW_MS = 10_000;

const isObject = (v: unknown): v is Meta => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, `null` removes the key, anything else replaces. */
export function deepMerge(base: Meta, patch: Meta): Meta {
  const out: Meta = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = deepMerge(out[k], v);
    else out[k] = isObject(v) ? deepMerge({}, v) : structuredClone(v);
  }
  return out;
}

/** Counts one write for a user or membership; over 10 in the last 10 s answers 429 with the seconds to wait. */
function takeWrite(c: Ctx, target: string): void {
  const recent = (c.instance.metadataWrites.get(target) ?? []).filter((t) => t > c.now - TARGET_WINDOW_MS);
  if (recent.length >= WRITES_PER_TARGET) {
    const wait = Math.max(1, Math.ceil((recent[0]! + TARGET_WINDOW_MS - c.now) / 1000));
    c.instance.metadataWrites.set(target, recent);
    const e = errors.rateLimited(c.behaviour.rateLimitCode);
    throw new EmuError(429, e.items, { 'Retry-After': String(wait) });
  }
  c.instance.metadataWrites.set(target, [...recent, c.now]);
}

/** The body's metadata objects, checked (unknown keys, wrong kinds), each merged and checked against 8 KB. */
function merged(c: Ctx, allowed: string[], current: Record<string, Meta>): Record<string, Meta> {
  const body = c.body;
  if (!isObject(body)) throw errors.bodyInvalid();
  const problems = Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map(errors.unknown);
  const out: Record<string, Meta> = { ...current };
  for (const k of allowed) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    if (!isObject(v)) {
      problems.push(errors.value(k, 'must be an object.'));
      continue;
    }
    const next = deepMerge(current[k] ?? {}, v);
    if (Buffer.byteLength(JSON.stringify(next), 'utf8') > METADATA_LIMIT_BYTES) problems.push(errors.tooLarge(k));
    out[k] = next;
  }
  if (problems.length) throw validationError(problems);
  return out;
}

const userOf = (c: Ctx) => {
  const u = c.instance.users.get(c.params['user'] ?? '');
  if (!u) throw errors.notFound();
  return u;
};

export const metadataRoutes: Route[] = [
  r('GET', '/users/:user', 'general', (c) => userJson(userOf(c))),
  r('PATCH', '/users/:user/metadata', 'general', (c) => {
    const u = userOf(c);
    const next = merged(c, ['public_metadata', 'private_metadata', 'unsafe_metadata'], {
      public_metadata: u.publicMetadata,
      private_metadata: u.privateMetadata,
      unsafe_metadata: u.unsafeMetadata,
    });
    takeWrite(c, u.id);
    u.publicMetadata = next['public_metadata']!;
    u.privateMetadata = next['private_metadata']!;
    u.unsafeMetadata = next['unsafe_metadata']!;
    u.updatedAt = c.now;
    return userJson(u);
  }),
  r('PATCH', '/organizations/:org/memberships/:user/metadata', 'general', (c) => {
    const org = orgOf(c);
    const userId = c.params['user'] ?? '';
    if (!org.members.has(userId)) throw errors.notFound();
    const m = membershipOf(org, userId);
    const next = merged(c, ['public_metadata', 'private_metadata'], {
      public_metadata: m.publicMetadata,
      private_metadata: m.privateMetadata,
    });
    takeWrite(c, `${org.id}/${userId}`);
    m.publicMetadata = next['public_metadata']!;
    m.privateMetadata = next['private_metadata']!;
    m.updatedAt = c.now;
    return membershipJson(c.instance, org, userId, c.now);
  }),
];
