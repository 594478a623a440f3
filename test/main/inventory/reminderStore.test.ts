/**
 * The reminder store's contract, on this computer's SQLite and on a team's PostgreSQL: rules kept and changed, and a
 * claim that never reminds a person more than the rule says or sooner than its days, also for two claims at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { sqliteReminders, type ReminderStore } from '../../../src/main/services/inventory/reminderStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { pgRemindersPort } from '../../../src/main/services/team/pgReminders.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';

const DAY = 86_400_000;
const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

const stores: [string, () => Promise<ReminderStore>][] = [
  ['this computer (SQLite)', async () => sqliteReminders(openDatabase(':memory:'))],
  [
    'a team (PostgreSQL)',
    async () => {
      const pool = await freshPgPool(6);
      pools.push(pool);
      await migratePg(pool);
      return pgRemindersPort(pool);
    },
  ],
];

const rule = { id: 'r1', profileId: 'p1', runId: null, afterDays: 7, maxReminders: 2, enabled: true, createdAt: 1_000 };
const people = ['ann', 'bob', 'cy'].map((n) => ({ emailKey: `${n}@acme.test`, invitationId: `inv_${n}` }));

describe.each(stores)('reminder store on %s', (_name, open) => {
  it('keeps rules, changes their days, count and switch, and removes them', async () => {
    const s = await open();
    await s.save(rule);
    await s.save({ ...rule, id: 'r2', profileId: 'p2', createdAt: 2_000 });
    await s.save({ ...rule, afterDays: 3, maxReminders: 1, enabled: false, createdAt: 9_999 });
    expect(await s.rules('p1')).toEqual([{ ...rule, afterDays: 3, maxReminders: 1, enabled: false, runName: null }]);
    expect((await s.rules()).map((r) => r.id)).toEqual(['r1', 'r2']);
    await s.remove('p2', 'r1'); // another profile's: nothing
    await s.remove('p1', 'r1');
    expect((await s.rules()).map((r) => r.id)).toEqual(['r2']);
  });

  it('claims each person at most the rule’s count, never again before its days; the claims name their run', async () => {
    const s = await open();
    await s.save(rule);
    const now = 100 * DAY;
    const take = (at: number, runId: string) => s.claim('r1', people, { now: at, runId, max: 2, lastBefore: at - 7 * DAY });
    expect(await take(now, 'run1')).toEqual(['inv_ann', 'inv_bob', 'inv_cy']);
    expect(await take(now + DAY, 'run2')).toEqual([]); // a day later: not due again
    expect(await take(now + 7 * DAY, 'run3')).toEqual(['inv_ann', 'inv_bob', 'inv_cy']);
    expect(await take(now + 30 * DAY, 'run4')).toEqual([]); // twice: never a third
    expect(await s.sent('r1')).toBe(6);
    expect((await s.log('r1')).get('ann@acme.test')).toEqual({ count: 2, lastAt: now + 7 * DAY });
    expect(await s.claims('r1')).toEqual([
      { runId: 'run3', ids: expect.arrayContaining(['inv_ann', 'inv_bob', 'inv_cy']), at: now + 7 * DAY },
    ]);
  });

  it('two claims at the same moment: each person is claimed by one of them', async () => {
    const s = await open();
    await s.save({ ...rule, maxReminders: 1 });
    const at = 100 * DAY;
    const [a, b] = await Promise.all(
      ['runA', 'runB'].map((runId) => s.claim('r1', people, { now: at, runId, max: 1, lastBefore: at - 7 * DAY })),
    );
    expect([...a!, ...b!].sort()).toEqual(['inv_ann', 'inv_bob', 'inv_cy']);
    expect(await s.sent('r1')).toBe(3);
  });

  it('a released claim (its approval rejected): a first reminder forgotten, a later one back to one fewer and due at once', async () => {
    const s = await open();
    await s.save(rule);
    const at = 100 * DAY;
    await s.claim('r1', people.slice(0, 1), { now: at, runId: 'run1', max: 2, lastBefore: at - 7 * DAY });
    await s.claim('r1', people, { now: at + 8 * DAY, runId: 'run2', max: 2, lastBefore: at + DAY });
    await s.release('r1', 'run2');
    expect([...(await s.log('r1')).entries()]).toEqual([['ann@acme.test', { count: 1, lastAt: 0 }]]);
    expect(await s.claims('r1')).toEqual([]); // nothing left to launch
    await s.release('r1', 'run2'); // twice: nothing more
    expect(await s.sent('r1')).toBe(1);
  });
});
