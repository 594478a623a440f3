/**
 * An organization with room for fewer rows than the run has (issue 21, item 2, the engine's part): the run sends
 * what fits, then fails the rest with the true reason and finishes; it never pauses saying the organization is full
 * when it is not, and nobody is invited twice.
 */
import { describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

describe('organization capacity', () => {
  it.each([
    { rows: 9, fit: 4, label: '9 rows, room for 4' },
    { rows: 30, fit: 0, label: '30 rows, no room' },
  ])('$label: what fits is sent, the rest fail with why, the run finishes', async ({ rows, fit }) => {
    const emulator = await startClerkEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
    const dir = makeTempDir();
    try {
      const admin = addUser(emulator.instance, { emailAddress: 'admin@cap.test' });
      const org = addOrg(emulator.instance, { name: 'Cap', maxAllowedMemberships: fit + 1, admins: [admin.id] }, Date.now());
      const fx = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath: tempDbPath(dir.path) });
      const id = fx.createRun(
        Array.from({ length: rows }, (_, i) => appRequest(`seat${i}@cap.test`, { organizationId: org.id, role: 'org:member' })),
        { kind: 'org', windowMs: 60_000, instanceId: emulator.instance.id },
      );
      await fx.engine.start(id);
      await fx.engine.settled(id);
      const run = fx.repo.get(id)!;
      expect([run.state, run.pauseReason]).toEqual(['finished', null]);
      expect(run.counts).toMatchObject({ sent: fit, failed: rows - fit, queued: 0, inflight: 0 });
      const failed = fx.repo.rows(id).filter((r) => r.state === 'failed');
      expect(failed.every((r) => /had room for .* raise its limit in Clerk/.test(r.message ?? ''))).toBe(true);
      expect(emulator.instance.orgInvitations).toHaveLength(fit);
      fx.close();
    } finally {
      dir.remove();
      await emulator.close();
    }
  });
});
