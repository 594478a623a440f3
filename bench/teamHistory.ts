/**
 * History at scale on a team's PostgreSQL (issue 26): the same 1,000,000 run rows in 200 runs as bench/history.ts,
 * through the storage port (pgStorage) on a throwaway local server: email search (this computer's goal: p99 < 20 ms;
 * a team database adds its network's round trip), and what a 20,000-row run's screen and follow-ups read.
 */
import { openTeamPool } from '../src/main/adapters/teamPool.ts';
import { pgStorage } from '../src/main/services/runs/engine/pgStore.ts';
import { migratePg } from '../src/main/services/team/pgMigrations.ts';
import { startPostgres } from '../test/helpers/postgres.ts';

const RUNS = 200;
const PER = 4_925;
const BIG = 20_000;
const pct = (s: number[], q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;

async function timed<T>(fn: () => Promise<T>, times = 5): Promise<{ value: T; ms: number }> {
  let value = await fn();
  const all: number[] = [];
  for (let k = 0; k < times; k++) {
    const t = performance.now();
    value = await fn();
    all.push(performance.now() - t);
  }
  return { value, ms: all.sort((a, b) => a - b)[Math.floor(all.length / 2)]! };
}

export async function benchTeamHistory(): Promise<void> {
  const server = await startPostgres();
  const pool = openTeamPool({ url: server.url, password: null, tls: false });
  try {
    await migratePg(pool);
    const t = performance.now();
    await pool.query(
      `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, sheet_name, options, state, window_ms, created_at, finished_at)
       SELECT 'run' || r, 'p', 'Prod', 'production', 'ins', 'app', 'create', 'Sheet ' || r, '{}', 'finished', 3600000, r, r + 1
       FROM generate_series(0, ${RUNS - 1}) r`,
    );
    // Ten runs a statement: each stays well under the pool's 30 s query timeout.
    for (let from = 0; from < RUNS; from += 10)
      await pool.query(
        `INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, invitation_id, updated_at)
         SELECT 'run' || r, i, i, e.email, lower(e.email),
                json_build_object('emailAddress', e.email, 'publicMetadata', json_build_object('team', 'Ops', 'seat', i % 50), 'privateMetadata', '{}'::json)::text,
                'sent', 'inv_' || r || '_' || i, 0
         FROM generate_series($1::int, $2::int) r
         CROSS JOIN LATERAL generate_series(0, CASE WHEN r = ${RUNS - 1} THEN ${BIG - 1} ELSE ${PER - 1} END) i
         CROSS JOIN LATERAL (SELECT 'user' || ((r * ${PER} + i) % 400000) || '@corp' || (i % 97) || '.example' AS email) e`,
        [from, Math.min(RUNS, from + 10) - 1],
      );
    // What autovacuum does after a load like this one; without statistics the planner guesses badly.
    await pool.query('ANALYZE');
    const loadMs = performance.now() - t;
    const s = pgStorage(pool);
    const queries = [
      'user12345@',
      'USER399999@corp',
      'user7',
      'user1',
      'nobody@',
      'user2000',
      'User33@corp5',
      'u',
      'corp42.example',
      '@CORP7',
      'corp',
      'nowhere.test',
    ];
    const times: number[] = [];
    for (let k = 0; k < 10; k++)
      for (const q of queries) {
        const t0 = performance.now();
        await s.history.searchEmail(q);
        times.push(performance.now() - t0);
      }
    times.sort((a, b) => a - b);
    const rows = Number((await pool.query('SELECT count(*) AS n FROM run_rows')).rows[0]!['n']);
    console.log(
      `\n## Team history (PostgreSQL): ${rows.toLocaleString()} run rows in ${RUNS} runs (loaded in ${(loadMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `search by email: median ${pct(times, 0.5).toFixed(2)} ms, p99 ${pct(times, 0.99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms over ${times.length} searches (this computer's goal p99 < 20 ms, plus the team network's round trip)`,
    );

    const run = `run${RUNS - 1}`;
    const first = await timed(() => s.rows.page(run, { state: 'all', offset: 0, limit: 200 }));
    const deep = await timed(() => s.rows.page(run, { state: 'all', offset: 15_000, limit: 200 }));
    const count = await timed(() => s.rows.count(run, 'sent'));
    const tally = await timed(() => s.rows.tally(run));
    const taken = await timed(() => s.history.takenLater(run, 'create'));
    const keys = Array.from({ length: 5000 }, (_, i) => `user${i * 80}@corp${i % 97}.example`);
    const history = await timed(() => s.history.historyOf('ins', null, keys));
    const list = await timed(() => s.history.list());
    const exp = await timed(async () => {
      let n = 0;
      for await (const page of s.rows.pages(run)) n += page.length;
      return n;
    }, 1);
    console.log(
      `a ${BIG.toLocaleString()}-row run: first page of 200 ${first.ms.toFixed(1)} ms, page at 15,000 ${deep.ms.toFixed(1)} ms, count ${count.ms.toFixed(1)} ms, ` +
        `follow-up tally ${tally.ms.toFixed(1)} ms, taken later ${taken.ms.toFixed(1)} ms (${taken.value.size} rows), ` +
        `export of ${exp.value.toLocaleString()} rows ${exp.ms.toFixed(0)} ms (medians; goal < 50 ms for what the screen waits on)`,
    );
    console.log(
      `review's history of ${keys.length.toLocaleString()} emails ${history.ms.toFixed(1)} ms (${history.value.size} found); runs list of ${RUNS} ${list.ms.toFixed(1)} ms`,
    );
  } finally {
    await pool.end();
    server.stop();
  }
}
