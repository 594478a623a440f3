/**
 * The team database's wait covers every port the app reads runs through, not only the engine's: the history, the
 * review's look-up and a run's rows wait for the database instead of failing while it is gone, and an export's pages
 * pass through as they are.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import type { Storage } from '../../../src/main/services/runs/engine/ports.ts';
import { waitForTeamDb } from '../../../src/main/services/team/waitForTeam.ts';
import { memoryRunStore } from '../../helpers/memoryRunStore.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });

/** A port whose calls fail to reach the database `n` times, then answer. */
function flaky<T>(n: number, answer: T) {
  let left = n;
  return async () => {
    if (left-- > 0) throw refused();
    return answer;
  };
}

describe('waiting for the team database, every port', () => {
  it('history and rows wait and answer once it is back; the wait is told once with its start and its end', async () => {
    const engine = memoryRunStore();
    const storage = {
      ...engine,
      history: { list: flaky(3, [{ id: 'r1' }]), optionsOf: flaky(2, null) },
      rows: {
        count: flaky(1, 7),
        async *pages() {
          yield [{ idx: 0 }];
        },
      },
    } as unknown as Storage;
    const waits: (number | null)[] = [];
    const team = waitForTeamDb(storage, { clock: systemClock, retryMs: 1, onWaiting: (s) => waits.push(s) });
    expect(await team.store.history.list()).toEqual([{ id: 'r1' }]);
    expect(waits).toEqual([expect.any(Number), null]);
    expect(await team.store.history.optionsOf('r1')).toBeNull();
    expect(await team.store.rows.count('r1')).toBe(7);
    // An export reads page by page: handed back as the pages it is, not a promise of them.
    const pages: unknown[] = [];
    for await (const p of team.store.rows.pages('r1')) pages.push(p);
    expect(pages).toEqual([[{ idx: 0 }]]);
    team.close();
  });

  it('a statement the database refuses is not tried again: its error comes back at once', async () => {
    let calls = 0;
    const storage = {
      ...memoryRunStore(),
      history: {
        list: async () => {
          calls++;
          throw Object.assign(new Error('relation "runs" does not exist'), { code: '42P01' });
        },
      },
    } as unknown as Storage;
    const team = waitForTeamDb(storage, { clock: systemClock, retryMs: 1 });
    await expect(team.store.history.list()).rejects.toThrow('relation "runs" does not exist');
    expect(calls).toBe(1);
    expect(team.waitingSince()).toBeNull();
    team.close();
  });
});
