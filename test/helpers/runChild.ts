/**
 * A sending process for the kill/resume test: opens the journal, resumes every running run (what the app
 * does at start) and exits when they are done. The test kills it with SIGKILL at random moments.
 * Usage: node runChild.ts DB_PATH API_URL SECRET_KEY LIMITS_JSON
 */
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createRunEngine } from '../../src/main/services/runs/engine.ts';
import { createQuotaStore } from '../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../src/main/services/runs/runsRepo.ts';

const [dbPath, apiUrl, secretKey, limits] = process.argv.slice(2) as [string, string, string, string];
const db = openDatabase(dbPath);
const repo = createRunsRepo(db);
const engine = createRunEngine({
  repo,
  quota: createQuotaStore(db),
  clientFor: async () => createClerkClient({ baseUrl: apiUrl, secretKey, timeoutMs: 1000 }),
  emit: () => {},
  backoffBaseMs: 20,
  limits: JSON.parse(limits) as Record<string, number>,
});
const running = repo.withState('running');
await engine.resumeAll();
await Promise.all(running.map((r) => engine.settled(r.id)));
process.stdout.write('done\n');
db.close();
