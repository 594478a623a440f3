/** History search over 1,000,000 generated run rows (goal < 50 ms a search). */
import { join } from 'node:path';
import { openDatabase } from '../src/main/adapters/sqliteDb.ts';
import { transaction } from '../src/main/services/db/types.ts';
import { createRunsRepo } from '../src/main/services/runs/runsRepo.ts';
import { makeTempDir } from '../test/helpers/tempDir.ts';

const ROWS = 1_000_000;
const RUNS = 200;

export async function benchHistory(): Promise<void> {
  const dir = makeTempDir('invite-desk-bench-');
  try {
    const db = openDatabase(join(dir.path, 'history.sqlite'));
    let t = performance.now();
    transaction(db, () => {
      const run = db.prepare(
        "INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at) VALUES (?, 'p', 'Prod', 'production', 'ins', 'app', ?, '{}', 'finished', 3600000, ?)",
      );
      const row = db.prepare(
        "INSERT INTO run_rows (run_id, idx, sheet_row, email, request, state, invitation_id, updated_at) VALUES (?, ?, ?, ?, '{}', 'sent', ?, 0)",
      );
      const per = ROWS / RUNS;
      for (let r = 0; r < RUNS; r++) {
        run.run(`run${r}`, `Sheet ${r}`, r);
        for (let i = 0; i < per; i++) row.run(`run${r}`, i, i, `user${(r * per + i) % 400_000}@corp${i % 97}.example`, `inv_${r}_${i}`);
      }
    });
    const loadMs = performance.now() - t;
    const repo = createRunsRepo(db);
    const queries = ['user12345@', 'USER399999@corp', 'user7', 'nobody@'];
    const times: number[] = [];
    const found: number[] = [];
    for (let k = 0; k < 5; k++) {
      for (const q of queries) {
        t = performance.now();
        found.push(repo.searchEmail(q).length);
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    console.log(
      `\n## History: search by email over ${ROWS.toLocaleString()} run rows in ${RUNS} runs (generated in ${(loadMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `search: median ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms over ${times.length} searches (hits: ${found.slice(0, queries.length).join(', ')}; goal < 50 ms)`,
    );
    db.close();
  } finally {
    dir.remove();
  }
}
