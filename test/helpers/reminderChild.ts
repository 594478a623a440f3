/**
 * A sending process for the reminders' kill tests: resumes every running run (as the app does at start), then starts
 * the finished reminders' revoke runs (settleReminders) and drives them, until nothing is left; prints `done`.
 * Usage: node reminderChild.ts DB_PATH API_URL SECRET_KEY INSTANCE_ID LIMITS_JSON
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createInventoryActions } from '../../src/main/services/inventory/inventoryActions.ts';
import { createInventoryRepo } from '../../src/main/services/inventory/inventoryRepo.ts';
import { createRunEngine } from '../../src/main/services/runs/engine.ts';
import { sqliteStorage } from '../../src/main/services/runs/engine/sqliteStore.ts';
import { createRunsRepo } from '../../src/main/services/runs/runsRepo.ts';

const [dbPath, apiUrl, secretKey, instanceId, limits] = process.argv.slice(2) as [string, string, string, string, string];
const db = openDatabase(dbPath);
const repo = createRunsRepo(db);
const store = sqliteStorage(db);
const engine = createRunEngine({
  store,
  clientFor: async (_p, hooks = {}) => createClerkClient({ baseUrl: apiUrl, secretKey, timeoutMs: 1000, ...hooks }),
  emit: () => {},
  backoffBaseMs: 20,
  limits: JSON.parse(limits) as Record<string, number>,
  unknownGraceMs: 300,
  leaseMs: 400,
});
const profile = {
  id: 'p1',
  name: 'Test',
  environment: 'development' as const,
  instanceId,
  fingerprint: 'sk_test_…',
  baseUrl: apiUrl,
  isSandbox: false,
  createdAt: 0,
  updatedAt: 0,
};
const actions = createInventoryActions({
  db,
  store,
  repo: createInventoryRepo(db),
  profiles: { secretFor: async () => ({ baseUrl: apiUrl, secretKey, profile }) },
  engine,
  now: Date.now,
  newId: randomUUID,
  windowMs: 800,
});
for (;;) {
  const running = repo.withState('running');
  await engine.resumeAll();
  await Promise.all(running.map((r) => engine.settled(r.id)));
  const launched = await actions.settleReminders();
  await Promise.all(launched.map((id) => engine.settled(id)));
  if (launched.length === 0 && repo.withState('running').length === 0) break;
}
process.stdout.write('done\n');
db.close();
