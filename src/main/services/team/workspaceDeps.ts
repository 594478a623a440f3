/**
 * The services' storage for the workspace the user chose: nothing to add on this computer; on a team workspace its
 * session (opened on first use, waiting while the database does not answer), the runs' storage, the shared profiles
 * and sheets, and the watch of teammates' runs. The Workspace service is told since when it waits and what was refused.
 */
import type { WorkspaceConfig } from '../../../shared/domain/workspace.ts';
import type { Clock } from '../lifecycle/clock.ts';
import type { MainServicesDeps } from '../mainServices.ts';
import { pgStorage } from '../runs/engine/pgStore.ts';
import type { SecretStore } from '../secrets/secretStore.ts';
import { pgAppStores } from './pgAppStores.ts';
import { openTeamSession } from './teamSession.ts';
import { parseTeamUrl, type OpenPool } from './workspace.ts';
import type { WorkspaceService } from './workspaceService.ts';

export function workspaceDeps(
  config: WorkspaceConfig,
  o: {
    secrets: SecretStore;
    openPool: OpenPool;
    clock: Clock;
    workspace: Pick<WorkspaceService, 'waiting' | 'refused' | 'bindRetry'>;
    member?: string;
  },
): Pick<MainServicesDeps, 'storage' | 'stores' | 'team' | 'fourEyes' | 'member'> {
  if (config.kind !== 'team') return {};
  const session = openTeamSession({
    ws: config,
    secrets: o.secrets,
    openPool: o.openPool,
    clock: o.clock,
    storageOn: pgStorage,
    onWaiting: (since) => o.workspace.waiting(since),
    onRefused: (text) => o.workspace.refused(text),
  });
  o.workspace.bindRetry(session.retryNow);
  const target = parseTeamUrl(config.url, config.tls).target;
  return {
    storage: session.storage,
    stores: pgAppStores(session.pool, { target, ...(o.member ? { member: o.member } : {}) }),
    team: { close: () => session.close() },
    // Four eyes on production, the workspace's option: the team database's approvals (pgStorage) decide who sends.
    fourEyes: config.fourEyes,
    ...(o.member ? { member: o.member } : {}),
  };
}
