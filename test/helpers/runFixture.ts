/** A run journal + engine over a temp database, sending to an emulator instance with compressed windows. */
import { createSentBy } from '../../src/main/services/runs/sentBy.ts';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { startClerkEmulator, type ClerkEmulator } from '../../src/main/emulator/server.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import type { Db } from '../../src/main/services/db/types.ts';
import { createRunEngine, type EngineDeps } from '../../src/main/services/runs/engine.ts';
import { sqliteHistory, sqliteRows, sqliteRunStore } from '../../src/main/services/runs/engine/sqliteStore.ts';
import { createRunRows } from '../../src/main/services/runs/runRows.ts';
import { createQuotaStore } from '../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../src/main/services/runs/runsRepo.ts';
import type { Endpoint, RunOp } from '../../src/shared/domain/send/limits.ts';
import type { RunProgress } from '../../src/shared/domain/send/types.ts';
import type { RowRequest } from '../../src/shared/domain/sheet/validate.ts';
import { makeTempDir } from './tempDir.ts';

export const appRequest = (email: string, extra: Partial<RowRequest> = {}): RowRequest => ({
  emailAddress: email,
  publicMetadata: { source: 'test' },
  privateMetadata: {},
  notify: false,
  ignoreExisting: false,
  ...extra,
});

export function makeRunFixture(opts: {
  emulator: ClerkEmulator;
  secretKey: string;
  dbPath: string;
  limits?: Partial<Record<Endpoint, number>>;
  timeoutMs?: number;
  fetch?: typeof fetch;
  engine?: Partial<EngineDeps>;
}) {
  const db: Db = openDatabase(opts.dbPath);
  const repo = createRunsRepo(db);
  const quota = createQuotaStore(db);
  const storage = { ...sqliteRunStore(repo, quota), history: sqliteHistory(repo, createSentBy(db)), rows: sqliteRows(createRunRows(db)) };
  const events: RunProgress[] = [];
  const engine = createRunEngine({
    store: storage,
    clientFor: async (_profileId, o = {}) =>
      createClerkClient({
        baseUrl: opts.emulator.apiUrl,
        secretKey: opts.secretKey,
        timeoutMs: opts.timeoutMs ?? 2000,
        ...o,
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
      }),
    emit: (p) => events.push(p),
    backoffBaseMs: 20,
    // Clerk's late commits land within this here (the emulator's late-commit fault stays under it).
    unknownGraceMs: 300,
    leaseMs: 1500,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...opts.engine,
  });
  return {
    db,
    repo,
    /** The storage port on this database, as the services see it. */
    storage,
    quota,
    engine,
    events,
    /** A run in the journal, paused (start it with engine.start), or 'running' as if a process had stopped mid-run. */
    createRun(
      rows: RowRequest[],
      o: {
        kind?: 'app' | 'org';
        op?: RunOp;
        windowMs: number;
        instanceId: string;
        id?: string;
        profileId?: string;
        running?: boolean;
      },
    ) {
      const id = o.id ?? randomUUID();
      repo.create(
        {
          id,
          profileId: o.profileId ?? 'p1',
          profileName: 'Test',
          environment: 'development',
          instanceId: o.instanceId,
          kind: o.kind ?? 'app',
          op: o.op ?? 'create',
          organizationId: rows[0]?.organizationId ?? null,
          organizationName: null,
          sheetId: null,
          sheetName: 'test sheet',
          options: { settings: null, columns: [] },
          windowMs: o.windowMs,
          createdAt: Date.now(),
          rows: rows.map((r, i) => ({ sheetRow: i, email: r.emailAddress, request: r })),
        },
        Date.now(),
      );
      if (!o.running) repo.setState(id, 'paused', Date.now(), null);
      return id;
    },
    close: () => db.close(),
  };
}

export const tempDbPath = (dir: string) => join(dir, 'runs.sqlite');

/** Pending invitations per email in the emulator: every value must be 1. */
export function invitationsPerEmail(emulator: ClerkEmulator, instanceKey: string): Map<string, number> {
  const inst = emulator.instances.get(instanceKey)!;
  const m = new Map<string, number>();
  for (const i of [...inst.invitations, ...inst.orgInvitations])
    m.set(i.emailAddress.toLowerCase(), (m.get(i.emailAddress.toLowerCase()) ?? 0) + 1);
  return m;
}

/**
 * The usual set-up of an engine test: an emulator instance (no rate limits, no email cap unless told), a temp
 * database and the engine on it; all closed in `cleanups` (run last-first by the test file's afterEach).
 */
export async function engineOnEmulator(
  cleanups: (() => Promise<void> | void)[],
  fixture: Omit<Parameters<typeof makeRunFixture>[0], 'emulator' | 'secretKey' | 'dbPath'> = {},
  emulatorOptions: Parameters<typeof startClerkEmulator>[0] = { rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] },
) {
  const emulator = await startClerkEmulator(emulatorOptions);
  const dir = makeTempDir();
  const fx = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath: tempDbPath(dir.path), ...fixture });
  cleanups.push(
    () => emulator.close(),
    () => dir.remove(),
    () => fx.close(),
    () => fx.engine.shutdown(),
  );
  return { emulator, fx };
}
