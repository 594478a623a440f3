/** One "computer" of a team for tests: a run engine with its own owner id over a given store, sending to the emulator. */
import { randomUUID } from 'node:crypto';
import type { ClerkEmulator } from '../../src/main/emulator/server.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createRunEngine, type EngineDeps } from '../../src/main/services/runs/engine.ts';
import type { RunStore } from '../../src/main/services/runs/engine/ports.ts';
import type { NewRun } from '../../src/main/services/runs/journalTypes.ts';
import type { Endpoint } from '../../src/shared/domain/send/limits.ts';
import type { RowRequest } from '../../src/shared/domain/sheet/validate.ts';

export function makeComputer(o: {
  name: string;
  store: RunStore;
  emulator: ClerkEmulator;
  limits: Partial<Record<Endpoint, number>>;
  engine?: Partial<EngineDeps>;
}) {
  const engine = createRunEngine({
    store: o.store,
    clientFor: async (_profileId, hooks = {}) =>
      createClerkClient({ baseUrl: o.emulator.apiUrl, secretKey: o.emulator.instance.secretKey, timeoutMs: 2000, ...hooks }),
    emit: () => {},
    backoffBaseMs: 20,
    unknownGraceMs: 300,
    leaseMs: 1500,
    limits: o.limits,
    owner: o.name,
    ...o.engine,
  });
  return { name: o.name, store: o.store, engine };
}

/** A run of application invitations for the emulator's instance, as the review would hand it to the engine. */
export function appRun(emulatorInstanceId: string, requests: RowRequest[], windowMs: number, sheetName = 'team sheet'): NewRun {
  return {
    id: randomUUID(),
    profileId: 'shared-profile',
    profileName: 'Team',
    environment: 'development',
    instanceId: emulatorInstanceId,
    kind: 'app',
    op: 'create',
    organizationId: null,
    organizationName: null,
    sheetId: null,
    sheetName,
    options: { settings: null, columns: [] },
    windowMs,
    createdAt: Date.now(),
    rows: requests.map((r, i) => ({ sheetRow: i, email: r.emailAddress, request: r })),
  };
}
