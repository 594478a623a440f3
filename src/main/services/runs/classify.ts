/**
 * What a Clerk error means for the rows of one request, decided by HTTP status and by what the error names,
 * never by a closed list of codes (Clerk's codes changed before and will again; see API.md's corrections).
 */
import { explain } from '../../../shared/domain/send/messages.ts';
import type { RunOp } from '../../../shared/domain/send/limits.ts';
import { boundRetryAfter, GENERAL_WINDOW_SECONDS, HOURLY_WINDOW_SECONDS, retryAfterNote, type ClerkApiError } from '../clerk/errors.ts';
import type { QueuedRow } from './journalTypes.ts';

export type Decision =
  /** `note`: Clerk asked for more than the lane's window, which bounds the wait (“Clerk asked to wait …”). */
  | { kind: 'rate_limited'; retryAfterSeconds: number; note: string | null }
  /** A setting, the key or the inviter is wrong: every row would fail the same way. Pause; never split. */
  | { kind: 'stop'; reason: string }
  /**
   * These rows fail, each with its reason; `duplicates` are said to have a pending invitation already, which may
   * be ours (a bulk call that committed part of its rows). The other rows of the batch go back to the queue.
   */
  | { kind: 'rows'; fail: RowFailure[]; duplicates: RowFailure[] }
  /** Bulk calls cannot bypass existing users: these rows go again on the single lane. */
  | { kind: 'single_lane'; rows: QueuedRow[] }
  /** Revokes: done already (revoked), accepted meanwhile, gone, or not pending (look it up). */
  | { kind: 'revoked_already' }
  | { kind: 'accepted_already' }
  | { kind: 'not_pending' }
  /** Nobody named: halve the batch and try again. */
  | { kind: 'split' }
  /** The organization has no seat for the whole batch: send what fits, fail the rest with why (never pause). */
  | { kind: 'org_full' }
  /** Clerk holds these rows for now (a locked waitlist entry, 409): back to the queue with this note, tried again later. */
  | { kind: 'later'; rows: QueuedRow[]; message: string };

export type RowFailure = { row: QueuedRow; code: string; message: string };

const lower = (v: unknown) => String(v).trim().toLowerCase();

/**
 * Every row an error names, in any element of `errors[]`: by email (meta.email_addresses), by identifier
 * (meta.identifiers) or by index in meta.param_name; each with the code of the element that named it.
 */
export function namedRows(e: ClerkApiError, batch: QueuedRow[]): RowFailure[] {
  const out = new Map<QueuedRow, RowFailure>();
  for (const item of e.errors.length ? e.errors : [{ code: e.code, longMessage: e.longMessage, message: e.message, meta: e.meta }]) {
    const meta = item.meta ?? {};
    const emails = new Set<string>();
    for (const key of ['email_addresses', 'identifiers', 'email_address', 'identifier']) {
      const v = meta[key];
      for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) emails.add(lower(x));
    }
    // e.g. "invitations[3].email_address" or "3.email_address": the element at that index.
    const param = typeof meta['param_name'] === 'string' ? meta['param_name'] : '';
    const m = /(?:^|\[|\.)(\d+)(?:\]|\.|$)/.exec(param);
    const index = m && batch.length > 1 ? Number(m[1]) : -1;
    const message = explain(item.code, `${item.longMessage || item.message} (HTTP ${e.status} ${item.code})`);
    batch.forEach((r, i) => {
      if (!out.has(r) && (emails.has(r.request.emailAddress.toLowerCase()) || i === index))
        out.set(r, { row: r, code: item.code, message });
    });
  }
  return [...out.values()];
}

const isDuplicate = (code: string) => /duplicate|not_unique/.test(code);
const split2 = (named: RowFailure[]): Decision => ({
  kind: 'rows',
  fail: named.filter((n) => !isDuplicate(n.code)),
  duplicates: named.filter((n) => isDuplicate(n.code)),
});
const failAll = (rows: QueuedRow[], code: string, message: string): Decision => ({
  kind: 'rows',
  fail: rows.map((row) => ({ row, code, message })),
  duplicates: [],
});

const codesOf = (e: ClerkApiError) => (e.errors.length ? e.errors.map((x) => x.code) : [e.code]);
const has = (e: ClerkApiError, re: RegExp) => codesOf(e).some((c) => re.test(c));

/**
 * A 429: wait as Clerk asked, at most the lane's window (invitation creates: hourly; revokes and memberships: the
 * general limit's 10 s).
 */
export function rateLimited(e: ClerkApiError, op: RunOp | 'general'): Decision {
  const window = op === 'create' ? HOURLY_WINDOW_SECONDS : GENERAL_WINDOW_SECONDS;
  const wait = boundRetryAfter(e.retryAfterSeconds, window);
  const asked = e.retryAfterAskedSeconds ?? wait.asked;
  const retryAfterSeconds = Math.max(1, wait.seconds ?? Math.min(60, window));
  return { kind: 'rate_limited', retryAfterSeconds, note: asked !== null ? retryAfterNote(asked, retryAfterSeconds) : null };
}

export function classify(e: ClerkApiError, op: RunOp, batch: QueuedRow[], bulk: boolean): Decision {
  const why = (fallback?: string) => explain(e.code, fallback ?? `${e.longMessage || e.message} (HTTP ${e.status} ${e.code})`);
  if (e.status === 429) return rateLimited(e, op);
  if (e.status === 401)
    return { kind: 'stop', reason: explain(e.code, `Clerk refused the key (HTTP 401 ${e.code}): replace it, then resume.`) };

  if (op === 'revoke') {
    if (has(e, /already_revoked/)) return { kind: 'revoked_already' };
    if (has(e, /already_accepted/)) return { kind: 'accepted_already' };
    if (has(e, /not_pending/)) return { kind: 'not_pending' };
    if (e.status === 404)
      return failAll(batch, e.code, 'Clerk has no such invitation (deleted, or from another instance): nothing to revoke.');
    if (e.status === 403) return { kind: 'stop', reason: why() };
    return failAll(batch, e.code, why());
  }

  if (e.status === 403) {
    // About the inviter, the key's permissions or the organization's quota: the same for every row. Never split.
    const named = namedRows(e, batch);
    if (named.length > 0) return split2(named);
    if (has(e, /not_allowed_access/)) return batch.length === 1 ? failAll(batch, e.code, why()) : { kind: 'split' };
    if (has(e, /membership_quota/)) return { kind: 'org_full' };
    return {
      kind: 'stop',
      reason: explain(
        e.code,
        `Clerk refused on permission grounds (HTTP 403 ${e.code}: ${e.longMessage || e.message}). Check the inviter and the organization in the sheet settings, then resume.`,
      ),
    };
  }
  if (e.status === 404) {
    const params = e.errors.map((x) => x.meta?.['param_name']);
    if (params.includes('role')) {
      const roles = new Set(batch.map((r) => r.request.role ?? ''));
      if (roles.size === 1 || batch.length === 1)
        return failAll(
          batch,
          'role_not_found',
          `Clerk does not know the role “${[...roles][0] ?? ''}” in this organization’s role set: pick one of its roles.`,
        );
      return { kind: 'split' };
    }
    return {
      kind: 'stop',
      reason: explain('resource_not_found', 'Clerk does not know this organization: pick it again in the sheet settings.'),
    };
  }
  if (has(e, /dev_monthly_email_limit/)) return { kind: 'stop', reason: why() };

  // Row problems (400, 409, 422): set aside whom Clerk names; split only when nobody is named.
  const named = namedRows(e, batch);
  if (named.length > 0) return split2(named);
  if (batch.length === 1) {
    const row = batch[0]!;
    // The spec: a bulk call cannot bypass an existing user, a single one can. The lane must not decide the outcome.
    if (bulk && row.request.ignoreExisting && has(e, /identifier_exists/)) return { kind: 'single_lane', rows: [row] };
    return split2([{ row, code: e.code, message: why() }]);
  }
  return { kind: 'split' };
}
