import { describe, expect, it } from 'vitest';
import { ceilingPerWindow, HOUR, nextSlot } from '../../../src/shared/domain/send/limits.ts';
import { planRun } from '../../../src/shared/domain/send/plan.ts';

const now = 1_700_000_000_000;

describe('sliding-window slots', () => {
  it('allows a request now while the window has room, else when the oldest ages out, and respects Retry-After', () => {
    expect(nextSlot({ sent: [now - 10], blockedUntil: 0 }, 2, HOUR, now)).toBe(now);
    // …plus a 1% margin, since Clerk counts from when a request arrives.
    expect(nextSlot({ sent: [now - 1000, now - 10], blockedUntil: 0 }, 2, HOUR, now)).toBe(now - 1000 + HOUR + 36_000);
    expect(nextSlot({ sent: [], blockedUntil: now + 5000 }, 2, HOUR, now)).toBe(now + 5000);
  });
});

describe('run plan and ETA', () => {
  it('reaches the documented ceilings: 350 app and 750 org invitations in the first hour', () => {
    expect(ceilingPerWindow('app')).toBe(350);
    expect(ceilingPerWindow('org')).toBe(750);
    const app = planRun({ kind: 'app', rows: 350, ledgers: {}, windowMs: HOUR, now, latencyMs: 0 });
    expect(app.lanes).toEqual([
      { endpoint: 'app.bulk', calls: 25, rows: 250, usedNow: 0, limit: 25 },
      { endpoint: 'app.single', calls: 100, rows: 100, usedNow: 0, limit: 100 },
    ]);
    expect(app.etaAt).toBe(now);
    const org = planRun({ kind: 'org', rows: 750, ledgers: {}, windowMs: HOUR, now, latencyMs: 0 });
    expect(org.lanes.map((l) => [l.calls, l.rows])).toEqual([
      [50, 500],
      [250, 250],
    ]);
  });

  it('1,000 app rows take three windows: 350 + 350 + 300', () => {
    const p = planRun({ kind: 'app', rows: 1000, ledgers: {}, windowMs: HOUR, now, latencyMs: 0 });
    expect(p.lanes.map((l) => l.rows).reduce((a, b) => a + b)).toBe(1000);
    expect(p.etaAt).toBe(now + 2 * (HOUR + 36_000));
    expect(p.firstWaitAt).toBe(now + HOUR + 36_000);
  });

  it('counts what this instance already spent in the last hour', () => {
    const spent = Array.from({ length: 25 }, (_, i) => now - HOUR / 2 + i);
    const p = planRun({
      kind: 'app',
      rows: 20,
      ledgers: { 'app.bulk': { sent: spent, blockedUntil: 0 } },
      windowMs: HOUR,
      now,
      latencyMs: 0,
    });
    // The bulk budget is gone for another half hour: singles carry the 20 rows now.
    expect(p.lanes).toEqual([
      { endpoint: 'app.bulk', calls: 0, rows: 0, usedNow: 25, limit: 25 },
      { endpoint: 'app.single', calls: 20, rows: 20, usedNow: 0, limit: 100 },
    ]);
    expect(p.etaAt).toBe(now);
  });

  it('packs a lone leftover row into a single call, and plans 100,000 rows', () => {
    expect(planRun({ kind: 'app', rows: 1, ledgers: {}, windowMs: HOUR, now }).lanes.map((l) => l.calls)).toEqual([0, 1]);
    const big = planRun({ kind: 'org', rows: 100_000, ledgers: {}, windowMs: HOUR, now, latencyMs: 0 });
    expect(big.etaAt - now).toBe((Math.ceil(100_000 / 750) - 1) * (HOUR + 36_000));
  });

  it('plans memberships beside the invitations: one request each on the general limit (90 per 10 s), in parallel', () => {
    // 1,400 invitations (two hours at 750/h) and 600 members (7 windows of 10 s): the invitations set the ETA.
    const p = planRun({ kind: 'org', rows: 1400, members: 600, ledgers: {}, windowMs: HOUR, now, latencyMs: 0 });
    expect(p.rows).toBe(2000);
    expect(p.lanes.find((l) => l.endpoint === 'general')).toEqual({ endpoint: 'general', calls: 600, rows: 600, usedNow: 0, limit: 90 });
    expect(p.lanes.filter((l) => l.endpoint !== 'general').reduce((n, l) => n + l.rows, 0)).toBe(1400);
    expect(p.etaAt).toBe(now + HOUR + 36_000);
    // Members only: 200 of them take 3 windows of 10 s (+100 ms margins), not an hour.
    const m = planRun({ kind: 'org', rows: 0, members: 200, ledgers: {}, windowMs: HOUR, now, latencyMs: 0 });
    expect(m.etaAt - now).toBe(2 * 10_100);
    expect(m.firstWaitAt).toBe(now + 10_100);
  });
});
