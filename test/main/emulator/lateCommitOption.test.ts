import { describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { call } from '../../helpers/http.ts';

describe('emulator option: faults.lateCommit', () => {
  it('commits every create call late at probability 1, and never a GET', async () => {
    const emu = await startClerkEmulator({ rateLimits: { enabled: false }, faults: { lateCommit: { probability: 1, delayMs: 50 } } });
    try {
      const key = emu.instance.secretKey;
      expect((await call(emu.origin, 'GET', '/v1/invitations', { key })).status).toBe(200);
      await expect(call(emu.origin, 'POST', '/v1/invitations', { key, body: { email_address: 'late@x.test' } })).rejects.toThrow();
      await expect.poll(() => emu.lateCommits.length).toBe(1);
      expect(emu.instance.invitations.map((i) => i.emailAddress)).toEqual(['late@x.test']);
    } finally {
      await emu.close();
    }
  });
});

describe('a late commit lands by Clerk’s clock, not only by its timer', () => {
  it('due, it is applied before any later request is answered, though its timer has not run (a busy event loop)', async () => {
    // The soaks found a lookup answered "not there" after the late commit was due: on a loaded machine its timer ran
    // later than its time, and the engine (rightly, after its grace) sent again.
    let t = Date.now();
    const emu = await startClerkEmulator({ rateLimits: { enabled: false }, now: () => t });
    try {
      const key = emu.instance.secretKey;
      emu.faults.inject({ kind: 'late_commit', delayMs: 60_000, method: 'POST', path: '/v1/invitations', times: 1 });
      await expect(call(emu.origin, 'POST', '/v1/invitations', { key, body: { email_address: 'late@x.test' } })).rejects.toThrow();
      const emails = async () =>
        ((await call(emu.origin, 'GET', '/v1/invitations?status=pending', { key })).body as { email_address: string }[]).map(
          (i) => i.email_address,
        );
      expect(await emails()).toEqual([]); // not due yet
      t += 60_000; // Clerk's clock reaches it; the 60 s timer is nowhere near running
      expect(await emails()).toEqual(['late@x.test']);
      expect(emu.lateCommits).toEqual([expect.objectContaining({ path: '/v1/invitations', committed: true })]);
      expect(emu.pendingLateCommits()).toBe(0);
    } finally {
      await emu.close();
    }
  });
});
