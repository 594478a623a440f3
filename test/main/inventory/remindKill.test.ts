/**
 * Reminders never twice under SIGKILLs (issue 25, done-when): the sending process is killed at random moments while
 * it creates the fresh invitations and while it revokes the older ones; resumed each time. Every invitee ends with
 * exactly one fresh invitation (their older one revoked), and exactly one revoke run follows the reminder run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const CHILD = join(import.meta.dirname, '../../helpers/reminderChild.ts');
const LIMITS = { 'app.bulk': 3, 'app.single': 4 };
const ROWS = 120;

function child(args: string[], killAfterMs: number | null): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += String(d)));
    const timer = killAfterMs === null ? null : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done')) resolve('done');
      else reject(new Error(`child exited with ${code ?? signal}: ${out}`));
    });
  });
}

describe('reminders under kills', () => {
  it(
    'one fresh invitation per invitee, every older one revoked, one revoke run: across SIGKILLs mid-request',
    { timeout: 150_000 },
    async () => {
      const emulator = await startClerkEmulator({
        rateLimits: { hourlyWindowMs: 800, limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': LIMITS['app.single'] } },
        instances: [{ monthlyEmailCap: null }],
      });
      emulator.seedOutside({ count: ROWS, orgShare: 0, accepted: 0, revoked: 0, expired: 0, spanDays: 20 });
      const inst = emulator.instance;
      for (const x of inst.invitations) x.createdAt = Math.min(x.createdAt, Date.now() - 86_400_000); // a day old at least
      emulator.faults.inject({ kind: 'slow', delayMs: 30, method: 'POST' });
      const dir = makeTempDir();
      try {
        const dbPath = tempDbPath(dir.path);
        const setup = makeRunFixture({ emulator, secretKey: inst.secretKey, dbPath });
        const old = inst.invitations.map((x) => ({ id: x.id, email: x.emailAddress, meta: x.publicMetadata }));
        // What inventory:act writes for a reminder: the create run (ignore_existing, notify) and its action record.
        const runId = setup.createRun(
          old.map((o) => appRequest(o.email, { ignoreExisting: true, notify: true, publicMetadata: o.meta })),
          { windowMs: 800, instanceId: inst.id, running: true },
        );
        setup.db
          .prepare("INSERT INTO inventory_actions (run_id, profile_id, action, replaces, created_at) VALUES (?, 'p1', 'remind', ?, ?)")
          .run(runId, JSON.stringify(old.map((o) => o.id)), Date.now());
        setup.close();
        const args = [dbPath, emulator.apiUrl, inst.secretKey, inst.id, JSON.stringify(LIMITS)];
        let kills = 0;
        for (let i = 0; i < 10; i++) {
          if (i === 3) emulator.faults.inject({ kind: 'reset_after_commit', probability: 0.15 });
          if ((await child(args, 200 + Math.floor(Math.random() * 900))) === 'killed') kills++;
        }
        emulator.faults.clear();
        expect(await child(args, null)).toBe('done');
        expect(kills).toBeGreaterThanOrEqual(5);

        const check = makeRunFixture({ emulator, secretKey: inst.secretKey, dbPath });
        const runs = check.repo.list();
        const revokes = runs.filter((r) => r.op === 'revoke');
        expect(revokes).toHaveLength(1);
        expect(revokes[0]).toMatchObject({ parentRunId: runId, state: 'finished' });
        expect(check.repo.get(runId)).toMatchObject({ state: 'finished', counts: { sent: ROWS } });
        const now = Date.now();
        for (const o of old) {
          const all = inst.invitations.filter((x) => x.emailAddress === o.email);
          expect(all).toHaveLength(2); // never a second fresh one
          expect(all.find((x) => x.id === o.id)!.status).toBe('revoked');
          const fresh = all.find((x) => x.id !== o.id)!;
          expect(fresh.status === 'pending' && fresh.expiresAt! > now).toBe(true);
          expect(fresh.publicMetadata).toEqual(o.meta);
        }
        console.log(`reminders under kills: ${kills} kills, ${ROWS} invitees, each one fresh invitation and the older one revoked`);
        check.close();
      } finally {
        dir.remove();
        await emulator.close();
      }
    },
  );
});
