import { describe, expect, it } from 'vitest';
import { clock, dayLabel, dayOf, when } from '../../src/renderer/src/lib/format.ts';

describe('times with their day (issue 21 #9)', () => {
  const now = new Date(2026, 11, 5, 14, 0).getTime();
  const at = (d: number, h: number, m = 0) => new Date(2026, 11, d, h, m).getTime();
  it('says the day of an ETA that is not today (before: “done around 01:44 PM” meant tomorrow)', () => {
    expect(clock(at(5, 16, 30), now)).not.toMatch(/tomorrow|Dec/);
    expect(clock(at(6, 1, 44), now)).toMatch(/^tomorrow at /);
    expect(clock(at(8, 9), now)).toMatch(/^Dec 8 at /);
    expect(dayOf(at(4, 9), now)).toBe('yesterday');
  });
  it('lists past moments in one format: the time today, else the date and time', () => {
    expect(when(at(5, 9), now)).not.toMatch(/Dec|,/);
    expect(when(at(1, 9), now)).toMatch(/^Dec 1, /);
    expect(when(new Date(2025, 0, 2, 9).getTime(), now)).toMatch(/2025/);
  });
});

describe('calendar days in tables (Insights)', () => {
  const now = new Date(2026, 11, 5, 14, 0).getTime();
  it('reads like the rest of the app: “Dec 3”, the year when not this one; not 2026-12-03', () => {
    expect(dayLabel('2026-12-03', now)).toBe(new Date(2026, 11, 3).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }));
    expect(dayLabel('2026-12-03', now)).not.toContain('2026');
    expect(dayLabel('2025-01-31', now)).toMatch(/2025/);
    expect(dayLabel('not a day', now)).toBe('not a day');
  });
});
