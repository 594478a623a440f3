/** The real main services over a temp-dir database, with a chosen secret store. */
import { join } from 'node:path';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { openTeamPool } from '../../src/main/adapters/teamPool.ts';
import { createMainServices } from '../../src/main/services/mainServices.ts';
import { readWorkspaceConfig, workspaceConfigPath, type WorkspaceChoice } from '../../src/main/services/team/workspaceConfig.ts';
import { createWorkspaceService } from '../../src/main/services/team/workspaceService.ts';
import type { SecretStore } from '../../src/main/services/secrets/secretStore.ts';
import type { EventName, Events } from '../../src/shared/ipc/contract.ts';
import { makeTempDir } from './tempDir.ts';
import type { ApprovalsPort } from '../../src/main/services/approvals/approvalsPort.ts';
import { sqliteStorage } from '../../src/main/services/runs/engine/sqliteStore.ts';

export function makeServices(
  secrets: SecretStore,
  onEmit?: (event: EventName, payload: Events[EventName]) => void,
  extra: Partial<Parameters<typeof createMainServices>[0]> & {
    /** Approvals shared with other services (four eyes): this computer's runs, the team's approvals. */
    approvals?: ApprovalsPort;
  } = {},
) {
  const dir = makeTempDir();
  const events: { event: EventName; payload: Events[EventName] }[] = [];
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    events.push({ event, payload });
    onEmit?.(event, payload);
  };
  const dbPath = join(dir.path, 'invite-desk.sqlite');
  const { approvals, ...rest } = extra;
  const db = openDatabase(dbPath);
  // The Workspace setting as the app's entry builds it, its file in the temp folder; a restart is recorded, not done.
  const workspaceFile = workspaceConfigPath(dbPath);
  const restarts: WorkspaceChoice[] = [];
  const workspace = createWorkspaceService({
    file: workspaceFile,
    secrets,
    localDb: db,
    openPool: openTeamPool,
    now: Date.now,
    sending: () => services.engine.activeCount(),
    restart: () => restarts.push(readWorkspaceConfig(workspaceFile)),
    emitWaiting: (w) => emit('workspace:waiting', w),
  });
  const services = createMainServices({
    db,
    secrets,
    workspace,
    emit,
    appVersion: '0.0.0-test',
    platform: 'linux',
    ...(approvals ? { storage: { ...sqliteStorage(db), approvals } } : {}),
    ...rest,
  });
  return {
    ...services,
    events,
    dbPath,
    workspaceFile,
    workspace,
    /** The workspace written at each restart the app asked for (a switch), in order. */
    restarts,
    async close() {
      await services.close();
      dir.remove();
    },
  };
}
