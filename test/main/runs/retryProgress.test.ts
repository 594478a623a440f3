/** Issue 13: during Clerk 503s the run page said “Running · About 1 s left”; progress now says what Clerk answered. */
import { afterEach, describe, expect, it } from 'vitest';
import { appRequest, engineOnEmulator, invitationsPerEmail } from '../../helpers/runFixture.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('retries on the run page', () => {
  it('publishes the last answer, the try number and the next try while Clerk answers 503, and no ETA until it answers', async () => {
    const { emulator, fx } = await engineOnEmulator(cleanups, { limits: { 'app.bulk': 0, 'app.single': 10 } });
    emulator.faults.inject({ kind: 'status', status: 503, method: 'POST', path: '/v1/invitations', times: 3 });
    const id = fx.createRun([appRequest('ana@retry.test')], {
      windowMs: 60_000,
      instanceId: emulator.instance.id,
    });
    await fx.engine.start(id);
    await fx.engine.settled(id);

    expect(fx.repo.get(id)!.counts).toMatchObject({ sent: 1, failed: 0 });
    expect([...invitationsPerEmail(emulator, emulator.instance.secretKey).values()]).toEqual([1]);
    const retrying = fx.events.filter((e) => e.id === id && e.retry !== null);
    // Each of the three 503s is told, with the try it was and a next try in the future.
    expect(new Set(retrying.map((e) => e.retry!.attempt))).toEqual(new Set([1, 2, 3]));
    for (const e of retrying) {
      expect(e.retry).toMatchObject({ status: 503, code: expect.any(String) });
      expect(e.etaAt).toBeNull(); // before: the plan's “about 1 s left”
    }
    // The wait for the lookup of the unknown outcome is published, not silent (a time, not just a reason).
    const graceWait = retrying.find((e) => e.waitReason?.startsWith('Waiting before checking with Clerk'));
    expect(graceWait?.waitUntil).toBe(graceWait?.retry?.nextAt);
    expect(retrying.every((e) => e.retry!.nextAt !== null)).toBe(true);
    // Once Clerk answers again the retry is gone and the ETA back.
    const last = fx.events.filter((e) => e.id === id).at(-1)!;
    expect(last.retry).toBeNull();
    expect(last.state).toBe('finished');
  });
});
