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
    await b.quota.block('ins_1', 'app.bulk', t + 5_000);
    await b.runs.create(newRun('r2', [appRequest('bob@skew.test')]), t, 'B');
    await b.journal.requeue('r2', [0], t, { notBefore: t + 2_000 });

    await a.quota.shift(-60 * MIN);
    await a.journal.shiftTimes(-60 * MIN);

    expect((await b.quota.ledger('ins_1', 'general', 10_000, t)).sent).toEqual([t]);
    expect((await b.quota.ledger('ins_1', 'app.bulk', 10_000, t)).blockedUntil).toBe(t + 5_000);
    expect((await b.journal.queued('r2')).map((r) => r.notBefore)).toEqual([t + 2_000]);
  });
});
