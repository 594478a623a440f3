/**
 * Issue 23's “done when”: 3,000 pending waitlist entries invited in one run with no 429 under both pacing variants
 * (`/invite` on the general limit only, or also on the hourly invitation budget), and no entry invited twice under
 * SIGKILLs of the sending process and late commits; a reject run the same way. Windows are compressed (500 ms for
 * Clerk's 10 s and hour). `npm test` runs 300 entries; `npm run soak` runs 3,000 (WAITLIST_SOAK_ROWS overrides).
 */
import { describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addWaitlistEntry } from '../../../src/main/emulator/waitlist.ts';
import type { RunOp } from '../../../src/shared/domain/send/limits.ts';
import type { WaitlistPace } from '../../../src/shared/domain/sheet/validate.ts';
import { invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { runSendingChild } from '../../helpers/sendingChild.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const ROWS = Number(process.env['WAITLIST_SOAK_ROWS'] ?? (process.env['SOAK_ROWS'] ? 3000 : 300));
const KILLS = 6;
const WINDOW = 500;
/** Clerk's limits per compressed window, and the engine's share of them (the general lane leaves room for lookups). */
const CLERK = { general: 240, 'invitations.create': 100 };
const ENGINE = { general: 180, 'app.single': 90 };

const cases: { name: string; op: RunOp; pace: WaitlistPace; budget: 'general' | 'invitations' }[] = [
  { name: 'invite, /invite on the general limit only', op: 'waitlist_invite', pace: 'general', budget: 'general' },
  { name: 'invite, /invite also on the invitation budget', op: 'waitlist_invite', pace: 'invitations', budget: 'invitations' },
  { name: 'reject', op: 'waitlist_reject', pace: 'general', budget: 'general' },
  { name: 'add (bulk)', op: 'waitlist_add', pace: 'general', budget: 'general' },
];

describe('waitlist soak', () => {
  for (const c of cases) {
    it(`${ROWS} entries, ${c.name}: each entry once, no 429, with late commits and ${KILLS} SIGKILLs`, { timeout: 600_000 }, async () => {
      // Adds go 50 a call, so few calls: each is far likelier to be cut off.
      const late = c.op === 'waitlist_add' ? 0.3 : ROWS >= 2000 ? 0.02 : 0.06;
      const cut = c.op === 'waitlist_add' ? 0.15 : 0.02;
      const emulator = await startClerkEmulator({
        rateLimits: { hourlyWindowMs: WINDOW, generalWindowMs: WINDOW, limits: CLERK },
        instances: [{ monthlyEmailCap: null }],
        behaviour: { waitlistInviteBudget: c.budget },
        faults: {
          specs: [
            { kind: 'late_commit', delayMs: 150, path: /\/(invite|reject|bulk)$/, probability: late },
            { kind: 'reset_after_commit', path: /\/(invite|reject|bulk)$/, probability: cut },
            // Adds are a few calls of 50: slower answers, so the kills land while there is still work.
            { kind: 'slow', delayMs: c.op === 'waitlist_add' ? 400 : 15, method: 'POST' },
          ],
        },
      });
      const dir = makeTempDir();
      try {
        const i = emulator.instance;
        const adding = c.op === 'waitlist_add';
        // Adds start from addresses not on the waitlist yet; invites and rejects from pending entries.
        const list = adding ? [] : Array.from({ length: ROWS }, (_, k) => addWaitlistEntry(i, `w${k}@soak.test`, Date.now() - 86_400_000));
        const emails = adding ? Array.from({ length: ROWS }, (_, k) => `a${k}@soak.test`) : list.map((e) => e.emailAddress);
        const dbPath = tempDbPath(dir.path);
        const setup = makeRunFixture({ emulator, secretKey: i.secretKey, dbPath });
        const runId = setup.createRun(
          emails.map((email, k) => ({
            emailAddress: email,
            publicMetadata: {},
            privateMetadata: {},
            notify: !adding,
            ignoreExisting: false,
            ...(adding ? {} : { waitlistEntryId: list[k]!.id }),
            ...(c.op === 'waitlist_invite' ? { waitlistPace: c.pace } : {}),
          })),
          { op: c.op, windowMs: WINDOW, instanceId: i.id, running: true },
        );
        setup.close();
        const args = [dbPath, emulator.apiUrl, i.secretKey, JSON.stringify({ limits: ENGINE, unknownGraceMs: 300, leaseMs: 400 })];
        const started = Date.now();
        let kills = 0;
        for (let k = 0; k < KILLS; k++) if ((await runSendingChild(args, 300 + Math.floor(Math.random() * 900))) === 'killed') kills++;
        expect(await runSendingChild(args, null)).toBe('done');
        await expect.poll(() => emulator.pendingLateCommits()).toBe(0);

        const check = makeRunFixture({ emulator, secretKey: i.secretKey, dbPath });
        const run = check.repo.get(runId)!;
        const twice = list.filter((e) => e.actions !== 1);
        const tooMany = emulator.requests.filter((r) => r.status === 429).length;
        const askedAgain = emulator.requests.filter((r) => /\/(invite|reject)$/.test(r.path) && r.status === 400).length;
        const cutOff = Number(check.db.prepare('SELECT COUNT(*) AS n FROM run_requests WHERE finished_at IS NULL').get()?.['n']);
        console.log(
          `waitlist soak (${c.name}): ${ROWS} entries in ${((Date.now() - started) / 1000).toFixed(1)} s, ${kills} kills, ` +
            `${cutOff} requests cut off mid-flight, ${emulator.lateCommits.filter((x) => x.committed).length} late commits; ` +
            `done more than once: ${twice.length} (goal 0), 429s: ${tooMany} (goal 0), asked again after done: ${askedAgain} (goal 0)`,
        );
        expect(run.state).toBe('finished');
        expect(run.counts).toMatchObject({ total: ROWS, sent: ROWS, failed: 0, queued: 0, inflight: 0 });
        // An add run is short (300 addresses are 6 calls): a kill can find it done.
        expect(kills).toBeGreaterThanOrEqual(c.op === 'waitlist_add' ? 2 : 3);
        expect(twice).toEqual([]);
        expect(tooMany).toBe(0);
        expect(askedAgain).toBe(0);
        if (c.op === 'waitlist_invite') {
          const per = invitationsPerEmail(emulator, i.secretKey);
          expect(per.size).toBe(ROWS);
          expect([...per.values()].every((n) => n === 1)).toBe(true);
          expect(list.every((e) => e.status === 'invited')).toBe(true);
        } else if (c.op === 'waitlist_reject') expect(list.every((e) => e.status === 'rejected')).toBe(true);
        else {
          // One entry per address, none reported “already on the waitlist” (each was new), each row its entry's id.
          expect(i.waitlist).toHaveLength(ROWS);
          const rows = check.repo.rows(runId);
          expect(rows.filter((r) => r.message !== null)).toEqual([]);
          const ids = new Map(i.waitlist.map((e) => [e.emailAddress, e.id]));
          expect(rows.every((r) => r.invitationId === ids.get(r.email))).toBe(true);
        }
        check.close();
      } finally {
        dir.remove();
        await emulator.close();
      }
    });
  }
});
