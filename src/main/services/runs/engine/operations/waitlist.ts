/**
 * Waitlist runs (issue 23): invite entries (`POST …/{id}/invite`, a real application invitation), reject them, or add
 * addresses (`POST …/bulk`). One entry a request for invite and reject, on the general limit, or for invites also on
 * the hourly invitation budget when the run assumes `/invite` draws it (the row's `waitlistPace`). Never twice: an
 * unknown outcome is looked up by the entry's status before any retry; an entry already where the run would put it
 * is done with a note; a locked entry (409) waits and is tried again, saying so.
 */
import { emailKey } from '../../../../../shared/domain/email.ts';
import { GENERAL_LANE } from '../../../../../shared/domain/send/limits.ts';
import { WAITLIST_BUDGET_LANE, WAITLIST_BULK_LANE } from '../../../../../shared/domain/waitlist/runs.ts';
import { explain } from '../../../../../shared/domain/send/messages.ts';
import type { RowRequest } from '../../../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../../../clerk/client.ts';
import type { ClerkApiError } from '../../../clerk/errors.ts';
import type { WaitlistEntry } from '../../../clerk/types.ts';
import { classify, rateLimited, type Decision } from '../../classify.ts';
import type { QueuedRow } from '../../journalTypes.ts';
import type { BatchAnswer, Created, Found, Operation } from '../operation.ts';
import { noStatus } from './shared.ts';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
export const LOCKED_NOTE = 'Locked in Clerk (being processed in a batch action): tried again later.';

/** The entry as Clerk has it now (null: gone), asked by its id. */
async function entryNow(client: ClerkClient, row: RowRequest): Promise<WaitlistEntry | null> {
  const id = row.waitlistEntryId ?? '';
  const page = await client.listWaitlistEntries({ query: id, limit: 10 });
  return page.data.find((e) => e.id === id) ?? null;
}

const createdOf = (row: RowRequest, e: WaitlistEntry, useInvitation: boolean): Created => ({
  email: row.emailAddress,
  id: useInvitation && e.invitation ? e.invitation.id : e.id,
  status: useInvitation && e.invitation ? e.invitation.status : e.status,
  url: useInvitation && e.invitation ? e.invitation.url : null,
  expiresAt: useInvitation && e.invitation ? e.invitation.expiresAt : null,
  createdAt: useInvitation && e.invitation ? e.invitation.createdAt : e.updatedAt,
});

const has = (e: ClerkApiError, re: RegExp) => (e.errors.length ? e.errors.map((x) => x.code) : [e.code]).some((c) => re.test(c));

/**
 * A waitlist error for its one entry: 429 waits (the invitation budget's window on that pace), a bad key stops, a
 * locked entry (409) waits and goes again, an unknown entry fails its row, and any other refusal is looked up
 * (the entry may already be where the run would put it: ours after a lost answer, or someone else's doing).
 */
export function classifyEntry(e: ClerkApiError, batch: QueuedRow[]): Decision {
  const row = batch[0]!;
  if (e.status === 429) return rateLimited(e, row.request.waitlistPace === 'invitations' ? 'create' : 'general');
  if (e.status === 401 || e.status === 403) return classify(e, 'revoke', batch, false);
  if (e.status === 409 || has(e, /locked/)) return { kind: 'later', rows: batch, message: LOCKED_NOTE };
  if (e.status === 404)
    return {
      kind: 'rows',
      fail: [{ row, code: e.code, message: 'Clerk has no such waitlist entry (deleted since the last sync): sync the waitlist.' }],
      duplicates: [],
    };
  return {
    kind: 'rows',
    fail: [],
    duplicates: [{ row, code: e.code, message: explain(e.code, `${e.longMessage || e.message} (HTTP ${e.status} ${e.code})`) }],
  };
}

/** Finds the entry where the run would put it (`goal`), else null (then Clerk's refusal stands, or it is sent again). */
function lookUpEntry(goal: readonly string[], already: (e: WaitlistEntry) => string, useInvitation: boolean) {
  return async (client: ClerkClient, row: RowRequest): Promise<Found> => {
    const e = await entryNow(client, row);
    if (!e || !goal.includes(e.status)) return null;
    const c = createdOf(row, e, useInvitation);
    return { id: c.id, status: c.status, url: c.url, createdAt: c.createdAt, already: already(e) };
  };
}

export const waitlistInvite: Operation = {
  kind: 'app',
  op: 'waitlist_invite',
  lanes: [GENERAL_LANE, WAITLIST_BUDGET_LANE],
  accepts: (lane, row) => (lane.endpoint === WAITLIST_BUDGET_LANE.endpoint) === (row.waitlistPace === 'invitations'),
  sendsEmail: true,
  async send(client, _lane, rows) {
    const row = rows[0]!;
    const e = await client.inviteWaitlistEntry(row.waitlistEntryId ?? '', { ignoreExisting: row.ignoreExisting });
    // A 200 that does not show this entry invited, with its invitation, is an unknown outcome: looked up.
    const proves = e.id === row.waitlistEntryId && (e.status === 'invited' || e.status === 'completed') && e.invitation !== null;
    return proves ? { done: [{ index: 0, created: createdOf(row, e, true) }], unknown: [] } : { done: [], unknown: [0] };
  },
  classify: (e, batch) => classifyEntry(e, batch),
  lookUp: lookUpEntry(
    ['invited', 'completed'],
    (e) => `Already ${e.status} (since ${day(e.invitation?.createdAt ?? e.updatedAt)}): no new invitation.`,
    true,
  ),
  statusNow: noStatus,
};

export const waitlistReject: Operation = {
  kind: 'app',
  op: 'waitlist_reject',
  lanes: [GENERAL_LANE],
  sendsEmail: false,
  async send(client, _lane, rows) {
    const row = rows[0]!;
    const e = await client.rejectWaitlistEntry(row.waitlistEntryId ?? '');
    const proves = e.id === row.waitlistEntryId && e.status === 'rejected';
    return proves ? { done: [{ index: 0, created: createdOf(row, e, false) }], unknown: [] } : { done: [], unknown: [0] };
  },
  classify: (e, batch) => classifyEntry(e, batch),
  lookUp: lookUpEntry(['rejected'], (e) => `Already rejected (since ${day(e.updatedAt)}): nothing to do.`, false),
  statusNow: noStatus,
};

/** What an add answered for each address: the entry, and a note when it was on the waitlist before this call. */
export function addAnswer(rows: RowRequest[], entries: WaitlistEntry[]): BatchAnswer {
  const byKey = new Map(entries.map((e) => [emailKey(e.emailAddress), e]));
  // New entries are stamped with this call's time; one older than the newest by over a minute was there before.
  const newest = Math.max(0, ...entries.map((e) => e.createdAt));
  const done: BatchAnswer['done'] = [];
  const unknown: number[] = [];
  rows.forEach((row, index) => {
    const e = byKey.get(emailKey(row.emailAddress));
    if (!e || !/^[a-z]+_[A-Za-z0-9]+$/.test(e.id)) return void unknown.push(index);
    const before = e.status !== 'pending' || e.createdAt < newest - 60_000;
    const note = before ? `Already on the waitlist (${e.status}, since ${day(e.createdAt)}): returned as it was.` : undefined;
    done.push({ index, created: { ...createdOf(row, e, false), createdAt: e.createdAt, ...(note ? { note } : {}) } });
  });
  return { done, unknown };
}

export const waitlistAdd: Operation = {
  kind: 'app',
  op: 'waitlist_add',
  lanes: [WAITLIST_BULK_LANE],
  sendsEmail: false,
  send: async (client, _lane, rows) =>
    addAnswer(rows, await client.createWaitlistEntriesBulk(rows.map((r) => ({ emailAddress: r.emailAddress, notify: r.notify })))),
  classify: (e, batch, bulk) =>
    e.status === 409 ? { kind: 'later', rows: batch, message: LOCKED_NOTE } : classify(e, 'create', batch, bulk),
  async lookUp(client, row) {
    const page = await client.listWaitlistEntries({ query: row.emailAddress, limit: 10 });
    const e = page.data.find((x) => emailKey(x.emailAddress) === emailKey(row.emailAddress));
    if (!e) return null;
    return {
      id: e.id,
      status: e.status,
      url: null,
      createdAt: e.createdAt,
      already: `Already on the waitlist (${e.status}, since ${day(e.createdAt)}).`,
    };
  },
  statusNow: noStatus,
};
