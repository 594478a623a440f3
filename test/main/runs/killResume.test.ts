/** Kill the sending process at random points, again and again; resume each time. Every row ends exactly once. */
import { describe, expect, it } from 'vitest';
import { runSendingChild } from '../../helpers/sendingChild.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const LIMITS = { 'app.bulk': 4, 'app.single': 6 };
const WINDOW = 800;
const ROWS = 300;

describe('kill and resume', () => {
  it('after repeated kills at random points, no invitation is created twice and no row is lost', { timeout: 120_000 }, async () => {
    const emulator = await startClerkEmulator({
      rateLimits: {
        hourlyWindowMs: WINDOW,
        limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': LIMITS['app.single'] },
      },
      instances: [{ monthlyEmailCap: null }],
    });
    // Requests take a while, and some are applied with the answer lost, so kills land mid-request.
    emulator.faults.inject({ kind: 'slow', delayMs: 40, method: 'POST' });
    const dir = makeTempDir();
    try {
      const dbPath = tempDbPath(dir.path);
      const setup = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath });
      // Long enough (about 6 windows of sending) that every killed attempt still finds work left.
      const emails = Array.from({ length: ROWS }, (_, i) => `k${i}@kill.test`);
      const runId = setup.createRun(
        emails.map((e) => appRequest(e)),
        { windowMs: WINDOW, instanceId: emulator.instance.id, running: true },
      );
      setup.close();
      const args = [dbPath, emulator.apiUrl, emulator.instance.secretKey, JSON.stringify(LIMITS)];
      let kills = 0;
      for (let i = 0; i < 8; i++) {
        if (i === 3) emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', probability: 0.2 });
        if ((await runSendingChild(args, 150 + Math.floor(Math.random() * 600))) === 'killed') kills++;
      }
      emulator.faults.clear();
      expect(await runSendingChild(args, null)).toBe('done');
      expect(kills).toBeGreaterThanOrEqual(4);

      const check = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath });
      const run = check.repo.get(runId)!;
      expect(run.state).toBe('finished');
      expect(run.counts).toMatchObject({ total: ROWS, sent: ROWS, inflight: 0, queued: 0, failed: 0 });
      const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
      expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(per.size).toBe(ROWS);
      // Requests claimed in the journal but never answered: the kills that landed mid-request.
      const cut = Number(check.db.prepare('SELECT COUNT(*) AS n FROM run_requests WHERE finished_at IS NULL').get()?.['n']);
      console.log(`kill/resume: ${kills} kills, ${cut} requests cut off mid-flight and reconciled`);
      const ids = check.repo.rows(runId).map((r) => r.invitationId);
      expect(new Set(ids).size).toBe(ROWS);
      check.close();
    } finally {
      dir.remove();
      await emulator.close();
    }
  });
});
