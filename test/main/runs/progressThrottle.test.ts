import { describe, expect, it } from 'vitest';
import { throttleProgress, type Timers } from '../../../src/main/services/runs/progressThrottle.ts';
import type { RunProgress } from '../../../src/shared/domain/send/types.ts';

/** A clock and timers the test moves by hand. */
function fakeTimers() {
  let t = 0;
  const due: { at: number; fn: () => void }[] = [];
  const timers: Timers = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const h = { at: t + ms, fn };
      due.push(h);
      return h;
    },
    clearTimeout: (h) => due.splice(due.indexOf(h as (typeof due)[number]), 1),
  };
  const advance = (ms: number) => {
    t += ms;
    for (const h of due.filter((x) => x.at <= t)) {
      due.splice(due.indexOf(h), 1);
      h.fn();
    }
  };
  return { timers, advance };
}
const p = (id: string, state: RunProgress['state'], sent: number) => ({ id, state, counts: { sent } }) as unknown as RunProgress;

describe('progress events to the window', () => {
  it('a run reporting after every request reaches the window at most every 250 ms, latest first; state changes at once', () => {
    const { timers, advance } = fakeTimers();
    const sent: [string, string, number][] = [];
    const emit = throttleProgress((x) => sent.push([x.id, x.state, x.counts.sent]), 250, timers);
    emit(p('a', 'running', 0));
    for (let i = 1; i <= 100; i++) {
      emit(p('a', 'running', i));
      if (i === 50) emit(p('b', 'running', 0)); // another run is not held back by this one
      advance(5);
    }
    // 500 ms of reports every 5 ms: the first at once, then one per 250 ms with the latest counts.
    expect(sent).toEqual([
      ['a', 'running', 0],
      ['b', 'running', 0],
      ['a', 'running', 50],
      ['a', 'running', 100],
    ]);
    emit(p('a', 'running', 101));
    emit(p('a', 'finished', 102));
    expect(sent.at(-1)).toEqual(['a', 'finished', 102]);
    advance(1000);
    expect(sent.filter(([id]) => id === 'a')).toHaveLength(4);
  });
});

describe('the throttle coalesces, never drops', () => {
  it('the last report of a burst follows within the interval; a run pausing, resuming and ending reaches the window at once', () => {
    const { timers, advance } = fakeTimers();
    const sent: [string, number][] = [];
    const emit = throttleProgress((x) => sent.push([x.state, x.counts.sent]), 250, timers);
    emit(p('a', 'running', 0));
    emit(p('a', 'running', 1));
    emit(p('a', 'running', 2));
    expect(sent).toEqual([['running', 0]]);
    advance(250);
    expect(sent.at(-1)).toEqual(['running', 2]); // the row outcomes of the burst, not lost in the quiet after it
    emit(p('a', 'paused', 2));
    emit(p('a', 'running', 2));
    emit(p('a', 'running', 3));
    emit(p('a', 'finished', 4));
    expect(sent.slice(2)).toEqual([
      ['paused', 2],
      ['running', 2],
      ['finished', 4],
    ]);
    advance(1000);
    expect(sent).toHaveLength(5);
  });
});
