/**
 * Who already has an account (issue 22, item 1): the review and the dry run look every row's email up among the
 * instance's users (GET /v1/users, 100 addresses a call, general limit), and the answer is kept for a while so Send
 * does not ask again. Then the user's choice is applied to those rows: skipped, invited anyway, or (organizations)
 * added as members directly.
 */
import { GENERAL_WINDOW_MS } from '../../../shared/domain/send/limits.ts';
import { EXISTING_CHOICES, type ExistingChoice, type ExistingUsers } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { ClerkApiError } from '../clerk/errors.ts';
import { Failure } from '../failure.ts';

/** Addresses a GET /v1/users call takes (Clerk's limit). */
export const USERS_PER_CALL = 100;
/** How long an answer is kept: the review, a look at it, Send. */
export const KEEP_MS = 30 * 60_000;
/** 429s in a row before the check gives up (each waits Clerk's Retry-After, at most the general window). */
const MAX_WAITS = 5;

export type Account = { userId: string; createdAt: number };
type Known = { account: Account | null; at: number };

export type CheckProgress = (checked: number, total: number) => void;

export function createExistingUsers(deps: { now: () => number; sleep?: (ms: number) => Promise<void> }) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /** instance id → lower-cased email → what Clerk said, and when. */
  const cache = new Map<string, Map<string, Known>>();

  /** The accounts of these emails (lower-cased), asking Clerk only for those not known recently. */
  async function lookUp(
    client: ClerkClient,
    instanceId: string,
    emails: string[],
    progress?: CheckProgress,
  ): Promise<Map<string, Account>> {
    const t = deps.now();
    const known = cache.get(instanceId) ?? new Map<string, Known>();
    cache.set(instanceId, known);
    for (const [e, k] of known) if (k.at < t - KEEP_MS) known.delete(e);
    const ask = [...new Set(emails)].filter((e) => !known.has(e));
    for (let i = 0; i < ask.length; i += USERS_PER_CALL) {
      const chunk = ask.slice(i, i + USERS_PER_CALL);
      const users = await withWaits(() => client.listUsers({ emailAddresses: chunk, limit: USERS_PER_CALL }));
      const at = deps.now();
      for (const e of chunk) known.set(e, { account: null, at });
      for (const u of users)
        for (const e of u.emailAddresses.map((x) => x.toLowerCase()))
          if (chunk.includes(e)) known.set(e, { account: { userId: u.id, createdAt: u.createdAt }, at });
      progress?.(Math.min(ask.length, i + USERS_PER_CALL), ask.length);
    }
    const out = new Map<string, Account>();
    for (const e of emails) {
      const a = known.get(e)?.account;
      if (a) out.set(e, a);
    }
    return out;
  }

  /** Clerk's general limit answers “later”, not “no”: wait as asked (at most its window) and ask again. */
  async function withWaits<T>(call: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof ClerkApiError) || e.status !== 429 || waits >= MAX_WAITS) throw e;
        await sleep(Math.min(GENERAL_WINDOW_MS, (e.retryAfterSeconds ?? 1) * 1000));
      }
    }
  }

  return { lookUp, forget: () => cache.clear() };
}
export type ExistingUsersLookup = ReturnType<typeof createExistingUsers>;

/** The choice asked for, checked against the sheet's kind; absent → the kind's default. */
export function choiceFor(kind: 'app' | 'org', asked: ExistingChoice | undefined): ExistingChoice {
  const offered = EXISTING_CHOICES[kind];
  if (asked === undefined) return offered[0]!;
  if (!offered.includes(asked))
    throw new Failure(
      'invalid_choice',
      kind === 'app'
        ? 'Application sheets cannot add people to an organization: skip them or invite them anyway.'
        : 'Choose “Add them to the organization directly” or “Invite them anyway”.',
    );
  return asked;
}

type Row = { sheetRow: number; email: string; request: RowRequest | null; skipReason?: string };
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Applies the choice to the rows to send whose email has an account (in place) and says what was done. Skipped rows
 * say why; invited ones carry ignore_existing (application: single calls only); added ones carry the user id and
 * no email.
 */
export function applyExisting(
  kind: 'app' | 'org',
  rows: Row[],
  accounts: Map<string, Account>,
  choice: ExistingChoice,
  checked: number,
  error: string | null,
): ExistingUsers {
  const hit: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows) {
    const a = r.request ? accounts.get(r.email.toLowerCase()) : undefined;
    if (!a || !r.request) continue;
    hit.push(r.sheetRow);
    first = Math.min(first, a.createdAt);
    last = Math.max(last, a.createdAt);
    if (choice === 'skip') {
      r.skipReason = `Already has an account (user since ${day(a.createdAt)}): not invited (Clerk would refuse it)`;
      r.request = null;
    } else if (choice === 'add') r.request = { ...r.request, memberUserId: a.userId, notify: false };
    else r.request = kind === 'app' ? { ...r.request, ignoreExisting: true, existingUser: true } : r.request;
  }
  return {
    rows: hit,
    since: hit.length ? { first, last } : null,
    choice,
    choices: EXISTING_CHOICES[kind],
    checked,
    error,
  };
}
