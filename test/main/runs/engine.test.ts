import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator, type ClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import type { Endpoint } from '../../../src/shared/domain/send/limits.ts';

const WINDOW = 1500;
const LIMITS: Partial<Record<Endpoint, number>> = { 'app.bulk': 3, 'app.single': 5, 'org.bulk': 3, 'org.single': 5 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(limits: Partial<Record<Endpoint, number>> = LIMITS) {
  const emulator = await startClerkEmulator({
    rateLimits: {
      hourlyWindowMs: WINDOW,
      limits: {
        'invitations.bulk': limits['app.bulk'] ?? 25,
        'invitations.create': limits['app.single'] ?? 100,
        'org_invitations.bulk': limits['org.bulk'] ?? 50,
        'org_invitations.create': limits['org.single'] ?? 250,
      },
    },
    instances: [{ monthlyEmailCap: null }],
  });
  const dir = makeTempDir();
  const fx = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath: tempDbPath(dir.path), limits });
  cleanups.push(
    () => emulator.close(),
    () => dir.remove(),
    () => fx.close(),
    () => fx.engine.shutdown(),
  );
  return { emulator, fx, dir };
}
const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}@runs.test`);
const status429 = (e: ClerkEmulator) => e.requests.filter((r) => r.status === 429).length;

describe('send engine', () => {
  it('sends every row exactly once, bulk and single lanes in parallel, within the limits and without a 429', async () => {
    const { emulator, fx } = await setup();
    const id = fx.createRun(
      emails(60, 'a').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const run = fx.repo.get(id)!;
    expect(run.state).toBe('finished');
    expect(run.counts).toMatchObject({ sent: 60, failed: 0, queued: 0, inflight: 0 });
    expect([...invitationsPerEmail(emulator, emulator.instance.secretKey).values()].every((n) => n === 1)).toBe(true);
    expect(invitationsPerEmail(emulator, emulator.instance.secretKey).size).toBe(60);
    expect(status429(emulator)).toBe(0);
    const posts = emulator.requests.filter((r) => r.method === 'POST');
    expect(posts.some((r) => r.path.endsWith('/bulk'))).toBe(true);
    expect(posts.some((r) => r.path === '/v1/invitations')).toBe(true);
    // 60 rows at 35 a window: two windows (the first starts at once).
    const span = posts.at(-1)!.at - posts[0]!.at;
    expect(span).toBeGreaterThanOrEqual(WINDOW - 50);
    expect(fx.repo.rows(id).every((r) => r.invitationId?.startsWith('inv_') && r.url?.includes('ticket='))).toBe(true);
  });

  it('a batch with one existing user still delivers the other nine', async () => {
    const { emulator, fx } = await setup({ 'app.bulk': 20, 'app.single': 0 });
    addUser(emulator.instance, { emailAddress: 'a4@runs.test' });
    const id = fx.createRun(
      emails(10, 'a').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const rows = fx.repo.rows(id);
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(9);
    const failed = rows.find((r) => r.state === 'failed')!;
    expect(failed).toMatchObject({ email: 'a4@runs.test', errorCode: 'form_identifier_exists' });
    expect(failed.message).toMatch(/Already a user.*ignore existing/);
    expect(invitationsPerEmail(emulator, emulator.instance.secretKey).size).toBe(9);
  });

  it('rows Clerk names (duplicate pending invitations) are set aside; the rest are resent', async () => {
    const { emulator, fx } = await setup({ 'app.bulk': 20, 'app.single': 0 });
    emulator.rateLimits.configure({ enabled: false }); // the engine paces itself; this setup call must not be limited
    const pre = await fetch(`${emulator.apiUrl}/invitations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.instance.secretKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email_address: 'b2@runs.test', notify: false }),
    });
    expect(pre.status).toBe(200);
    // Made well before this run (an invitation created in the run's own millisecond would count as the run's).
    for (const x of emulator.instance.invitations) x.createdAt -= 10 * 60_000;
    const id = fx.createRun(
      emails(10, 'b').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const rows = fx.repo.rows(id);
    expect(rows.find((r) => r.email === 'b2@runs.test')).toMatchObject({ state: 'failed', errorCode: 'duplicate_record' });
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(9);
    // Named culprits cost no extra requests: the first bulk call failed, the second carried the nine.
    expect(emulator.requests.filter((r) => r.path === '/v1/invitations/bulk')).toHaveLength(2);
  });

  it('obeys Retry-After through a 429 storm and still sends each row once', async () => {
    const { emulator, fx } = await setup();
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 1, method: 'POST', times: 4 });
    const id = fx.createRun(
      emails(20, 'c').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)!.counts.sent).toBe(20);
    const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
    expect(per.size).toBe(20);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });

  it('looks up rows whose outcome is unknown (5xx, dropped connections, timeouts) before resending: zero duplicates', async () => {
    const { emulator, fx } = await setup();
    emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', times: 2 });
    emulator.faults.inject({ kind: 'reset', method: 'POST', times: 2 });
    emulator.faults.inject({ kind: 'status', status: 503, method: 'POST', times: 2 });
    emulator.faults.inject({ kind: 'slow', delayMs: 2500, method: 'POST', times: 1 });
    const id = fx.createRun(
      emails(40, 'd').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const run = fx.repo.get(id)!;
    expect(run.counts).toMatchObject({ sent: 40, failed: 0, queued: 0, inflight: 0 });
    const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
    expect(per.size).toBe(40);
    expect([...per.values()].filter((n) => n > 1)).toEqual([]);
  });

  it('remembers the quota spent across a restart, and pauses, resumes and cancels', async () => {
    const { emulator, fx, dir } = await setup({ 'app.bulk': 1, 'app.single': 1 });
    const id = fx.createRun(
      emails(30, 'e').map((e) => appRequest(e)),
      { windowMs: 60_000, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    // After the first window's two calls the run waits for the hourly limit; pause it there.
    await expect.poll(async () => (await fx.engine.progress(id))?.waitReason ?? '').toMatch(/Hourly limit/);
    const waited = (await fx.engine.progress(id))!;
    expect(waited.waitUntil).toBeGreaterThan(Date.now());
    expect(waited.etaAt).toBeGreaterThan(waited.waitUntil!);
    await fx.engine.pause(id);
    expect(fx.repo.get(id)).toMatchObject({ state: 'paused', counts: { sent: 11, queued: 19 } });

    // A second engine over the same database (the app restarted) knows the window is spent.
    const again = makeRunFixture({
      emulator,
      secretKey: emulator.instance.secretKey,
      dbPath: tempDbPath(dir.path),
      limits: { 'app.bulk': 1, 'app.single': 1 },
    });
    cleanups.push(
      () => again.close(),
      () => again.engine.shutdown(),
    );
    await again.engine.start(id);
    await expect.poll(async () => (await again.engine.progress(id))?.waitReason ?? '').toMatch(/Hourly limit/);
    expect(emulator.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    await again.engine.cancel(id);
    const cancelled = again.repo.get(id)!;
    expect(cancelled).toMatchObject({ state: 'cancelled', pauseReason: '19 rows were not sent', counts: { sent: 11, cancelled: 19 } });
    expect(status429(emulator)).toBe(0);
  });

  it('runs several profiles at once, but only one run per profile', async () => {
    const { emulator, fx } = await setup();
    const second = emulator.addInstance({ monthlyEmailCap: null });
    const a = fx.createRun(
      emails(15, 'g').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id, profileId: 'pa' },
    );
    const b = fx.createRun(
      emails(15, 'h').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: second.id, profileId: 'pb' },
    );
    const c = fx.createRun(
      emails(5, 'i').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id, profileId: 'pa' },
    );
    await fx.engine.start(a);
    await fx.engine.start(b);
    expect([fx.engine.isActive(a), fx.engine.isActive(b)]).toEqual([true, true]);
    await expect(fx.engine.start(c)).rejects.toThrow(/already sending “test sheet”/);
    await Promise.all([fx.engine.settled(a), fx.engine.settled(b)]);
    expect([fx.repo.get(a)!.counts.sent, fx.repo.get(b)!.counts.sent]).toEqual([15, 15]);
  });

  it('revoke runs: retried after dropped connections, and already-revoked counts as done', async () => {
    const { emulator, fx } = await setup();
    const created = emails(6, 'r').map((e) => appRequest(e));
    const a = fx.createRun(created, { windowMs: WINDOW, instanceId: emulator.instance.id });
    await fx.engine.start(a);
    await fx.engine.settled(a);
    const sent = fx.repo.rows(a);
    // One is revoked already in Clerk.
    emulator.instance.invitations.find((i) => i.emailAddress === 'r0@runs.test')!.status = 'revoked';
    emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', path: '/revoke', times: 2 });
    const revokes = sent.map((r, i) => ({ ...created[i]!, revokeInvitationId: r.invitationId! }));
    const id = randomUUID();
    fx.repo.create(
      {
        id,
        profileId: 'p1',
        profileName: 'T',
        environment: 'development',
        instanceId: emulator.instance.id,
        kind: 'app',
        organizationId: null,
        organizationName: null,
        sheetId: null,
        sheetName: 'revoke',
        op: 'revoke',
        options: { settings: null, columns: [] },
        windowMs: 10_000,
        createdAt: Date.now(),
        rows: revokes.map((r, i) => ({ sheetRow: i, email: r.emailAddress, request: r })),
      },
      Date.now(),
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const rows = fx.repo.rows(id);
    expect(rows.map((r) => [r.state, r.invitationStatus])).toEqual(Array(6).fill(['sent', 'revoked']));
    expect(emulator.instance.invitations.filter((i) => i.status === 'revoked')).toHaveLength(6);
    // The dropped connections were retried; revoking twice is harmless and counted once.
    expect(emulator.requests.filter((r) => r.path.endsWith('/revoke')).length).toBeGreaterThan(6);
  });

  it('sends organization invitations through the org bulk endpoint with each row’s role', async () => {
    const { emulator, fx } = await setup();
    const org = addOrg(emulator.instance, { name: 'Org', maxAllowedMemberships: 0 }, Date.now());
    const rows = emails(12, 'f').map((e, i) => appRequest(e, { organizationId: org.id, role: i % 2 ? 'org:admin' : 'org:member' }));
    const id = fx.createRun(rows, { kind: 'org', windowMs: WINDOW, instanceId: emulator.instance.id });
    await fx.engine.start(id);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)!.counts.sent).toBe(12);
    expect(emulator.instance.orgInvitations.filter((x) => x.role === 'org:admin')).toHaveLength(6);
    expect(fx.repo.rows(id)[0]!.invitationId).toMatch(/^orginv_/);
  });
});
