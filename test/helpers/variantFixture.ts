/** An emulator with one Clerk behaviour variant and a run fixture on compressed windows (test/main/runs/variants*). */
import { afterEach, onTestFailed } from 'vitest';
import type { Variant } from '../../src/main/emulator/behaviour.ts';
import { faultSpecs } from '../../src/main/emulator/faults.ts';
import { startClerkEmulator, type ClerkEmulator } from '../../src/main/emulator/server.ts';
import type { Endpoint } from '../../src/shared/domain/send/limits.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createRunEngine } from '../../src/main/services/runs/engine.ts';
import { pgRunStore } from '../../src/main/services/runs/engine/pgStore.ts';
import { migratePg } from '../../src/main/services/team/pgMigrations.ts';
import type { RowRequest } from '../../src/shared/domain/sheet/validate.ts';
import { appRun } from './computer.ts';
import { freshPgPool } from './pgDatabase.ts';
import { makeRunFixture, tempDbPath } from './runFixture.ts';
import { makeTempDir } from './tempDir.ts';

export const WINDOW = 700;
export const LIMITS: Partial<Record<Endpoint, number>> = { 'app.bulk': 2, 'app.single': 3, 'org.bulk': 2, 'org.single': 3 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * `armFaultsLater`: the variant's random faults (late commits, bad 200 answers) start only when `armFaults()` is called, so a
 * test's own set-up calls to the emulator are never hit by them.
 */
export async function setup(variant: Variant, opts: { armFaultsLater?: boolean } = {}) {
  const { lateCommit, badOk, ...behaviour } = variant;
  const faults = lateCommit || badOk ? { ...(lateCommit ? { lateCommit } : {}), ...(badOk ? { badOk } : {}) } : undefined;
  const later = opts.armFaultsLater === true;
  const emulator = await startClerkEmulator({
    rateLimits: {
      hourlyWindowMs: WINDOW,
      limits: { 'invitations.bulk': 2, 'invitations.create': 3, 'org_invitations.bulk': 2, 'org_invitations.create': 3 },
    },
    instances: [{ monthlyEmailCap: null }],
    behaviour,
    ...(faults && !later ? { faults } : {}),
  });
  const dir = makeTempDir();
  const fx = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath: tempDbPath(dir.path), limits: LIMITS });
  cleanups.push(
    () => emulator.close(),
    () => dir.remove(),
    () => fx.close(),
    () => fx.engine.shutdown(),
  );
  const armFaults = () => {
    if (later) for (const spec of faultSpecs(faults)) emulator.faults.inject(spec);
  };
  return { emulator, fx, dir, armFaults };
}

/** Invitations per email (any status): the promise is at most one per email per run. */
export function perEmail(e: ClerkEmulator): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of [...e.instance.invitations, ...e.instance.orgInvitations]) m.set(x.emailAddress, (m.get(x.emailAddress) ?? 0) + 1);
  return m;
}
export const twice = (e: ClerkEmulator) => [...perEmail(e)].filter(([, n]) => n > 1);
export const status429 = (e: ClerkEmulator) => e.requests.filter((r) => r.status === 429).length;
export const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}@variant.test`);

export type Storage = 'SQLite' | 'PostgreSQL (team workspace)';
type RowSeen = { email: string; state: string; errorCode: string | null; invitationId: string | null };

/**
 * The same emulator and engine as `setup`, on either storage, read through one async face (the variants suite runs
 * on both): `createRun` (paused until started), `get`, `rows`.
 */
export async function setupOn(storage: Storage, variant: Variant, opts: { armFaultsLater?: boolean } = {}) {
  const s = await setup(variant, opts);
  if (storage === 'SQLite') {
    const { fx } = s;
    return {
      ...s,
      engine: fx.engine,
      createRun: async (...a: Parameters<typeof fx.createRun>) => fx.createRun(...a),
      get: async (id: string) => fx.repo.get(id),
      rows: async (id: string): Promise<RowSeen[]> => fx.repo.rows(id),
    };
  }
  await s.fx.engine.shutdown();
  // A failing variant prints what its engine said it was doing (a run that does not settle says why).
  const said: string[] = [];
  const at = () => new Date().toISOString().slice(11, 23);
  onTestFailed(() => console.log(`engine log (PostgreSQL):\n${said.join('\n')}`));
  const pool = await freshPgPool(4);
  cleanups.push(() => pool.end());
  await migratePg(pool);
  const store = pgRunStore(pool);
  const engine = createRunEngine({
    store,
    clientFor: async (_profileId, o = {}) =>
      createClerkClient({ baseUrl: s.emulator.apiUrl, secretKey: s.emulator.instance.secretKey, timeoutMs: 2000, ...o }),
    emit: (p) => said.push(`${at()} ${p.state} ${JSON.stringify(p.counts)} ${p.waitReason ?? ''}`),
    log: { info: (m) => said.push(`${at()} ${m}`), warn: (m) => said.push(`${at()} WARN ${m}`) },
    backoffBaseMs: 20,
    unknownGraceMs: 300,
    leaseMs: 1500,
    limits: LIMITS,
  });
  cleanups.push(() => engine.shutdown());
  return {
    ...s,
    engine,
    async createRun(rows: RowRequest[], o: { kind?: 'app' | 'org'; windowMs: number; instanceId: string }) {
      const run = appRun(o.instanceId, rows, o.windowMs, 'test sheet');
      run.kind = o.kind ?? 'app';
      run.organizationId = rows[0]?.organizationId ?? null;
      run.profileId = 'p1';
      await store.runs.create(run, Date.now(), null);
      await store.runs.setState(run.id, 'paused', Date.now(), null);
      return run.id;
    },
    get: (id: string) => store.runs.get(id),
    rows: async (id: string): Promise<RowSeen[]> =>
      (await pool.query('SELECT email, state, error_code, invitation_id FROM run_rows WHERE run_id = $1 ORDER BY idx', [id])).rows.map(
        (r: Record<string, string | null>) => ({
          email: String(r['email']),
          state: String(r['state']),
          errorCode: r['error_code'] ?? null,
          invitationId: r['invitation_id'] ?? null,
        }),
      ),
  };
}
