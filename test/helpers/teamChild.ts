/**
 * A team member's sending process for the takeover tests: opens the team database, resumes every running run that is
 * free (what the app does at start) and exits when they are done. The tests SIGKILL it mid-run.
 * Usage: node teamChild.ts PG_URL API_URL SECRET_KEY OPTIONS_JSON   (OPTIONS_JSON: `{ limits, leaseMs, owner, only? }`;
 * `only`: start just these runs, as a member pressing Send, instead of resuming every free one).
 */
import pg from 'pg';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { createRunEngine } from '../../src/main/services/runs/engine.ts';
import { pgRunStore } from '../../src/main/services/runs/engine/pgStore.ts';

const [pgUrl, apiUrl, secretKey, json] = process.argv.slice(2) as [string, string, string, string];
const o = JSON.parse(json) as { limits: Record<string, number>; leaseMs: number; owner: string; only?: string[] };
const pool = new pg.Pool({ connectionString: pgUrl, max: 4 });
const store = pgRunStore(pool);
const engine = createRunEngine({
  store,
  clientFor: async (_profileId, hooks = {}) => createClerkClient({ baseUrl: apiUrl, secretKey, timeoutMs: 1000, ...hooks }),
  emit: () => {},
  backoffBaseMs: 20,
  limits: o.limits,
  unknownGraceMs: 300,
  leaseMs: o.leaseMs,
  owner: o.owner,
});
if (o.only) {
  await Promise.all(o.only.map((id) => engine.start(id)));
  await Promise.all(o.only.map((id) => engine.settled(id)));
} else {
  const running = await store.runs.withState('running');
  await engine.resumeAll();
  await Promise.all(running.map((r) => engine.settled(r.id)));
}
process.stdout.write('done\n');
await pool.end();
