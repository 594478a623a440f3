/** Request-body checks with Clerk's error codes (see shared/clerk/API.md, Errors). */
import { errors, type EmuErrorItem } from './errors.ts';

export const METADATA_LIMIT_BYTES = 8192;
const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const APP_INVITATION_KEYS = [
  'email_address',
  'public_metadata',
  'redirect_url',
  'notify',
  'ignore_existing',
  'expires_in_days',
  'template_slug',
];
export const ORG_INVITATION_KEYS = [
  'email_address',
  'role',
  'inviter_user_id',
  'public_metadata',
  'private_metadata',
  'redirect_url',
  'expires_in_days',
  'notify',
];

export type CheckedItem = {
  emailAddress: string;
  raw: Record<string, unknown>;
  publicMetadata: Record<string, unknown>;
  privateMetadata: Record<string, unknown>;
  notify: boolean;
  ignoreExisting: boolean;
  expiresInDays: number;
  role: string;
  inviterUserId: string | null;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one invitation object; returns its problems (empty when it is well-formed). */
export function checkItem(body: unknown, allowed: string[], requireRole: boolean): { item: CheckedItem | null; problems: EmuErrorItem[] } {
  if (!isObject(body)) return { item: null, problems: [errors.bodyInvalid().items[0]!] };
  const problems: EmuErrorItem[] = [];
  for (const key of Object.keys(body)) if (!allowed.includes(key)) problems.push(errors.unknown(key));
  const email = body['email_address'];
  if (email === undefined || email === null || email === '') problems.push(errors.missing('email_address'));
  else if (typeof email !== 'string' || !EMAIL.test(email.trim())) problems.push(errors.format('email_address')); // Clerk names a bad email by meta.param_name only
  const metadata: Record<string, Record<string, unknown>> = {};
  for (const key of ['public_metadata', 'private_metadata']) {
    const v = body[key];
    if (v === undefined || v === null) metadata[key] = {};
    else if (!isObject(v)) problems.push(errors.format(key));
    else if (Buffer.byteLength(JSON.stringify(v), 'utf8') > METADATA_LIMIT_BYTES) problems.push(errors.tooLarge(key));
    else metadata[key] = v;
  }
  for (const key of ['notify', 'ignore_existing']) {
    const v = body[key];
    if (v !== undefined && v !== null && typeof v !== 'boolean') problems.push(errors.format(key));
  }
  const days = body['expires_in_days'];
  if (days !== undefined && days !== null && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365)) {
    problems.push(errors.value('expires_in_days', 'must be a whole number between 1 and 365.'));
  }
  const redirect = body['redirect_url'];
  if (redirect !== undefined && redirect !== null) {
    if (typeof redirect !== 'string' || !URL.canParse(redirect)) problems.push(errors.format('redirect_url'));
  }
  const slug = body['template_slug'];
  if (slug !== undefined && slug !== null && slug !== 'invitation' && slug !== 'waitlist_invitation') {
    problems.push(errors.value('template_slug', 'must be one of invitation, waitlist_invitation.'));
  }
  const role = body['role'];
  if (requireRole && (role === undefined || role === null || role === '')) problems.push(errors.missing('role'));
  else if (role !== undefined && role !== null && typeof role !== 'string') problems.push(errors.format('role'));
  const inviter = body['inviter_user_id'];
  if (inviter !== undefined && inviter !== null && typeof inviter !== 'string') problems.push(errors.format('inviter_user_id'));
  if (problems.length > 0) return { item: null, problems };
  return {
    item: {
      emailAddress: normalizeEmail(email as string),
      raw: body,
      publicMetadata: metadata['public_metadata'] ?? {},
      privateMetadata: metadata['private_metadata'] ?? {},
      notify: body['notify'] !== false,
      ignoreExisting: body['ignore_existing'] === true,
      expiresInDays: typeof days === 'number' ? days : 30,
      role: typeof role === 'string' ? role : '',
      inviterUserId: typeof inviter === 'string' ? inviter : null,
    },
    problems: [],
  };
}

/** Clerk keeps the local part as typed and lower-cases the domain; matching is case-insensitive. */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}
