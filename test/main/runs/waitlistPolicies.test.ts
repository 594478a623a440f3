/**
 * The waitlist operations' policies on the in-memory twin of the store with a scripted Clerk (issue 23): an answer
 * lost after Clerk invited is looked up (the entry's status) and never asked again; a lookup that finds nothing yet
 * is asked again before the resend; a locked entry waits and goes again, saying so; a refusal for an entry someone
 * else invited meanwhile is done with a note, not a failure.
 */
import { describe, expect, it } from 'vitest';
import type { ClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../../../src/main/services/clerk/errors.ts';
import type { WaitlistEntry } from '../../../src/main/services/clerk/types.ts';
import type { RowRequest } from '../../../src/shared/domain/sheet/validate.ts';
import type { memoryRunStore } from '../../helpers/memoryRunStore.ts';
import { engineOnTwin } from '../../helpers/twinEngine.ts';

type Script = 'ok' | 'commit-then-timeout' | 'timeout' | 'locked' | { status: number; code: string };

/** A scripted waitlist: entries by id, each invite answered as the script says for that call. */
function scriptedWaitlist(n: number, script: (call: number, id: string) => Script) {
  const now = () => Date.now();
  const entries = new Map<string, WaitlistEntry>(
    Array.from({ length: n }, (_, i) => {
      const id = `wle_${i}`;
      return [
        id,
        { id, emailAddress: `e${i}@twin.test`, status: 'pending', isLocked: false, createdAt: 1, updatedAt: 1, invitation: null },
      ];
    }),
  );
  const invites: string[] = [];
  const lookups: string[] = [];
  let calls = 0;
  const commit = (id: string, t = now()) => {
    const e = entries.get(id)!;
    entries.set(id, {
      ...e,
      status: 'invited',
      updatedAt: t,
      invitation: {
        id: `inv_${id}`,
        emailAddress: e.emailAddress,
        publicMetadata: {},
        status: 'pending',
        revoked: false,
        url: null,
        expiresAt: null,
        createdAt: t,
        updatedAt: t,
      },
    });
  };
  const client = {
    async inviteWaitlistEntry(id: string) {
      invites.push(id);
      const a = script(calls++, id);
      if (a === 'timeout') throw new ClerkTransportError('timeout', 'Clerk did not answer in time');
      if (a === 'commit-then-timeout') {
        commit(id);
        throw new ClerkTransportError('timeout', 'Clerk did not answer in time');
      }
      if (a === 'locked')
        throw new ClerkApiError({
          status: 409,
          errors: [{ code: 'waitlist_entry_locked', message: 'locked', longMessage: 'locked', meta: {} }],
          retryAfterSeconds: null,
          traceId: null,
        });
      if (a !== 'ok')
        throw new ClerkApiError({
          status: a.status,
          errors: [{ code: a.code, message: a.code, longMessage: a.code, meta: {} }],
          retryAfterSeconds: null,
          traceId: null,
        });
      commit(id);
      return entries.get(id)!;
    },
    async listWaitlistEntries(p: { query?: string }) {
      lookups.push(p.query ?? '');
      const e = entries.get(p.query ?? '');
      return { data: e ? [e] : [], totalCount: e ? 1 : 0 };
    },
  } as unknown as ClerkClient;
  return { client, entries, invites, lookups, commit };
}

const rows = (n: number): RowRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    emailAddress: `e${i}@twin.test`,
    publicMetadata: {},
    privateMetadata: {},
    notify: true,
    ignoreExisting: false,
    waitlistEntryId: `wle_${i}`,
    waitlistPace: 'general',
  }));

async function drive(
  n: number,
  clerk: ReturnType<typeof scriptedWaitlist>,
  watch?: (store: ReturnType<typeof memoryRunStore>, runId: string) => void,
) {
  let store: ReturnType<typeof memoryRunStore> | null = null;
  const twin = engineOnTwin({ clientFor: async () => clerk.client, emit: (p) => store && watch?.(store, p.id) });
  store = twin.store;
  const { id, run } = await twin.launch(rows(n), { op: 'waitlist_invite', environment: 'development' });
  return { run, store: twin.store, id };
}

describe('waitlist policies (in-memory store, scripted Clerk)', () => {
  it('an invite whose answer was lost after Clerk invited is looked up and recorded, never asked again', async () => {
    const clerk = scriptedWaitlist(3, (call) => (call === 1 ? 'commit-then-timeout' : 'ok'));
    const { run } = await drive(3, clerk);
    expect(run).toMatchObject({ state: 'finished', counts: { sent: 3, failed: 0 } });
    expect(clerk.invites).toEqual(['wle_0', 'wle_1', 'wle_2']);
    expect(clerk.lookups).toContain('wle_1');
  });

  it('an invite that never reached Clerk is looked up before the resend, then sent once', async () => {
    const clerk = scriptedWaitlist(2, (call) => (call === 0 ? 'timeout' : 'ok'));
    const { run } = await drive(2, clerk);
    expect(run.counts).toMatchObject({ sent: 2, failed: 0 });
    expect(clerk.invites.filter((x) => x === 'wle_0')).toHaveLength(2);
    // Looked up after the grace and again right before the resend.
    expect(clerk.lookups.filter((x) => x === 'wle_0').length).toBeGreaterThanOrEqual(2);
    expect([...clerk.entries.values()].every((e) => e.status === 'invited')).toBe(true);
  });

  it('a locked entry waits and is tried again until Clerk frees it; the others are not held up', async () => {
    let locks = 0;
    const clerk = scriptedWaitlist(3, (_call, id) => (id === 'wle_0' && locks++ < 3 ? 'locked' : 'ok'));
    const seen: (string | null)[] = [];
    const { run, store, id } = await drive(3, clerk, (s, runId) => seen.push(...s.messages(runId)));
    expect(run.counts).toMatchObject({ sent: 3, failed: 0 });
    expect(clerk.invites.filter((x) => x === 'wle_0')).toHaveLength(4);
    expect(seen.some((m) => m !== null && /Locked in Clerk/.test(m))).toBe(true);
    expect(clerk.invites.indexOf('wle_1')).toBeLessThan(clerk.invites.lastIndexOf('wle_0'));
    expect(await store.journal.queued(id, Date.now())).toEqual([]);
  });

  it('a refusal for an entry invited by someone else meanwhile is done with a note; an unknown entry fails with the next step', async () => {
    const clerk = scriptedWaitlist(3, (_call, id) =>
      id === 'wle_0'
        ? { status: 400, code: 'waitlist_entry_already_invited' }
        : id === 'wle_2'
          ? { status: 404, code: 'resource_not_found' }
          : 'ok',
    );
    clerk.commit('wle_0', Date.now() - 3_600_000); // invited in Clerk's dashboard since the sync, an hour ago
    const { run, store, id } = await drive(3, clerk);
    expect(run.counts).toMatchObject({ sent: 2, failed: 1 });
    const [first, , third] = store.rows(id);
    expect(first).toMatchObject({ state: 'sent', invitationId: 'inv_wle_0' });
    expect(first!.message).toMatch(/^Already invited/);
    expect(third).toMatchObject({ state: 'failed' });
    expect(third!.message).toMatch(/sync the waitlist/);
    expect(clerk.invites.filter((x) => x === 'wle_0')).toHaveLength(1);
  });
});
