/** Clerk's clock learned from its answers: an interval that always holds, narrowed by each answer, reset by a jump. */
import { describe, expect, it } from 'vitest';
import { ClerkClock } from '../../../src/main/services/runs/engine/clerkClock.ts';

describe('ClerkClock', () => {
  it('knows nothing before an answer; a Date header bounds the offset to its second and the request’s time', () => {
    const c = new ClerkClock();
    expect(c.earliestClerkTime(1000)).toBeNull();
    // Clerk 5 minutes ahead: its Date header says 300 s when our clock read 0.2–0.4 s.
    c.answered({ date: 300_000, sentAt: 200, receivedAt: 400 });
    expect(c.earliestClerkTime(1000)).toBe(1000 + 300_000 - 400);
  });

  it('a created_at narrows it to the request (not one of a reused, older invitation); a jump of our clock starts afresh', () => {
    const c = new ClerkClock();
    c.answered({ date: 300_000, sentAt: 0, receivedAt: 500 });
    c.created(300_700 - 600_000, 600, 650); // an invitation Clerk reused, made 10 min before
    expect(c.earliestClerkTime(0)).toBe(300_000 - 500);
    c.created(300_700, 600, 650);
    expect(c.earliestClerkTime(0)).toBe(300_700 - 650);
    // Our clock jumped an hour back: the next answer is an hour off the interval.
    c.answered({ date: 301_000, sentAt: -3_600_000 + 700, receivedAt: -3_600_000 + 800 });
    expect(c.earliestClerkTime(0)).toBe(301_000 + 3_600_000 - 800);
  });

  it('Clerk time at its best: our own reading where answers cannot tell the clocks apart, else the least correction', () => {
    const same = new ClerkClock();
    same.answered({ date: 5_000, sentAt: 5_200, receivedAt: 5_300 });
    expect(same.clerkTime(10_000)).toBe(10_000);
    const ahead = new ClerkClock();
    ahead.answered({ date: 305_000, sentAt: 5_200, receivedAt: 5_300 });
    expect(ahead.clerkTime(10_000)).toBe(10_000 + 305_000 - 5_300);
    const behind = new ClerkClock();
    behind.answered({ date: 5_000, sentAt: 305_200, receivedAt: 305_300 });
    expect(behind.clerkTime(10_000)).toBe(10_000 + 5_999 - 305_200);
  });
});
