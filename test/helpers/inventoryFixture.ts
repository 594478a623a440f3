/** An inventory service over a temp database and a real emulator instance (no keychain: the key is handed in). */
import { join } from 'node:path';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import type { ClerkEmulator } from '../../src/main/emulator/server.ts';
import type { EmuInstance } from '../../src/main/emulator/store.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createInventoryRepo } from '../../src/main/services/inventory/inventoryRepo.ts';
import { createInventoryService, type InventoryDeps } from '../../src/main/services/inventory/inventoryService.ts';
import { sqliteStorage } from '../../src/main/services/runs/engine/sqliteStore.ts';
import type { InventoryProgress } from '../../src/shared/domain/inventory/types.ts';
import { makeTempDir } from './tempDir.ts';

export function inventoryFixture(
  emu: ClerkEmulator,
  instance: EmuInstance,
  extra: Partial<InventoryDeps> = {},
  onEmit?: (p: InventoryProgress) => void,
) {
  const dir = makeTempDir();
  const db = openDatabase(join(dir.path, 'app.sqlite'));
  const repo = createInventoryRepo(db);
  const events: InventoryProgress[] = [];
  const profile = {
    id: 'p1',
    name: 'Prod',
    environment: instance.environment,
    instanceId: instance.id,
    fingerprint: 'sk_…',
    baseUrl: emu.apiUrl,
    isSandbox: false,
    createdAt: 0,
    updatedAt: 0,
  };
  const service = createInventoryService({
    db,
    repo,
    history: sqliteStorage(db).history,
    profiles: { secretFor: async () => ({ baseUrl: emu.apiUrl, secretKey: instance.secretKey, profile }) },
    clientFor: async () => createClerkClient({ baseUrl: emu.apiUrl, secretKey: instance.secretKey }),
    now: Date.now,
    emit: (p) => {
      events.push(p);
      onEmit?.(p);
    },
    ...extra,
  });
  /** Every invitation of the instance as Clerk has it now: id → status. */
  const clerkSide = () => {
    const now = Date.now();
    const m = new Map<string, string>();
    for (const x of [...instance.invitations, ...instance.orgInvitations])
      m.set(x.id, x.status === 'pending' && x.expiresAt !== null && x.expiresAt <= now ? 'expired' : x.status);
    return m;
  };
  const localSide = () =>
    new Map(
      db
        .prepare("SELECT id, status FROM inventory WHERE profile_id = 'p1'")
        .all()
        .map((r) => [String(r['id']), String(r['status'])]),
    );
  return {
    db,
    repo,
    service,
    events,
    clerkSide,
    localSide,
    close() {
      db.close();
      dir.remove();
    },
  };
}
