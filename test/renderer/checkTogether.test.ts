import { describe, expect, it } from 'vitest';
import { checkFromTheEnd, checkFromTheStart, newFeed, yieldToEvents } from '../../src/renderer/src/features/import/checkTogether.ts';
import { defaultSettings, type SheetColumn } from '../../src/shared/domain/sheet/types.ts';
import { checkRows, createRowCache, primeCache, validateSheet } from '../../src/shared/domain/sheet/validate.ts';

const columns: SheetColumn[] = [
  { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
  { id: 'c1', header: 'seat', target: { kind: 'meta', scope: 'public', path: 'seat', type: 'number' } },
];
const rows = Array.from({ length: 1000 }, (_, i) => [i % 97 === 0 ? 'bad' : `u${i % 900}@x.io`, i % 50 === 0 ? 'x' : String(i)]);
const sheet = { columns, rows, settings: defaultSettings() };

/** The worker's side, run here: each chunk reaches the window's feed as a message would (after a task). */
function fakeWorker(feed: ReturnType<typeof newFeed>, slow: number) {
  let stopAt = Infinity;
  feed.stopAt = (at) => void Promise.resolve().then(() => (stopAt = at));
  return checkFromTheStart(
    sheet,
    () => stopAt,
    (part) =>
      void yieldToEvents().then(() => {
        feed.parts.push(structuredClone(part));
        feed.covered = part.to;
      }),
    async () => {
      for (let i = 0; i < slow; i++) await yieldToEvents();
    },
    50,
  ).then(() => void (feed.done = true));
}

describe('checking a new sheet from both ends (issue 14: the import worker and the window, two cores)', () => {
  it.each([
    ['a worker as fast as the window', 1],
    ['a worker slowed by other work', 6],
  ])('covers every row once met, and adds up to the same validation as one pass: %s', async (_, slow) => {
    const feed = newFeed(() => {});
    const worker = fakeWorker(feed, slow);
    const parts = await checkFromTheEnd(sheet, feed, 50);
    await worker;
    const covered = new Set<number>();
    for (const p of parts) for (let r = p.from; r < p.to; r++) covered.add(r);
    expect(covered.size).toBe(rows.length);
    // Both sides did some of it, the faster one more.
    expect(feed.parts.length).toBeGreaterThan(0);
    expect(parts.length).toBeGreaterThan(feed.parts.length);
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

  it('checks everything itself when the worker stops early (it failed): nothing is left unchecked', async () => {
    const feed = newFeed(() => {});
    feed.parts.push(structuredClone(checkRows(sheet, 0, 120)));
    feed.covered = 120;
    feed.done = true;
    const parts = await checkFromTheEnd(sheet, feed, 50);
    const covered = new Set<number>();
    for (const p of parts) for (let r = p.from; r < p.to; r++) covered.add(r);
    expect(covered.size).toBe(rows.length);
  });
});
