/**
 * The look-up of existing accounts on its own: 100 addresses a call, answers kept for a while (then asked again),
 * a 429 waited out as Clerk asked (at most the general window) instead of failing the review.
 */
import { describe, expect, it } from 'vitest';
import type { ClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkApiError } from '../../../src/main/services/clerk/errors.ts';
import { createExistingUsers, KEEP_MS } from '../../../src/main/services/runs/existingUsers.ts';

function fake(answers: ('ok' | 429)[]) {
  const calls: string[][] = [];
  const client = {
    listUsers: async (p: { emailAddresses: string[] }) => {
      calls.push(p.emailAddresses);
      if (answers.shift() === 429)
        throw new ClerkApiError({
          status: 429,
          errors: [{ code: 'too_many_requests', message: '', longMessage: '', meta: {} }],
          retryAfterSeconds: 30,
          traceId: null,
        });
      return p.emailAddresses
        .filter((e) => e.startsWith('u'))
        .map((e) => ({ id: `user_${e}`, emailAddresses: [e.toUpperCase()], firstName: null, lastName: null, createdAt: 7 }));
    },
  } as unknown as ClerkClient;
  return { client, calls };
}

describe('existing accounts look-up', () => {
  it('asks 100 addresses a call, keeps the answers for a while, then asks again', async () => {
    let t = 1_000;
    const x = createExistingUsers({ now: () => t });
    const f = fake([]);
    const emails = Array.from({ length: 230 }, (_, i) => (i % 10 === 0 ? `u${i}@x.test` : `n${i}@x.test`));
    const found = await x.lookUp(f.client, 'ins_1', emails);
    expect(f.calls.map((c) => c.length)).toEqual([100, 100, 30]);
    expect(found.size).toBe(23);
    expect(found.get('u10@x.test')).toEqual({ userId: 'user_u10@x.test', createdAt: 7 });
    await x.lookUp(f.client, 'ins_1', emails);
    expect(f.calls).toHaveLength(3); // kept: not asked again
    await x.lookUp(f.client, 'ins_2', emails.slice(0, 5));
    expect(f.calls).toHaveLength(4); // another instance is another question
    t += KEEP_MS + 1;
    await x.lookUp(f.client, 'ins_1', emails.slice(0, 5));
    expect(f.calls).toHaveLength(5);
  });

  it('waits out a 429 as Clerk asked, at most the general window (10 s), and asks again', async () => {
    const waits: number[] = [];
    const x = createExistingUsers({ now: () => 0, sleep: async (ms) => void waits.push(ms) });
    const f = fake([429, 'ok']);
    const found = await x.lookUp(f.client, 'ins_1', ['u1@x.test']);
    expect(waits).toEqual([10_000]);
    expect(f.calls).toHaveLength(2);
    expect([...found.keys()]).toEqual(['u1@x.test']);
  });
});
