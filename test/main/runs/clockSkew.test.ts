/**
 * Never twice whatever the laptop's clock says (issue 20, item 1): Clerk's clock set apart from ours by ±90 s, ±5 min
 * and ±2 h, a fifth of the create answers lost after Clerk committed and some late commits: every email invited
 * once, no row failed, every row pointing at its own invitation; and invitations somebody else made earlier are
 * never credited to the run.
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/main/emulator/ids.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const ROWS = 150;
const WINDOW = 400;
const LIMITS = { 'app.bulk': 10, 'app.single': 10 };
const MIN = 60_000;

async function skewed(clerkMinusLaptopMs: number) {
  const emulator = await startClerkEmulator({
    now: () => Date.now() + clerkMinusLaptopMs,
    rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': LIMITS['app.single'] } },
    instances: [{ monthlyEmailCap: null }],
    faults: {
      lateCommit: { probability: 0.05, delayMs: 100 },
      specs: [{ kind: 'reset_after_commit', method: 'POST', path: '/invitations', probability: 0.2 }],
    },
  });
  const dir = makeTempDir();
  const fx = makeRunFixture({
    emulator,
    secretKey: emulator.instance.secretKey,
    dbPath: tempDbPath(dir.path),
    limits: LIMITS,
    engine: { unknownGraceMs: 250 },
  });
  return {
    emulator,
    fx,
    async close() {
      fx.close();
      dir.remove();
      await emulator.close();
    },
  };
}

describe('never twice whatever the laptop clock says', () => {
  describe.each([
    { skew: -90_000, label: 'laptop 90 s ahead' },
    { skew: 90_000, label: 'laptop 90 s behind' },
    { skew: -5 * MIN, label: 'laptop 5 min ahead' },
    { skew: 5 * MIN, label: 'laptop 5 min behind' },
    { skew: -120 * MIN, label: 'laptop 2 h ahead' },
    { skew: 120 * MIN, label: 'laptop 2 h behind' },
  ])('$label', ({ skew }) => {
    it.each([false, true])(
      'ignore_existing %s: every email invited once, no false failure',
      { timeout: 60_000 },
      async (ignoreExisting) => {
        const s = await skewed(skew);
        try {
          const id = s.fx.createRun(
            Array.from({ length: ROWS }, (_, i) => appRequest(`skew${i}@clock.test`, { ignoreExisting })),
            { windowMs: WINDOW, instanceId: s.emulator.instance.id },
          );
          await s.fx.engine.start(id);
          await s.fx.engine.settled(id);
          await expect.poll(() => s.emulator.pendingLateCommits()).toBe(0);
          const rows = s.fx.repo.rows(id);
          const per = invitationsPerEmail(s.emulator, s.emulator.instance.secretKey);
          expect(rows.filter((r) => r.state !== 'sent').map((r) => [r.email, r.state, r.errorCode])).toEqual([]);
          expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
          const idOf = new Map(s.emulator.instance.invitations.map((i) => [i.emailAddress, i.id]));
          expect(rows.filter((r) => r.invitationId !== idOf.get(r.email))).toEqual([]);
        } finally {
          await s.close();
        }
      },
    );
  });

  it.each([
    { skew: 5 * MIN, label: 'laptop 5 min behind' },
    { skew: -5 * MIN, label: 'laptop 5 min ahead' },
  ])('$label: invitations somebody else made a minute earlier are never credited to the run', { timeout: 60_000 }, async ({ skew }) => {
    const s = await skewed(skew);
    try {
      const inst = s.emulator.instances.get(s.emulator.instance.secretKey)!;
      const earlier = Date.now() + skew - MIN;
      const theirs = Array.from({ length: 20 }, (_, i) => ({
        id: newId('inv'),
        emailAddress: `other${i}@clock.test`,
        publicMetadata: {},
        status: 'pending' as const,
        ticket: newId('tkt', 32).slice(4),
        expiresAt: null,
        createdAt: earlier,
        updatedAt: earlier,
        emailsSent: 1,
      }));
      inst.invitations.push(...theirs);
      const id = s.fx.createRun(
        theirs.map((t) => appRequest(t.emailAddress)),
        { windowMs: WINDOW, instanceId: s.emulator.instance.id },
      );
      await s.fx.engine.start(id);
      await s.fx.engine.settled(id);
      const rows = s.fx.repo.rows(id);
      const theirIds = new Set(theirs.map((t) => t.id));
      expect(rows.filter((r) => r.invitationId !== null && theirIds.has(r.invitationId)).map((r) => r.email)).toEqual([]);
      expect(rows.map((r) => r.errorCode)).toEqual(theirs.map(() => 'duplicate_record'));
      expect([...invitationsPerEmail(s.emulator, s.emulator.instance.secretKey).values()].every((n) => n === 1)).toBe(true);
    } finally {
      await s.close();
    }
  });
});
