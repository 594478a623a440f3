/**
 * A 2xx answer to an invitation create is evidence, not truth: which of the requests it proves created, checked
 * against what was asked (a JSON object of the right kind, an id of Clerk's shape, the request's own email, at most
 * one element per email asked). Whatever it does not prove is an unknown outcome, to be looked up in Clerk.
 */
// Addresses compare by the one key every comparison uses (Clerk may answer the address lower-cased).
import { emailKey } from '../../../shared/domain/email.ts';
import { ID_SHAPES } from '../../../shared/domain/ids.ts';
import { ClerkTransportError } from './errors.ts';

/** One request Clerk's answer proves created; `index` is the request's place in the call's requests. */
export type Proven<T> = { index: number; invitation: T };
/** One request the answer does not prove either way; `reason` says why, in words (no email in it). */
export type Unproven = { index: number; reason: string };
export type CreateAnswer<T> = { created: Proven<T>[]; unknown: Unproven[] };

export type CreateKind = 'invitation' | 'organization_invitation';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Null when `el` could be Clerk's answer for an invitation to `email`; else what is wrong with it. */
function problem(el: unknown, kind: CreateKind, email: string, organizationId: string | undefined): string | null {
  if (!isObject(el)) return `not an object (${el === null ? 'null' : Array.isArray(el) ? 'a list' : typeof el})`;
  if (el['object'] !== undefined && el['object'] !== kind) return `an object of another kind (${String(el['object'])})`;
  const id = el['id'];
  const shape = kind === 'invitation' ? ID_SHAPES.invitation : ID_SHAPES.organizationInvitation;
  if (typeof id !== 'string' || !shape.test(id)) return id === undefined || id === '' ? 'no invitation id' : 'an id not of Clerk’s shape';
  const answered = el['email_address'];
  if (typeof answered !== 'string' || emailKey(answered) !== emailKey(email)) return 'the invitation of another email address';
  if (organizationId !== undefined && el['organization_id'] !== undefined && el['organization_id'] !== organizationId)
    return 'an invitation of another organization';
  return null;
}

/**
 * Matches a create answer with its requests. `bulk`: the answer's elements (a plain array, or `data` of the org bulk
 * answer) are matched by email, never by position; an email answered twice, or asked twice, proves nothing.
 */
export function checkCreated<T>(
  body: unknown,
  requests: { emailAddress: string }[],
  opts: { kind: CreateKind; bulk: boolean; organizationId?: string; map: (raw: unknown) => T },
): CreateAnswer<T> {
  const created: Proven<T>[] = [];
  const unknown: Unproven[] = [];
  if (!opts.bulk) {
    const why = problem(body, opts.kind, requests[0]?.emailAddress ?? '', opts.organizationId);
    if (why === null) created.push({ index: 0, invitation: opts.map(body) });
    else unknown.push({ index: 0, reason: `Clerk answered with ${why}` });
    return { created, unknown };
  }
  const list = opts.kind === 'organization_invitation' ? (isObject(body) ? body['data'] : undefined) : body;
  if (!Array.isArray(list)) {
    const what = body === null ? 'null' : Array.isArray(body) ? 'a list' : typeof body;
    return { created, unknown: requests.map((_, index) => ({ index, reason: `Clerk answered with ${what}, not the list it creates` })) };
  }
  const asked = new Map<string, number>();
  for (const r of requests) asked.set(emailKey(r.emailAddress), (asked.get(emailKey(r.emailAddress)) ?? 0) + 1);
  const byEmail = new Map<string, unknown[]>();
  const ids = new Map<string, number>();
  for (const el of list) {
    const email = isObject(el) && typeof el['email_address'] === 'string' ? emailKey(el['email_address']) : null;
    if (email === null || !asked.has(email)) continue; // proves nothing about any request
    byEmail.set(email, [...(byEmail.get(email) ?? []), el]);
    const id = isObject(el) && typeof el['id'] === 'string' ? el['id'] : '';
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  requests.forEach((r, index) => {
    const key = emailKey(r.emailAddress);
    const answered = byEmail.get(key) ?? [];
    const el = answered[0];
    const why =
      asked.get(key)! > 1
        ? 'its email asked more than once in one call'
        : answered.length === 0
          ? 'no element for this request'
          : answered.length > 1
            ? `${answered.length} elements for this request`
            : (problem(el, opts.kind, r.emailAddress, opts.organizationId) ??
              ((ids.get(String((el as Json)['id'])) ?? 0) > 1 ? 'one id for several requests' : null));
    if (why === null) created.push({ index, invitation: opts.map(el) });
    else unknown.push({ index, reason: `Clerk answered with ${why}` });
  });
  return { created, unknown };
}

/** Every request proven, in request order; else an unknown outcome for the whole call (the rows are looked up). */
export function allProven<T>(answer: CreateAnswer<T>, count: number): T[] {
  if (answer.unknown.length === 0 && answer.created.length === count)
    return [...answer.created].sort((a, b) => a.index - b.index).map((c) => c.invitation);
  const first = answer.unknown[0];
  throw new ClerkTransportError(
    'bad_response',
    `Clerk answered 200, but the answer does not show ${answer.unknown.length} of ${count} invitations asked for` +
      (first ? ` (request ${first.index + 1}: ${first.reason.replace(/^Clerk answered with /, '')})` : '') +
      ': outcome unknown, to be looked up',
  );
}
