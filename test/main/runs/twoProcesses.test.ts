/** Two app processes on one database: the second is refused; runs are sent only by their lease holder. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { acquireAppLock } from '../../../src/main/services/db/appLock.ts';
import { createMainServices } from '../../../src/main/services/mainServices.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const services = (path: string) =>
  createMainServices({ db: openDatabase(path), secrets: createMemorySecretStore(), emit: () => {}, appVersion: '0', platform: 'linux' });

describe('one app process per database', () => {
  it('a second app on the same database file is refused with a clear message; after the first quits it opens', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const path = tempDbPath(dir.path);
    const first = services(path);
    expect(() => services(path)).toThrow(/Another Invite Desk is using this database \(process \d+ on .+\)\. Close that window first/);
    await first.close();
    const second = services(path);
    await second.close();
  });

  it('takes over the lock of a process that is gone, and frees its run leases', () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const db = openDatabase(tempDbPath(dir.path));
    cleanups.push(() => db.close());
    acquireAppLock(db, { owner: 'dead', pid: 999_999, host: 'here', now: () => 1_000, isAlive: () => false });
    db.exec(
      "INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at, lease_owner, lease_at) VALUES ('r', 'p', 'P', 'development', 'i', 'app', 's', '{}', 'running', 1, 1, 'dead', 1000)",
    );
    const took = acquireAppLock(db, { owner: 'me', pid: 1, host: 'here', now: () => 2_000, isAlive: () => false });
    expect(took.previousOwner).toBe('dead');
    expect(db.prepare("SELECT lease_owner FROM runs WHERE id = 'r'").get()?.['lease_owner']).toBeNull();
    // Alive elsewhere with a fresh heartbeat: refused.
    expect(() => acquireAppLock(db, { owner: 'other', pid: 2, host: 'elsewhere', now: () => 2_500 })).toThrow(/Another Invite Desk/);
  });
});

describe('run leases', () => {
  it('two processes resuming the same run: one sends it, the other is refused; then a takeover stops the first; 0 duplicates', async () => {
    const WINDOW = 600;
    const emulator = await startClerkEmulator({
      rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': 3, 'invitations.create': 3 } },
      instances: [{ monthlyEmailCap: null }],
    });
    const dir = makeTempDir();
    cleanups.push(
      () => emulator.close(),
      () => dir.remove(),
    );
    const dbPath = tempDbPath(dir.path);
    const limits = { 'app.bulk': 3, 'app.single': 3 };
    const a = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath, limits, engine: { owner: 'A' } });
    const b = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath, limits, engine: { owner: 'B' } });
    cleanups.push(
      () => a.close(),
      () => b.close(),
      () => a.engine.shutdown(0),
      () => b.engine.shutdown(0),
    );
    const id = a.createRun(
      Array.from({ length: 120 }, (_, i) => appRequest(`lease${i}@two.test`)),
      { windowMs: WINDOW, instanceId: emulator.instance.id, running: true },
    );
    const results = await Promise.allSettled([a.engine.start(id), b.engine.start(id)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/Another Invite Desk process is sending this run/);
    const [holder, other] = a.engine.isActive(id) ? [a, b] : [b, a];
    expect(other.engine.isActive(id)).toBe(false);
    await expect.poll(() => holder.repo.get(id)!.counts.sent).toBeGreaterThan(10);
    // The other process takes the run over (as after the holder was thought dead): the holder stops at once.
    other.db.prepare("UPDATE runs SET lease_owner = 'C', lease_at = ? WHERE id = ?").run(Date.now(), id);
    await holder.engine.settled(id);
    expect(holder.repo.get(id)!.state).toBe('running'); // not paused or finished by a process that lost it
    other.db.prepare('UPDATE runs SET lease_owner = NULL WHERE id = ?').run(id);
    await other.engine.start(id);
    await other.engine.settled(id);
    expect(other.repo.get(id)!.counts).toMatchObject({ sent: 120, failed: 0, inflight: 0 });
    const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
    expect(per.size).toBe(120);
    expect([...per.values()].filter((n) => n !== 1)).toEqual([]);
  });
});
