/**
 * Each policy of the run core on its own, against the in-memory twin of the store and a scripted Clerk: outcomes,
 * unknown outcomes, pacing, progress. (The same engine runs against SQLite and the emulator in the other suites.)
 */
import { describe, expect, it } from 'vitest';
import type { EngineDeps } from '../../../src/main/services/runs/engine.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { newRun } from '../../helpers/newRun.ts';
import { engineOnTwin } from '../../helpers/twinEngine.ts';

function setup(o: Partial<EngineDeps> & { rows?: number } = {}) {
  const twin = engineOnTwin(o);
  const emails = Array.from({ length: o.rows ?? 5 }, (_, i) => `user${i}@policy.test`);
  const launch = () => twin.launch(emails.map((e) => appRequest(e)));
  return { ...twin, emails, launch };
}

describe('run core policies (in-memory store, scripted Clerk)', () => {
  it('outcomes: a bulk error naming one row fails that row with its reason; the others go again and are sent', async () => {
    const s = setup({ limits: { 'app.single': 0 } });
    s.clerk.answer((call) => (call === 0 ? { status: 422, code: 'form_param_format_invalid', emails: ['user2@policy.test'] } : 'ok'));
    const { run } = await s.launch();
    expect(run).toMatchObject({ state: 'finished', counts: { sent: 4, failed: 1 } });
    expect(s.clerk.perEmail().get('user2@policy.test')).toBeUndefined();
    expect(s.clerk.creates).toHaveLength(2);
  });

  it('unknown outcomes: a request Clerk committed without answering is found after the grace, never sent again', async () => {
    const s = setup({ limits: { 'app.single': 0 } });
    s.clerk.answer((call) => (call === 0 ? 'commit-then-timeout' : 'ok'));
    const { run } = await s.launch();
    expect(run).toMatchObject({ state: 'finished', counts: { sent: 5 } });
    expect([...s.clerk.perEmail().values()]).toEqual([1, 1, 1, 1, 1]);
    expect(s.clerk.creates).toHaveLength(1);
    expect(s.events.some((e) => e.waitReason?.startsWith('Waiting before checking with Clerk'))).toBe(true);
  });

  it('unknown outcomes: not found after the grace → resent once; still unknown after the attempt cap → never resent', async () => {
    const s = setup({ limits: { 'app.single': 0 }, maxAttempts: 3 });
    s.clerk.answer((call) => (call === 0 ? 'timeout' : 'ok'));
    const first = await s.launch();
    expect(first.run.counts.sent).toBe(5);
    expect([...s.clerk.perEmail().values()]).toEqual([1, 1, 1, 1, 1]);

    const never = setup({ limits: { 'app.single': 0 }, maxAttempts: 3 });
    never.clerk.answer(() => 'timeout');
    const { run } = await never.launch();
    expect(run.counts).toMatchObject({ failed: 5, sent: 0 });
    // Each row asked Clerk exactly maxAttempts times, then ended “unknown: check in Clerk”.
    const asks = never.clerk.creates.flat();
    expect(never.emails.map((e) => asks.filter((x) => x === e).length)).toEqual([3, 3, 3, 3, 3]);
  });

  it('lanes: a lane that finds the last rows taken by the other while it read its ledger ends with the run', async () => {
    // The single lane's first ledger read is answered only once the bulk lane has sent every row and said so (a
    // team database answers late; a run on it stayed 'running' up to a minute with nothing left to send).
    let release = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    const twin = engineOnTwin({ emit: (p) => void (p.counts.sent === 3 && release()) });
    const read = twin.store.quota.ledger.bind(twin.store.quota);
    let held = false;
    twin.store.quota.ledger = async (instanceId, endpoint, windowMs, now) => {
      if (endpoint === 'app.single' && !held) {
        held = true;
        await answered;
      }
      return read(instanceId, endpoint, windowMs, now);
    };
    const started = Date.now();
    const { run } = await twin.launch(
      ['a', 'b', 'c'].map((e) => appRequest(`${e}@lanes.test`)),
      { windowMs: 3_600_000 },
    );
    expect(run).toMatchObject({ state: 'finished', counts: { sent: 3 } });
    expect(twin.clerk.creates).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 70_000);

  it('lanes: a lane whose batch came back empty wakes the lane that waited for it (a run on PostgreSQL stalled a minute)', async () => {
    // The bulk lane reads whether the single lane has room (a team database answers late) with the run's first
    // request counted as going; the single lane sees that and waits for it. The bulk lane then finds its one row is
    // the single lane's (split 1, room on single) and takes nothing: unless it says so, the single lane sleeps a minute.
    const twin = engineOnTwin({ unknownGraceMs: 30 });
    const read = twin.store.quota.ledger.bind(twin.store.quota);
    let singleReads = 0;
    twin.store.quota.ledger = async (instanceId, endpoint, windowMs, now) => {
      if (endpoint === 'app.single' && ++singleReads === 2) await new Promise<void>((resolve) => setTimeout(resolve)); // the bulk lane's read, late
      return read(instanceId, endpoint, windowMs, now);
    };
    const id = 'run-split-one';
    const t = Date.now();
    await twin.store.runs.create(newRun(id, [appRequest('solo@lanes.test')], { environment: 'production', windowMs: 3_600_000 }), t, null);
    await twin.store.journal.requeue(id, [0], t, { split: 1 });
    const started = Date.now();
    await twin.engine.start(id);
    await twin.engine.settled(id);
    expect(await twin.store.runs.get(id)).toMatchObject({ state: 'finished', counts: { sent: 1 } });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 70_000);

  it('pacing: a lane waits for its window (and says so) instead of drawing a 429', async () => {
    const s = setup({ limits: { 'app.bulk': 1, 'app.single': 0 }, rows: 12 });
    const { run } = await s.launch();
    expect(run.counts.sent).toBe(12);
    expect(s.clerk.creates.map((c) => c.length)).toEqual([10, 2]);
    const waited = s.events.find((e) => e.waitReason === 'Hourly limit of bulk invitations');
    expect(waited?.waitUntil).toBeGreaterThan(waited!.createdAt);
  });

  it('pacing: a 429 blocks the endpoint for its Retry-After and the rows go again, once each', async () => {
    const s = setup({ limits: { 'app.single': 0 } });
    s.clerk.answer((call) => (call === 0 ? { status: 429, code: 'too_many_requests', retryAfter: 1 } : 'ok'));
    const { run } = await s.launch();
    expect(run.counts.sent).toBe(5);
    expect((await s.store.quota.ledger('ins_1', 'app.bulk', 200, 0)).blockedUntil).toBeGreaterThan(0);
    expect(s.events.some((e) => e.waitReason === 'Clerk asked to wait (Retry-After)')).toBe(true);
  });

  it('progress: no ETA while a failed request waits to be tried again; the retry is shown with its status', async () => {
    const s = setup({ limits: { 'app.single': 0 } });
    s.clerk.answer((call) => (call === 0 ? { status: 503, code: 'service_unavailable' } : 'ok'));
    const { run } = await s.launch();
    expect(run.counts.sent).toBe(5);
    const retrying = s.events.filter((e) => e.retry !== null);
    expect(retrying.length).toBeGreaterThan(0);
    expect(retrying.every((e) => e.etaAt === null && e.retry?.status === 503)).toBe(true);
    expect(s.events.at(-1)).toMatchObject({ state: 'finished', retry: null });
  });

  it('settled: a run whose final state is still being written (a team database answers late) is waited for', async () => {
    // The team suite once read a run as 'running' after settled(): the drive had left the registry and its
    // 'finished' was still on its way to PostgreSQL.
    const twin = engineOnTwin();
    let writing = () => {};
    const reached = new Promise<void>((resolve) => (writing = resolve));
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const write = twin.store.runs.setState.bind(twin.store.runs);
    twin.store.runs.setState = async (...args) => {
      if (args[1] === 'finished') {
        writing();
        await released;
      }
      return write(...args);
    };
    const id = 'run-slow-finish';
    await twin.engine.launch(newRun(id, [appRequest('a@slow.test')], { environment: 'production', windowMs: 200 }));
    await reached;
    const seen = twin.engine.settled(id).then(async () => (await twin.store.runs.get(id))?.state);
    release();
    expect(await seen).toBe('finished');
  });
});
