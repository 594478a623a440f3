/**
 * Issue 24's “done when”: a 1,000-row application run accepted in the emulator under #7956 (bulk-made invitations'
 * metadata never reaches the user), some users having changed a key after sign-up: the check finds every row whose
 * metadata did not land; the repair (a run of its own, driven by a process SIGKILLed at random, with late commits on
 * the PATCHes) makes every one land, writes each user once, and overwrites nothing a user changed unless ticked. The
 * same for an organization run's memberships. `npm test` runs METADATA_ROWS=300; `npm run soak` runs 1,000 (about a
 * minute each here).
 */
import { describe, expect, it } from 'vitest';
import { startClerkEmulator, type ClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addOrg, findUserByEmail, type EmuInstance } from '../../../src/main/emulator/store.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { fetchStatuses } from '../../../src/main/services/history/statusSync.ts';
import { createChecksRepo } from '../../../src/main/services/metadata/checksRepo.ts';
import { createMetadataCheck } from '../../../src/main/services/metadata/metadataCheck.ts';
import { createMetadataRepair, repairRows } from '../../../src/main/services/metadata/metadataRepair.ts';
import { contains, type CheckSummary } from '../../../src/shared/domain/metadata/landed.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { runSendingChild } from '../../helpers/sendingChild.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const ROWS = Number(process.env['METADATA_ROWS'] ?? 300);
const KILLS = 6;
const WINDOW = 500;
const SEND_LIMITS = { 'app.bulk': 20, 'app.single': 5, 'org.bulk': 20, 'org.single': 5, general: 300 };
const CHILD = JSON.stringify({ limits: { general: 300 }, unknownGraceMs: 300, leaseMs: 400 });
const PATCHES = /\/metadata$/;

type Setup = { emulator: ClerkEmulator; i: EmuInstance; kind: 'app' | 'org'; orgId: string | null };

/** What is on the user (application) or the membership (organization) now, straight from the emulator. */
function heldBy(s: Setup, email: string): { public: Record<string, unknown>; private: Record<string, unknown> } | null {
  const u = findUserByEmail(s.i, email);
  if (!u) return null;
  if (s.kind === 'app') return { public: u.publicMetadata, private: {} };
  const m = s.i.orgs.get(s.orgId!)!.memberships.get(u.id);
  return m ? { public: m.publicMetadata, private: m.privateMetadata } : null;
}

async function soak(kind: 'app' | 'org') {
  const emulator = await startClerkEmulator({
    rateLimits: {
      hourlyWindowMs: WINDOW,
      limits: {
        'invitations.bulk': SEND_LIMITS['app.bulk'],
        'invitations.create': SEND_LIMITS['app.single'],
        'org_invitations.bulk': SEND_LIMITS['org.bulk'],
        'org_invitations.create': SEND_LIMITS['org.single'],
        general: 1000,
      },
    },
    instances: [{ monthlyEmailCap: null }],
    behaviour: { bulkMetadataLost: true, changedAfterSignUp: { key: 'plan', value: 'free', every: 7 } },
  });
  const dir = makeTempDir();
  try {
    const i = emulator.instance;
    const orgId = kind === 'org' ? addOrg(i, { name: 'Soak', maxAllowedMemberships: 0 }, Date.now()).id : null;
    const s: Setup = { emulator, i, kind, orgId };
    const sent = (k: number) => ({ plan: 'pro', team: `t${k % 5}`, k });
    const requests = Array.from({ length: ROWS }, (_, k) =>
      appRequest(`u${k}@meta-soak.test`, {
        publicMetadata: sent(k),
        ...(orgId ? { organizationId: orgId, role: 'org:member', privateMetadata: { crm: k } } : {}),
      }),
    );
    const dbPath = tempDbPath(dir.path);
    const client = createClerkClient({ baseUrl: emulator.apiUrl, secretKey: i.secretKey });
    const f = makeRunFixture({ emulator, secretKey: i.secretKey, dbPath, limits: SEND_LIMITS });
    const runId = f.createRun(requests, { kind, windowMs: WINDOW, instanceId: i.id, running: true });
    await f.engine.resumeAll();
    await f.engine.settled(runId);
    expect(f.repo.rows(runId).filter((r) => r.state !== 'sent')).toEqual([]);

    // Everybody accepts. Organizations: the metadata lands on the membership; an app removed keys from every 4th.
    for (const r of requests) expect(emulator.accept(r.emailAddress)).toBe(true);
    if (orgId)
      for (const [k, r] of requests.entries())
        if (k % 4 === 0) {
          const m = heldBy(s, r.emailAddress)!;
          delete m.public['team'];
          delete m.private['crm'];
        }
    f.repo.applyStatuses(
      runId,
      await fetchStatuses(client, orgId ? { kind: 'org', organizationId: orgId } : { kind: 'app' }, 0),
      Date.now(),
    );

    const checks = createChecksRepo(f.db);
    const progress: number[] = [];
    const checker = createMetadataCheck({
      store: f.storage,
      checks,
      quota: f.storage.quota,
      clientFor: async () => client,
      now: Date.now,
      onProgress: (p) => progress.push(p.checked),
    });
    const truth = () =>
      requests.map((r) => {
        const held = heldBy(s, r.emailAddress)!;
        return contains(held.public, r.publicMetadata) && contains(held.private, orgId ? r.privateMetadata : {});
      });
    const check = async (): Promise<CheckSummary> => {
      const started = Date.now();
      const calls = emulator.requests.length;
      const summary = await checker.check(runId);
      console.log(
        `metadata check (${kind}): ${ROWS} rows in ${Date.now() - started} ms, ${emulator.requests.length - calls} requests: ${summary.line}`,
      );
      // Every row the emulator says did not land is found, and no other.
      const landed = truth();
      const rows = checks.rows(runId);
      expect(rows).toHaveLength(ROWS);
      expect(rows.filter((c) => (c.status === 'landed') !== landed[c.idx]).map((c) => [c.idx, c.label])).toEqual([]);
      return summary;
    };
    const first = await check();
    expect(progress.at(-1)).toBe(ROWS);
    expect(first.accepted).toBe(ROWS);
    // Bulk-made invitations (most) lost everything under #7956 (applications); an app removed keys from every 4th (organizations).
    expect(first.missing).toBeGreaterThanOrEqual(kind === 'app' ? ROWS / 2 : ROWS / 4);
    expect(first.landed + first.missing + first.differs).toBe(ROWS);
    const changedPlan = requests.filter((r) => heldBy(s, r.emailAddress)!.public['plan'] === 'free').map((r) => r.emailAddress);
    expect(changedPlan.length).toBeGreaterThan(ROWS / 10);

    // A user sets a missing key between the check and the repair: the repair leaves it alone.
    const raced = checks
      .rows(runId)
      .filter((c) => c.missing.some((m) => m.key === 'team'))
      .slice(0, 5);
    for (const c of raced) heldBy(s, requests[c.idx]!.emailAddress)!.public['team'] = 'mine';

    const repairer = createMetadataRepair({
      store: f.storage,
      checks,
      engine: f.engine,
      profiles: null as never,
      now: Date.now,
      newId: () => 'unused',
    });
    const repair = async (overwrite: string[]) => {
      const plan = await repairer.review({ runId, overwrite });
      expect(plan.rows.length).toBeGreaterThan(0);
      // Before → after: nothing the user holds with another value is in it unless ticked.
      for (const p of plan.rows) for (const w of p.writes) expect(w.kind === 'missing' || overwrite.includes(w.key)).toBe(true);
      const rows = repairRows(plan.rows, f.repo.requests(runId), new Map(f.repo.rows(runId).map((r) => [r.idx, r.sheetRow])));
      const repairId = f.createRun(
        rows.map((r) => r.request),
        { kind, op: 'repair', windowMs: 10_000, instanceId: i.id, running: true },
      );
      emulator.faults.inject({ kind: 'late_commit', delayMs: 150, probability: 0.08, path: PATCHES });
      const before = emulator.requests.length;
      const lateBefore = emulator.lateCommits.length;
      const args = [dbPath, emulator.apiUrl, i.secretKey, CHILD];
      let kills = 0;
      for (let k = 0; k < KILLS; k++) if ((await runSendingChild(args, 350 + Math.floor(Math.random() * 500))) === 'killed') kills++;
      expect(await runSendingChild(args, null)).toBe('done');
      await expect.poll(() => emulator.pendingLateCommits()).toBe(0);
      emulator.faults.clear();
      const patches = emulator.requests.slice(before).filter((r) => r.method === 'PATCH');
      const late = emulator.lateCommits.slice(lateBefore).filter((c) => c.committed && PATCHES.test(c.path));
      // Each user written once at most (a kill or a late commit is read back, never written again), no 429.
      const writes = new Map<string, number>();
      for (const p of [...patches.filter((r) => r.status === 200), ...late]) writes.set(p.path, (writes.get(p.path) ?? 0) + 1);
      expect([...writes].filter(([, n]) => n > 1)).toEqual([]);
      expect(emulator.requests.slice(before).filter((r) => r.status === 429)).toEqual([]);
      const run = f.repo.get(repairId)!;
      expect([run.state, run.counts.sent]).toEqual(['finished', rows.length]);
      console.log(
        `metadata repair (${kind}, ticked: ${overwrite.join(', ') || 'none'}): ${rows.length} rows, ${kills} kills, ${late.length} late commits, ${patches.length} PATCHes`,
      );
      return { rows: f.repo.rows(repairId), kills, late: late.length };
    };

    const once = await repair([]);
    expect(once.kills).toBeGreaterThanOrEqual(3);
    const left = once.rows.filter((r) => r.message?.startsWith('Left alone'));
    expect(left.map((r) => r.email).sort()).toEqual(raced.map((c) => requests[c.idx]!.emailAddress).sort());
    const second = await check();
    // Every missing key landed; what users changed (plan → free, team → mine) was left as they had it.
    expect(second.missing).toBe(0);
    expect(second.differs).toBe(new Set([...changedPlan, ...raced.map((c) => requests[c.idx]!.emailAddress)]).size);
    for (const e of changedPlan) expect(heldBy(s, e)!.public['plan']).toBe('free');

    // Ticking “plan” overwrites it (and only it): the raced “team” stays the user's.
    await repair(['plan']);
    const third = await check();
    expect([third.missing, third.differs]).toEqual([0, raced.length]);
    for (const c of raced) expect(heldBy(s, requests[c.idx]!.emailAddress)!.public['team']).toBe('mine');
    f.close();
  } finally {
    dir.remove();
    await emulator.close();
  }
}

describe('metadata check and repair soak', () => {
  it(
    `${ROWS} application rows under #7956, kills and late commits: every row lands, nothing a user changed overwritten unless ticked`,
    {
      timeout: 400_000,
    },
    () => soak('app'),
  );
  it(`${ROWS} organization rows (memberships), kills and late commits: the same`, { timeout: 400_000 }, () => soak('org'));
});
