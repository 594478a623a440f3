import { describe, expect, it } from 'vitest';
import { checkFromTheEnd, newFeed, yieldToEvents, type CheckFeed } from '../../src/renderer/src/features/import/checkTogether.ts';
import { createJobs, type Choice, type JobOut } from '../../src/renderer/src/features/import/importJobs.ts';
import { unpackRows } from '../../src/shared/domain/sheet/packed.ts';
import type { ImportedTable } from '../../src/shared/domain/import/table.ts';
import { defaultSettings, type SheetColumn } from '../../src/shared/domain/sheet/types.ts';
import { checkRows, createRowCache, primeCache, validateSheet } from '../../src/shared/domain/sheet/validate.ts';

const columns: SheetColumn[] = [
  { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
  { id: 'c1', header: 'seat', target: { kind: 'meta', scope: 'public', path: 'seat', type: 'number' } },
];
const body = Array.from({ length: 1000 }, (_, i) => [i % 97 === 0 ? 'bad' : `U${i % 900}@X.io`, i % 50 === 0 ? 'x' : String(i)]);
const table: ImportedTable = { fileName: 'p.csv', format: 'csv', rows: [['Email', 'seat'], ...body], sourceRows: [] };
const choice: Choice = { headerRow: 0, columns, settings: defaultSettings() };

/** The worker's jobs, run here: what they post reaches the window's feed as a message would (after a task). */
function fakeWorker(slow: number) {
  let built: unknown = null;
  let normalized = 0;
  const feed: CheckFeed = newFeed((at) => void yieldToEvents().then(() => jobs.stop(at)));
  const jobs = createJobs({
    table: () => {
      normalized++;
      return table;
    },
    post: (m: JobOut) =>
      void yieldToEvents().then(() => {
        if (m.type === 'built') built = m.built;
        else if (m.type === 'checked') {
          feed.parts.push(structuredClone(m.checked));
          feed.covered = m.checked.to;
        } else feed.done = true;
      }),
    pause: async () => {
      for (let i = 0; i < slow; i++) await yieldToEvents();
    },
    chunk: 50,
  });
  const rows = async () => {
    while (!built) await yieldToEvents();
    return unpackRows((built as { packed: Parameters<typeof unpackRows>[0] }).packed);
  };
  return { jobs, feed, rows, normalized: () => normalized };
}

const covers = (parts: { from: number; to: number }[]) => {
  const seen = new Set<number>();
  for (const p of parts) for (let r = p.from; r < p.to; r++) seen.add(r);
  return seen.size;
};

describe('checking a new sheet from both ends (issue 14: the import worker and the window, two cores)', () => {
  it.each([
    ['a worker as fast as the window', 1],
    ['a worker slowed by other work', 6],
  ])('covers every row once met, and adds up to the same validation as one pass: %s', async (_, slow) => {
    const w = fakeWorker(slow);
    void w.jobs.build(choice);
    const rows = await w.rows();
    expect(rows[1]).toEqual(['U1@x.io', '1']);
    const sheet = { columns, settings: choice.settings, rows };
    const parts = await checkFromTheEnd(sheet, w.feed, 50);
    expect(covers(parts)).toBe(rows.length);
    // Both sides did some of it.
    expect(w.feed.parts.length).toBeGreaterThan(0);
    expect(parts.length).toBeGreaterThan(w.feed.parts.length);
    const cache = createRowCache();
    primeCache(sheet, cache, parts);
    const primed = validateSheet(sheet, cache, { requests: 'lazy' });
    const whole = validateSheet(sheet, undefined, { requests: 'lazy' });
    expect(primed.problems).toEqual(whole.problems);
    expect([primed.validCount, primed.invalidCount, primed.duplicateCount]).toEqual([
      whole.validCount,
      whole.invalidCount,
      whole.duplicateCount,
    ]);
  });

  it('hands over the work done ahead for the same choice, and starts afresh for another', async () => {
    const ahead = fakeWorker(1);
    await ahead.jobs.prepare(choice);
    expect(ahead.feed.parts).toHaveLength(0); // nothing goes to the window before Create
    await ahead.jobs.build(choice);
    const rows = await ahead.rows();
    await checkFromTheEnd({ columns, settings: choice.settings, rows }, ahead.feed, 50);
    expect(ahead.normalized()).toBe(1);
    expect(covers(ahead.feed.parts)).toBe(rows.length); // all of it was ready
    expect(ahead.feed.done).toBe(true);

    const other = fakeWorker(1);
    await other.jobs.prepare(choice);
    void other.jobs.build({ ...choice, settings: { ...choice.settings, blankCells: 'null' } });
    await other.rows();
    expect(other.normalized()).toBe(2);
  });

  it('checks everything itself when the worker stops early (it failed): nothing is left unchecked', async () => {
    const sheet = { columns, settings: defaultSettings(), rows: body };
    const feed = newFeed(() => {});
    feed.parts.push(structuredClone(checkRows(sheet, 0, 120)));
    feed.covered = 120;
    feed.done = true;
    expect(covers(await checkFromTheEnd(sheet, feed, 50))).toBe(body.length);
  });
});
