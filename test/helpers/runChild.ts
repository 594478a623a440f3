/**
 * A sending process for the kill/resume tests: opens the journal, resumes every running run (what the app
 * does at start) and exits when they are done. The tests kill it with SIGKILL at random moments.
 * Usage: node runChild.ts DB_PATH API_URL SECRET_KEY OPTIONS_JSON
 * OPTIONS_JSON: `{ limits, unknownGraceMs?, leaseMs?, maxAttempts? }` (or just the limits map).
 */
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createRunEngine } from '../../src/main/services/runs/engine.ts';
import { sqliteRunStore } from '../../src/main/services/runs/engine/sqliteStore.ts';
import { createQuotaStore } from '../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../src/main/services/runs/runsRepo.ts';

const [dbPath, apiUrl, secretKey, json] = process.argv.slice(2) as [string, string, string, string];
const parsed = JSON.parse(json) as Record<string, unknown>;
const o = ('limits' in parsed ? parsed : { limits: parsed }) as {
  limits: Record<string, number>;
  unknownGraceMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
};
const db = openDatabase(dbPath);
const repo = createRunsRepo(db);
const engine = createRunEngine({
  store: sqliteRunStore(repo, createQuotaStore(db)),
  clientFor: async (_profileId, hooks = {}) => createClerkClient({ baseUrl: apiUrl, secretKey, timeoutMs: 1000, ...hooks }),
  emit: () => {},
  backoffBaseMs: 20,
  limits: o.limits,
  unknownGraceMs: o.unknownGraceMs ?? 300,
  leaseMs: o.leaseMs ?? 400,
  ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
});
const running = repo.withState('running');
await engine.resumeAll();
await Promise.all(running.map((r) => engine.settled(r.id)));
const left = repo.withState('running').filter((r) => !engine.isActive(r.id));
process.stdout.write(left.length === 0 ? 'done\n' : `left ${left.length}\n`);
db.close();
