/**
 * Issue 22's “done when”: an organization sheet in which 30% already have accounts. The run spends invitation
 * requests only on the other 70%, adds the 30% as members (general limit), draws no 429, and every person is handled
 * once, with late commits, 200 answers that do not show the outcome (on both kinds of create) and SIGKILLs of the
 * sending process. `npm test` runs SOAK_ROWS=300; `npm run soak` runs 2,000 rows.
 */
import { describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { runSendingChild } from '../../helpers/sendingChild.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const ROWS = Number(process.env['SOAK_ROWS'] ?? 300);
const KILLS = 8;
const WINDOW = 500;
/** Invitations on compressed hourly windows; memberships on the general limit's real 10 s window. */
const LIMITS = { 'org.bulk': 12, 'org.single': 15, general: 300 };
const LATE = { probability: ROWS >= 2000 ? 0.03 : 0.1, delayMs: 150 };
const OPTIONS = { limits: LIMITS, unknownGraceMs: 300, leaseMs: 400 };
const MEMBERSHIPS = /\/memberships$/;
const BAD_OK = [
  { body: 'empty_object' as const, commit: true as const, probability: 0.04 },
  { body: 'null' as const, commit: false as const, probability: 0.04 },
  { body: 'other_email' as const, commit: true as const, probability: 0.04 },
  // The same on the membership creates (a 200 without the membership: looked up, never taken on trust).
  { body: 'empty_object' as const, commit: true as const, probability: 0.04, path: MEMBERSHIPS },
  { body: 'null' as const, commit: false as const, probability: 0.04, path: MEMBERSHIPS },
];

describe('membership soak', () => {
  it(
    `${ROWS} organization rows, 30% with an account, late commits, ${KILLS} SIGKILLs: 70% invited, 30% added, each once, no 429`,
    { timeout: 300_000 },
    async () => {
      const emulator = await startClerkEmulator({
        rateLimits: {
          hourlyWindowMs: WINDOW,
          limits: { 'org_invitations.bulk': LIMITS['org.bulk'], 'org_invitations.create': LIMITS['org.single'], general: 1000 },
        },
        instances: [{ monthlyEmailCap: null }],
        faults: { lateCommit: LATE, badOk: BAD_OK, specs: [{ kind: 'slow', delayMs: 30, method: 'POST' }] },
      });
      const dir = makeTempDir();
      try {
        const i = emulator.instance;
        const org = addOrg(i, { name: 'Soak', maxAllowedMemberships: 0 }, Date.now());
        const userOf = new Map<string, string>();
        const requests = Array.from({ length: ROWS }, (_, k) => {
          const email = `m${k}@soak.test`;
          // Every third row of ten… 30% spread through the sheet.
          const existing = k % 10 < 3;
          if (existing) userOf.set(email, addUser(i, { emailAddress: email, createdAt: Date.now() - 86_400_000 }).id);
          return appRequest(email, {
            organizationId: org.id,
            role: 'org:member',
            privateMetadata: { k },
            ...(existing ? { memberUserId: userOf.get(email)!, notify: false } : {}),
          });
        });
        const dbPath = tempDbPath(dir.path);
        const setup = makeRunFixture({ emulator, secretKey: i.secretKey, dbPath });
        const runId = setup.createRun(requests, { kind: 'org', windowMs: WINDOW, instanceId: i.id, running: true });
        setup.close();
        const args = [dbPath, emulator.apiUrl, i.secretKey, JSON.stringify(OPTIONS)];
        const started = Date.now();
        let kills = 0;
        for (let k = 0; k < KILLS; k++) if ((await runSendingChild(args, 250 + Math.floor(Math.random() * 700))) === 'killed') kills++;
        expect(await runSendingChild(args, null)).toBe('done');
        await expect.poll(() => emulator.pendingLateCommits()).toBe(0);

        const check = makeRunFixture({ emulator, secretKey: i.secretKey, dbPath });
        const run = check.repo.get(runId)!;
        const rows = check.repo.rows(runId);
        const per = invitationsPerEmail(emulator, i.secretKey);
        const memberPosts = emulator.requests.filter((r) => r.method === 'POST' && MEMBERSHIPS.test(r.path));
        const invitationPosts = emulator.requests.filter((r) => r.method === 'POST' && /\/invitations(\/bulk)?$/.test(r.path));
        console.log(
          `membership soak: ${ROWS} rows (${userOf.size} with an account), ${kills} kills, ` +
            `${emulator.lateCommits.filter((c) => c.committed).length} late commits (of ${emulator.lateCommits.length} cut off), ` +
            `${emulator.badOkAnswers()} 200s that did not show the outcome, ${invitationPosts.length} invitation requests, ` +
            `${memberPosts.length} membership requests, ${((Date.now() - started) / 1000).toFixed(1)} s, ended ${run.state}`,
        );
        expect(kills).toBeGreaterThanOrEqual(4);
        expect(emulator.lateCommits.length).toBeGreaterThan(0);
        expect([run.state, run.pauseReason]).toEqual(['finished', null]);
        expect(rows.filter((r) => r.state !== 'sent').map((r) => [r.email, r.state, r.errorCode])).toEqual([]);
        // No 429, and no membership asked again after Clerk had made it (that would answer “already a member”).
        expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
        expect(memberPosts.filter((r) => r.status >= 400)).toEqual([]);
        expect(emulator.lateCommits.filter((c) => !c.committed)).toEqual([]);
        // Invitations: exactly the 70% without an account, once each; none for the 30%.
        expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
        expect(per.size).toBe(ROWS - userOf.size);
        expect([...userOf.keys()].filter((e) => per.has(e))).toEqual([]);
        // Members: exactly the 30%, each row pointing at its user, none “already a member”.
        expect(org.members.size).toBe(userOf.size);
        for (const r of rows.filter((x) => userOf.has(x.email))) {
          expect([r.invitationId, r.invitationStatus, r.message]).toEqual([userOf.get(r.email), 'member', null]);
          expect(org.memberships.get(userOf.get(r.email)!)?.privateMetadata).toEqual({ k: Number(r.email.slice(1, -10)) });
        }
        const idOf = new Map(i.orgInvitations.map((x) => [x.emailAddress, x.id]));
        expect(rows.filter((r) => !userOf.has(r.email) && r.invitationId !== idOf.get(r.email))).toEqual([]);
        check.close();
      } finally {
        dir.remove();
        await emulator.close();
      }
    },
  );
});
