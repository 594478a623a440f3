/** The real main services over a temp-dir database, with a chosen secret store. */
import { join } from 'node:path';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { createMainServices } from '../../src/main/services/mainServices.ts';
import type { SecretStore } from '../../src/main/services/secrets/secretStore.ts';
import type { EventName, Events } from '../../src/shared/ipc/contract.ts';
import { makeTempDir } from './tempDir.ts';

export function makeServices(
  secrets: SecretStore,
  onEmit?: (event: EventName, payload: Events[EventName]) => void,
  extra: Partial<Parameters<typeof createMainServices>[0]> = {},
) {
  const dir = makeTempDir();
  const events: { event: EventName; payload: Events[EventName] }[] = [];
  const dbPath = join(dir.path, 'invite-desk.sqlite');
  const services = createMainServices({
    db: openDatabase(dbPath),
    secrets,
    emit: (event, payload) => {
      events.push({ event, payload });
      onEmit?.(event, payload);
    },
    appVersion: '0.0.0-test',
    platform: 'linux',
    ...extra,
  });
  return {
    ...services,
    events,
    dbPath,
    async close() {
      await services.close();
      dir.remove();
    },
  };
}
