/**
 * The run engine's storage contract, run against every implementation of the port: SQLite, the team's PostgreSQL and
 * the in-memory twin.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import type { RunStore } from '../../../src/main/services/runs/engine/ports.ts';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import { sqliteRunStore } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { createQuotaStore } from '../../../src/main/services/runs/quotaStore.ts';
import { NoSlotError } from '../../../src/main/services/runs/journalTypes.ts';
import { createRunsRepo, LeaseLostError, ProfileBusyError, type NewRun } from '../../../src/main/services/runs/runsRepo.ts';
import type { RunOp } from '../../../src/shared/domain/send/limits.ts';
import { memoryRunStore } from '../../helpers/memoryRunStore.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dir = makeTempDir();
const pools: { end(): Promise<void> }[] = [];
afterAll(async () => {
  dir.remove();
  await Promise.all(pools.map((p) => p.end()));
});
const makers: [string, () => Promise<RunStore>][] = [
  [
    'SQLite',
    async () => {
      const db = openDatabase(join(dir.path, `${randomUUID()}.sqlite`));
      return sqliteRunStore(createRunsRepo(db), createQuotaStore(db));
    },
  ],
  [
    'PostgreSQL (team workspace)',
    async () => {
      const pool = await freshPgPool();
      pools.push(pool);
      await migratePg(pool);
      return pgRunStore(pool, { clock: 'caller' }); // the contract's fixed times (the app: the server's clock)
    },
  ],
  ['in-memory twin', async () => memoryRunStore()],
];

const newRun = (
  id: string,
  o: { profileId?: string; instanceId?: string; op?: RunOp; emails?: string[]; notify?: boolean; skip?: number } = {},
): NewRun => ({
  id,
  profileId: o.profileId ?? 'p1',
  profileName: o.profileId ?? 'p1',
  environment: 'development',
  instanceId: o.instanceId ?? (o.profileId === undefined || o.profileId === 'p1' ? 'ins_1' : `ins_${o.profileId}`),
  kind: 'app',
  op: o.op ?? 'create',
  organizationId: null,
  organizationName: null,
  sheetId: null,
  sheetName: `sheet ${id}`,
  options: { settings: null, columns: [] },
  windowMs: 1000,
  createdAt: 1,
  rows: [
    ...(o.emails ?? ['a@x.test', 'b@x.test', 'c@x.test']).map((e, i) => ({
      sheetRow: i,
      email: e,
      request: appRequest(e, { notify: o.notify ?? false }),
    })),
    ...Array.from({ length: o.skip ?? 0 }, (_, i) => ({
      sheetRow: 100 + i,
      email: `skip${i}@x.test`,
      request: null,
      skipReason: 'not ready',
    })),
  ],
});

describe.each(makers)('run store contract: %s', (_name, make) => {
  it('a new run is created claimed by its owner, its rows queued or skipped and counted', async () => {
    const s = await make();
    await s.runs.create(newRun('r1', { skip: 1 }), 10, 'A');
    const run = await s.runs.get('r1');
    expect(run).toMatchObject({ state: 'running', op: 'create', counts: { queued: 3, skipped: 1, total: 4 } });
    expect(await s.runs.leaseOf('r1')).toEqual({ owner: 'A', at: 10 });
    expect(await s.runs.windowOf('r1')).toBe(1000);
    expect((await s.journal.queued('r1', 0)).map((r) => r.email)).toEqual(['a@x.test', 'b@x.test', 'c@x.test']);
    expect(await s.runs.get('nope')).toBeNull();
  });

  it('one running run per profile: a second is refused, at creation and when resumed', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await expect(s.runs.create(newRun('r2'), 11, 'A')).rejects.toBeInstanceOf(ProfileBusyError);
    await s.runs.create(newRun('r3', { profileId: 'p2' }), 12, 'A');
    await s.runs.setState('r3', 'paused', 13, 'Paused by you');
    await s.runs.setState('r1', 'paused', 13);
    await s.runs.create(newRun('r4', { profileId: 'p2' }), 14, 'A');
    await expect(s.runs.acquire('r3', 'A', 15, 1000)).rejects.toBeInstanceOf(ProfileBusyError);
    expect((await s.runs.withState('paused')).map((r) => r.id)).toEqual(['r1', 'r3']);
  });

  it('profiles of one instance share one claim: a run of another profile of the instance is refused, naming it', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await expect(s.runs.create(newRun('r2', { profileId: 'legacy', instanceId: 'ins_1' }), 11, 'A')).rejects.toMatchObject({
      name: 'ProfileBusyError',
      runId: 'r1',
      profileName: 'p1',
    });
    await s.runs.setState('r1', 'paused', 12);
    await s.runs.create(newRun('r3', { profileId: 'legacy', instanceId: 'ins_1' }), 13, 'A');
    await expect(s.runs.acquire('r1', 'A', 14, 1000)).rejects.toMatchObject({ name: 'ProfileBusyError', profileName: 'legacy' });
  });

  it('a request is journaled before it goes: rows in flight, an attempt, its quota use; never without the lease', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await expect(s.journal.claim('r1', 'ins_1', 'app.bulk', [0, 1], 20, 'B')).rejects.toBeInstanceOf(LeaseLostError);
    expect((await s.runs.get('r1'))?.counts.inflight).toBe(0);
    const req = await s.journal.claim('r1', 'ins_1', 'app.bulk', [0, 1], 20, 'A');
    expect((await s.journal.inflight('r1', 0)).map((r) => [r.idx, r.attempts, r.requestId, r.requestStartedAt])).toEqual([
      [0, 1, req, 20],
      [1, 1, req, 20],
    ]);
    expect(await s.quota.ledger('ins_1', 'app.bulk', 1000, 25)).toEqual({ sent: [20], blockedUntil: 0 });
    // Answered later: its quota use counts from the answer, so the window never opens early.
    await s.journal.finishRequest(req, 'ok', 30);
    expect(await s.quota.ledger('ins_1', 'app.bulk', 1000, 35)).toEqual({ sent: [30], blockedUntil: 0 });
    expect(await s.quota.ledger('ins_1', 'app.bulk', 1000, 1031)).toEqual({ sent: [], blockedUntil: 0 });
  });

  it('a paced claim takes its slot in the ledger in the same step, or refuses writing nothing (two claims at once: one)', async () => {
    const s = await make();
    await s.runs.create(newRun('r1', { emails: ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test'] }), 10, 'A');
    const pace = { limit: 2, windowMs: 1000 };
    await s.journal.claim('r1', 'ins_1', 'app.single', [0], 20, 'A', pace);
    const both = await Promise.allSettled([
      s.journal.claim('r1', 'ins_1', 'app.single', [1], 30, 'A', pace),
      s.journal.claim('r1', 'ins_1', 'app.single', [2], 30, 'A', pace),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(NoSlotError);
    // The slot opens when the oldest of the two ages out of the window (plus the margin).
    expect((refused.reason as NoSlotError).at).toBeGreaterThanOrEqual(1020);
    expect((await s.quota.ledger('ins_1', 'app.single', 1000, 40)).sent).toEqual([20, 30]);
    expect((await s.runs.get('r1'))?.counts).toMatchObject({ inflight: 2, queued: 2 });
    // Another endpoint has its own window.
    await s.journal.claim('r1', 'ins_1', 'app.bulk', [3], 40, 'A', pace);
  });

  it('outcomes: sent with its invitation, failed with its reason, unknown since the first unknown request', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await s.journal.claim('r1', 'ins_1', 'app.bulk', [0, 1, 2], 20, 'A');
    await s.journal.markSent('r1', [{ idx: 0, invitationId: 'inv_1', status: 'pending', url: 'https://x', expiresAt: 99 }], 21);
    await s.journal.markFailed('r1', [{ idx: 1, code: 'form_param_format_invalid', message: 'bad' }], 21);
    await s.journal.markUnknown('r1', [2], 20, 20);
    await s.journal.markUnknown('r1', [2], 40, 40);
    expect((await s.journal.inflight('r1', 40)).map((r) => [r.idx, r.unknownSince])).toEqual([[2, 20]]);
    expect((await s.runs.get('r1'))?.counts).toMatchObject({ sent: 1, failed: 1, inflight: 1 });
  });

  it('requeue: back to the queue later, in halves, with its attempt refunded', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await s.journal.claim('r1', 'ins_1', 'app.bulk', [0, 1], 20, 'A');
    // Backoff waits are jittered: a fraction of a millisecond is kept, not refused.
    await s.journal.requeue('r1', [0], 21, { notBefore: 500.25, split: 1, refund: true });
    await s.journal.requeue('r1', [1], 21, {});
    const q = await s.journal.queued('r1', 0);
    expect(q.map((r) => [r.idx, r.attempts, r.notBefore, r.split])).toEqual([
      [0, 0, 500.25, 1],
      [1, 1, 0, 10],
      [2, 0, 0, 10],
    ]);
  });

  it('leases: a fresh one is refused with who holds it, a stale one taken over; the old holder cannot renew', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    expect(await s.runs.acquire('r1', 'B', 500, 1000)).toEqual({ heldBy: 'A', renewedAt: 10 });
    expect(await s.runs.renewLease('r1', 'A', 600)).toBe(true);
    expect(await s.runs.acquire('r1', 'B', 1700, 1000)).toBeNull();
    expect(await s.runs.renewLease('r1', 'A', 1800)).toBe(false);
    await s.runs.releaseLease('r1', 'A');
    expect((await s.runs.leaseOf('r1')).owner).toBe('B');
    await s.runs.releaseLease('r1', 'B');
    expect(await s.runs.leaseOf('r1')).toEqual({ owner: null, at: null });
  });

  it('ending: cancel counts the rows not sent, a final state hands the lease back', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await s.journal.claim('r1', 'ins_1', 'app.single', [0], 20, 'A');
    expect(await s.journal.cancelQueued('r1', 30)).toBe(2);
    await s.runs.setState('r1', 'cancelled', 31, '2 rows were not sent');
    expect(await s.runs.get('r1')).toMatchObject({ state: 'cancelled', finishedAt: 31, pauseReason: '2 rows were not sent' });
    expect(await s.runs.leaseOf('r1')).toEqual({ owner: null, at: null });
  });

  it('discard: a run that never asked Clerk is gone; one that did stays, interrupted', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10, 'A');
    await s.runs.discard('r1');
    expect(await s.runs.get('r1')).toBeNull();
    await s.runs.create(newRun('r2'), 10, 'A');
    await s.journal.claim('r2', 'ins_1', 'app.single', [0], 20, 'A');
    await s.runs.discard('r2');
    expect((await s.runs.get('r2'))?.state).toBe('interrupted');
  });

  it('emails sent from an instance: notify rows sent since a time, not +clerk_test, not revokes', async () => {
    const s = await make();
    await s.runs.create(newRun('r1', { notify: true, emails: ['a@x.test', 'b+clerk_test@x.test', 'c@x.test'] }), 10, 'A');
    await s.journal.claim('r1', 'ins_1', 'app.bulk', [0, 1, 2], 20, 'A');
    await s.journal.markSent(
      'r1',
      [0, 1, 2].map((idx) => ({ idx, invitationId: `inv_${idx}`, status: 'pending', url: null })),
      30,
    );
    await s.runs.setState('r1', 'finished', 31);
    await s.runs.create(newRun('r2', { notify: true, op: 'revoke' }), 40, 'A');
    await s.journal.claim('r2', 'ins_1', 'general', [0], 41, 'A');
    await s.journal.markSent('r2', [{ idx: 0, invitationId: 'inv_0', status: 'revoked', url: null }], 42);
    expect(await s.journal.emailsSince('ins_1', 0)).toBe(2);
    expect(await s.journal.emailsSince('ins_1', 31)).toBe(0);
    expect(await s.journal.emailsSince('ins_2', 0)).toBe(0);
  });

  it('Retry-After blocks an endpoint until the latest time asked', async () => {
    const s = await make();
    await s.quota.block('ins_1', 'app.single', 500, 0);
    await s.quota.block('ins_1', 'app.single', 300, 0);
    expect((await s.quota.ledger('ins_1', 'app.single', 1000, 0)).blockedUntil).toBe(500);
    expect((await s.quota.ledger('ins_1', 'app.bulk', 1000, 0)).blockedUntil).toBe(0);
    // A block from before Retry-After was bounded never holds longer than one window.
    await s.quota.block('ins_1', 'app.bulk', 1_000_000_000_000, 0);
    expect((await s.quota.ledger('ins_1', 'app.bulk', 1000, 50)).blockedUntil).toBe(1050);
  });

  it('a read outside a run takes a slot of its instance and endpoint in one step: two at once never both take the last', async () => {
    const s = await make();
    const pace = { limit: 2, windowMs: 10_000 };
    expect(await s.quota.take('ins_1', 'general', pace, 100)).toBe(0);
    expect(await s.quota.take('ins_2', 'general', pace, 150)).toBe(0);
    // One slot left: asked twice at once, one takes it and the other is told when the next one opens.
    const both = await Promise.all([s.quota.take('ins_1', 'general', pace, 200), s.quota.take('ins_1', 'general', pace, 200)]);
    expect(both.filter((x) => x === 0)).toHaveLength(1);
    expect(both.find((x) => x !== 0)).toBeGreaterThan(10_000); // once the window has room again
    expect((await s.quota.ledger('ins_1', 'general', 10_000, 1_000)).sent).toEqual([100, 200]);
    expect((await s.quota.ledger('ins_1', 'app.bulk', 10_000, 1_000)).sent).toEqual([]);
    // A run's paced claim waits for the reads too.
    await s.runs.create(newRun('r1', { op: 'revoke' }), 300, 'A');
    await expect(s.journal.claim('r1', 'ins_1', 'general', [0], 300, 'A', { limit: 2, windowMs: 10_000 })).rejects.toBeInstanceOf(
      NoSlotError,
    );
  });

  it('the clock set back: ledger, blocks, waits, unknown-outcome times and open requests keep their moments', async () => {
    const s = await make();
    await s.runs.create(newRun('r1'), 10_000, 'A');
    const req = await s.journal.claim('r1', 'ins_1', 'app.bulk', [0], 10_000, 'A');
    await s.journal.markUnknown('r1', [0], 10_000, 10_000);
    await s.journal.requeue('r1', [1], 10_000, { notBefore: 15_000 });
    await s.quota.block('ins_1', 'app.single', 20_000, 10_000);
    await s.quota.shift(-5_000);
    await s.journal.shiftTimes(-5_000);
    expect(await s.quota.ledger('ins_1', 'app.bulk', 100_000, 6_000)).toEqual({ sent: [5_000], blockedUntil: 0 });
    expect((await s.quota.ledger('ins_1', 'app.single', 100_000, 6_000)).blockedUntil).toBe(15_000);
    expect((await s.journal.inflight('r1', 6_000)).map((r) => [r.requestId, r.requestStartedAt, r.unknownSince])).toEqual([
      [req, 5_000, 5_000],
    ]);
    expect((await s.journal.queued('r1', 6_000)).find((r) => r.idx === 1)?.notBefore).toBe(10_000);
  });
});
