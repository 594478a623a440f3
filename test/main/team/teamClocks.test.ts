/**
 * Leases on a team database are stamped and judged by the database server's clock: a member whose laptop clock runs
 * minutes ahead saw a teammate's live run as minutes stale and took it over (two computers driving one run), and one
 * whose clock runs behind kept a dead computer's run waiting. Times handed back keep their age in the caller's clock.
 * And one member's clock set back or forward no longer moves the team's shared ledger and waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { newRun } from '../../helpers/newRun.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { appRequest } from '../../helpers/runFixture.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const MIN = 60_000;

describe('leases on a team database', () => {
  it('laptops 4 minutes apart: the one ahead does not take a live run over; it does once the lease is stale', async () => {
    const pool = await freshPgPool(4);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const behind = () => Date.now() - 2 * MIN; // laptop A
    const ahead = () => Date.now() + 2 * MIN; // laptop B
    const a = pgRunStore(pool);
    const b = pgRunStore(pool);
    await a.runs.create(newRun('r1', [appRequest('ann@skew.test')]), behind(), 'A');
    expect(await a.runs.renewLease('r1', 'A', behind())).toBe(true);

    // B's clock says A last renewed 4 minutes ago; the server's says just now: refused, A's renewal a moment old.
    const held = await b.runs.acquire('r1', 'B', ahead(), 30_000);
    expect(held?.heldBy).toBe('A');
    expect(ahead() - held!.renewedAt).toBeLessThan(5_000);
    const lease = await b.runs.leaseOf('r1', ahead());
    expect(lease.owner).toBe('A');
    expect(ahead() - lease.at!).toBeLessThan(5_000);

    // A stops renewing (asleep, gone): once the lease has aged past its length on the server's clock, B takes over,
    // and A can no longer renew.
    await expect.poll(async () => b.runs.acquire('r1', 'B', ahead(), 300), { interval: 50, timeout: 10_000 }).toBeNull();
    expect(await a.runs.renewLease('r1', 'A', behind())).toBe(false);
    expect((await a.runs.leaseOf('r1')).owner).toBe('B');
  });

  it('one member’s clock set back an hour moves neither the team’s quota ledger nor teammates’ waits', async () => {
    // The set-back member moved the whole team's ledger an hour back: every teammate saw an empty window (429s).
    const pool = await freshPgPool(4);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const a = pgRunStore(pool);
    const b = pgRunStore(pool);
    const t = Date.now();
    expect(await b.quota.take('ins_1', 'general', { limit: 5, windowMs: 10_000 }, t)).toBe(0);
    await b.quota.block('ins_1', 'app.bulk', t + 5_000, t);
    await b.runs.create(newRun('r2', [appRequest('bob@skew.test')]), t, 'B');
    await b.journal.requeue('r2', [0], t, { notBefore: t + 2_000 });

    await a.quota.shift(-60 * MIN);
    await a.journal.shiftTimes(-60 * MIN);

    // B's own times, as B's clock reads them now (stored as the server's: a few ms of the calls between).
    const now = Date.now();
    const sent = (await b.quota.ledger('ins_1', 'general', 10_000, now)).sent;
    expect(sent).toHaveLength(1);
    expect(Math.abs(sent[0]! - t)).toBeLessThan(1_000);
    expect(Math.abs((await b.quota.ledger('ins_1', 'app.bulk', 10_000, Date.now())).blockedUntil - (t + 5_000))).toBeLessThan(1_000);
    const [wait] = (await b.journal.queued('r2', Date.now())).map((r) => r.notBefore);
    expect(Math.abs(wait! - (t + 2_000))).toBeLessThan(1_000);
  });

  it('laptops 90 s apart share one hourly budget: the one ahead does not see a teammate’s slots or Retry-After as over', async () => {
    // Each member stamped the team's ledger with its own clock: to a laptop 90 s ahead, a teammate's requests of a
    // moment ago were already out of a 60 s window, and a 30 s Retry-After already over; it sent at once (429s).
    const pool = await freshPgPool(4);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const right = () => Date.now(); // laptop A
    const ahead = () => Date.now() + 90_000; // laptop B
    const a = pgRunStore(pool);
    const b = pgRunStore(pool);
    const pace = { limit: 2, windowMs: 60_000 };
    expect(await a.quota.take('ins_1', 'general', pace, right())).toBe(0);
    expect(await a.quota.take('ins_1', 'general', pace, right())).toBe(0);

    // B: the window is full for another minute, said in B's own clock.
    const bNow = ahead();
    const next = await b.quota.take('ins_1', 'general', pace, bNow);
    expect(next).toBeGreaterThan(bNow + 55_000);
    expect(next).toBeLessThan(bNow + 65_000);
    const seen = await b.quota.ledger('ins_1', 'general', 60_000, bNow);
    expect(seen.sent).toHaveLength(2);
    expect(Math.abs(seen.sent[0]! - bNow)).toBeLessThan(5_000); // a moment ago, in B's clock

    // A run's claim on B paces the same way.
    await b.runs.create(newRun('r3', [appRequest('cat@skew.test')]), bNow, 'B');
    await expect(b.journal.claim('r3', 'ins_1', 'general', [0], ahead(), 'B', pace)).rejects.toThrow(/slot/i);

    // B's own reads (a status sync's slot) are counted at their true time for A, not 90 s in A's future.
    expect(await b.quota.take('ins_2', 'general', pace, ahead())).toBe(0);
    const [read] = (await a.quota.ledger('ins_2', 'general', 60_000, right())).sent;
    expect(Math.abs(read! - right())).toBeLessThan(5_000);

    // A Retry-After of 30 s that A met blocks B for those 30 s too.
    await a.quota.block('ins_1', 'app.bulk', right() + 30_000, right());
    const blocked = (await b.quota.ledger('ins_1', 'app.bulk', 60_000, ahead())).blockedUntil;
    expect(blocked - ahead()).toBeGreaterThan(25_000);
    expect(blocked - ahead()).toBeLessThan(35_000);
  });

  it('a run taken over from a laptop 2 minutes behind: its request in flight and its waits keep their age', async () => {
    // The rows' times were the driving laptop's: to the teammate taking the run over, a request of a moment ago read
    // as 2 minutes old, so the grace before looking it up (Clerk may still commit it) was cut short by 2 minutes.
    const pool = await freshPgPool(4);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const behind = () => Date.now() - 2 * MIN; // laptop A, driving
    const right = () => Date.now(); // laptop B, taking over
    const a = pgRunStore(pool);
    const b = pgRunStore(pool);
    await a.runs.create(newRun('r4', [appRequest('dan@skew.test'), appRequest('eve@skew.test')]), behind(), 'A');
    const t = behind();
    await a.journal.claim('r4', 'ins_1', 'app.single', [0], t, 'A');
    await a.journal.markUnknown('r4', [0], t, t);
    await a.journal.requeue('r4', [1], t, { notBefore: t + 20_000 });

    const now = right();
    const [inflight] = await b.journal.inflight('r4', now);
    expect(now - inflight!.requestStartedAt).toBeLessThan(5_000);
    expect(now - inflight!.unknownSince!).toBeLessThan(5_000);
    const [queued] = await b.journal.queued('r4', now);
    expect(Math.abs(queued!.notBefore - (now + 20_000))).toBeLessThan(5_000);
  });
});
