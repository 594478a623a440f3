/**
 * Builds every main-process service from its adapters. The Electron entry and the renderer test harness
 * both call this, so the harness exercises the real handlers.
 */
import { randomUUID } from 'node:crypto';
import type { EventName, Events } from '../../shared/ipc/contract.ts';
import { seedDemo } from '../emulator/seed.ts';
import { startClerkEmulator } from '../emulator/server.ts';
import { createClerkClient } from './clerk/client.ts';
import type { Db } from './db/types.ts';
import { createDirectory } from './directory.ts';
import { createHandlers } from './handlers.ts';
import { createSheetsRepo } from './sheets/sheetsRepo.ts';
import { createSheetsService } from './sheets/sheetsService.ts';
import { createProfilesRepo } from './profiles/profilesRepo.ts';
import { createProfilesService } from './profiles/profilesService.ts';
import { createSandboxProvider } from './sandbox.ts';
import type { SecretStore } from './secrets/secretStore.ts';

export type MainServicesDeps = {
  db: Db;
  secrets: SecretStore;
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  appVersion: string;
  platform: string;
  fetch?: typeof fetch;
  now?: () => number;
};

export async function startSandboxEmulator() {
  const emu = await startClerkEmulator({ instances: [{ environment: 'development', monthlyEmailCap: null }] });
  seedDemo(emu.instance, Date.now());
  return { apiUrl: emu.apiUrl, secretKey: emu.instance.secretKey, instanceId: emu.instance.id, close: () => emu.close() };
}

export function createMainServices(deps: MainServicesDeps) {
  const now = deps.now ?? Date.now;
  const sandbox = createSandboxProvider(startSandboxEmulator);
  const clerk = (baseUrl: string, secretKey: string) =>
    createClerkClient({ baseUrl, secretKey, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const profiles = createProfilesService({
    repo: createProfilesRepo(deps.db),
    secrets: deps.secrets,
    clerk,
    sandbox,
    now,
    newId: () => randomUUID(),
    onChange: (state) => deps.emit('profiles:changed', state),
  });
  const sheets = createSheetsService({
    repo: createSheetsRepo(deps.db),
    now,
    newId: () => randomUUID(),
    onChange: (list) => deps.emit('sheets:changed', list),
  });
  const handlers = createHandlers({
    profiles,
    sheets,
    directory: createDirectory(profiles, clerk),
    appInfo: () => ({ version: deps.appVersion, platform: deps.platform, sandboxBaseUrl: sandbox.peekUrl() }),
  });
  return {
    handlers,
    profiles,
    sheets,
    async close(): Promise<void> {
      await sandbox.close();
      deps.db.close();
    },
  };
}
export type MainServices = Awaited<ReturnType<typeof createMainServices>>;
