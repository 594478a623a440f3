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
