/**
 * Moving a computer's history into a team workspace: a one-way copy of its runs (rows, requests, outcomes) and of the
 * quota it spent in the last hour (the team's budget includes it), in one transaction, with the counts checked before
 * and after: if the team database does not hold exactly what this computer had, nothing is kept. Runs already in the
 * workspace (moved before) are left as they are; a run still sending must be paused or finished first.
 */
import { toldOfTeamDatabase, type Row } from '../db/decode.ts';
import type { Db, SqlValue } from '../db/types.ts';
import { Failure } from '../failure.ts';
import { busyRunRow, idRow, requestCount, requestIdRow, runCount, stateCount } from '../runs/runsTable.ts';
import { DB_NOW, pgTransaction, num, type PgPool, type PgQuery } from './pgTypes.ts';

export type MoveCounts = { runs: number; rows: Record<string, number>; requests: number };
export type MoveReport = { moved: MoveCounts; alreadyThere: number; quotaEvents: number };

const RUN_COLS = [
  'id', 'profile_id', 'profile_name', 'environment', 'instance_id', 'kind', 'op', 'organization_id', 'organization_name', 'sheet_id',
  'sheet_name', 'options', 'state', 'pause_reason', 'window_ms', 'created_at', 'started_at', 'finished_at', 'synced_at', 'parent_run_id',
  'waitlist',
] as const; // prettier-ignore
const ROW_COLS = [
  'run_id', 'idx', 'sheet_row', 'email', 'email_key', 'request', 'state', 'request_id', 'attempts', 'split', 'not_before', 'unknown_since',
  'invitation_id', 'invitation_status', 'url', 'expires_at', 'error_code', 'message', 'updated_at',
] as const; // prettier-ignore

const placeholders = (n: number, width: number) =>
  Array.from({ length: n }, (_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ');

/** What this computer holds of the given runs, counted the same way on both sides. */
function localCounts(db: Db, ids: string[]): MoveCounts {
  const c: MoveCounts = { runs: ids.length, rows: {}, requests: 0 };
  const inList = ids.map(() => '?').join(', ') || "''";
  for (const r of db.prepare(`SELECT state, COUNT(*) AS n FROM run_rows WHERE run_id IN (${inList}) GROUP BY state`).all(...ids)) {
    const { state, n } = stateCount(r);
    c.rows[state] = n;
  }
  const requests = db.prepare(`SELECT COUNT(*) AS n FROM run_requests WHERE run_id IN (${inList})`).get(...ids);
  c.requests = requests ? requestCount(requests) : 0;
  return c;
}
/** Reads the team database's side: a row that does not fit is told as the team database's, not this computer's. */
const fromTeam = <T>(read: Promise<T>): Promise<T> =>
  read.catch((e: unknown) => {
    throw toldOfTeamDatabase(e);
  });

// Counts cast to int: node-postgres hands a bigint (count's type) over as text, which the decoders refuse.
const teamCounts = (q: PgQuery, ids: string[]) => fromTeam(countTeam(q, ids));
async function countTeam(q: PgQuery, ids: string[]): Promise<MoveCounts> {
  const c: MoveCounts = { runs: 0, rows: {}, requests: 0 };
  c.runs = runCount((await q.query('SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::text[])', [ids])).rows[0] as Row);
  for (const r of (await q.query('SELECT state, count(*)::int AS n FROM run_rows WHERE run_id = ANY($1::text[]) GROUP BY state', [ids]))
    .rows) {
    const { state, n } = stateCount(r as Row);
    c.rows[state] = n;
  }
  c.requests = requestCount(
    (await q.query('SELECT count(*)::int AS n FROM run_requests WHERE run_id = ANY($1::text[])', [ids])).rows[0] as Row,
  );
  return c;
}
const same = (a: MoveCounts, b: MoveCounts) =>
  a.runs === b.runs &&
  a.requests === b.requests &&
  [...new Set([...Object.keys(a.rows), ...Object.keys(b.rows)])].every((k) => (a.rows[k] ?? 0) === (b.rows[k] ?? 0));
const describe = (c: MoveCounts) => `${c.runs} runs, ${Object.values(c.rows).reduce((n, x) => n + x, 0)} rows, ${c.requests} requests`;

/** Counts of what a move would copy (the switch dialog says them before anything moves). */
export function historyToMove(db: Db): MoveCounts {
  const ids = db.prepare('SELECT id FROM runs').all().map(idRow);
  return localCounts(db, ids);
}

export async function moveHistoryToTeam(db: Db, pool: PgPool, now: number): Promise<MoveReport> {
  const sending = db.prepare("SELECT id, sheet_name, profile_name FROM runs WHERE state = 'running' LIMIT 1").get();
  if (sending)
    throw new Failure(
      'run_in_progress',
      `“${busyRunRow(sending).name}” is still sending on this computer: pause it or let it finish, then move.`,
    );
  const all = db.prepare('SELECT id FROM runs ORDER BY created_at').all().map(idRow);
  return pgTransaction(pool, async (q) => {
    const there = new Set(
      await fromTeam(q.query('SELECT id FROM runs WHERE id = ANY($1::text[])', [all]).then((r) => r.rows.map((x) => idRow(x as Row)))),
    );
    const ids = all.filter((id) => !there.has(id));
    const before = localCounts(db, ids);
    // The team keeps times that others wait on in the server's clock (pgJournal.ts): each moved one keeps its age.
    const offset = num((await q.query(`SELECT ${DB_NOW} AS t`)).rows[0]!['t']) - now;
    for (const id of ids) await copyRun(db, q, id, offset);
    const cutoff = now - 3_600_000;
    // Once: a second move (of runs made here since) must not count this computer's last hour twice.
    const events = there.size > 0 ? [] : db.prepare('SELECT instance_id, endpoint, at FROM quota_events WHERE at > ?').all(cutoff);
    for (const e of events)
      await q.query('INSERT INTO quota_events (instance_id, endpoint, at) VALUES ($1, $2, $3)', [
        e['instance_id'],
        e['endpoint'],
        Number(e['at']) + offset,
      ]);
    const after = await teamCounts(q, ids);
    if (!same(before, after))
      throw new Failure(
        'move_mismatch',
        `The team database holds ${describe(after)} of the ${describe(before)} moved: nothing was kept. Try again; if it repeats, tell your admin.`,
      );
    return { moved: after, alreadyThere: there.size, quotaEvents: events.length };
  });
}

async function copyRun(db: Db, q: PgQuery, id: string, offset: number): Promise<void> {
  const run = db.prepare(`SELECT ${RUN_COLS.join(', ')} FROM runs WHERE id = ?`).get(id)!;
  await q.query(
    `INSERT INTO runs (${RUN_COLS.join(', ')}) VALUES ${placeholders(1, RUN_COLS.length)}`,
    RUN_COLS.map((c) => run[c] ?? null),
  );
  // Request ids are this computer's: the team database numbers them anew, and the rows follow.
  const ids = new Map<number, number>();
  for (const r of db
    .prepare('SELECT id, endpoint, rows, started_at, finished_at, outcome FROM run_requests WHERE run_id = ? ORDER BY id')
    .all(id)) {
    const newId = num(
      (
        await q.query(
          'INSERT INTO run_requests (run_id, endpoint, rows, started_at, finished_at, outcome) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [id, r['endpoint'], r['rows'], Number(r['started_at']) + offset, r['finished_at'] ?? null, r['outcome'] ?? null],
        )
      ).rows[0]!['id'],
    );
    ids.set(requestIdRow(r), newId);
  }
  const page = db.prepare(`SELECT ${ROW_COLS.join(', ')} FROM run_rows WHERE run_id = ? AND idx > ? ORDER BY idx LIMIT 500`);
  for (let after = -1; ;) {
    const rows = page.all(id, after);
    if (rows.length === 0) return;
    const values: unknown[] = [];
    for (const r of rows)
      for (const c of ROW_COLS) {
        const v: SqlValue | undefined = r[c];
        values.push(
          c === 'request_id' && v !== null && v !== undefined
            ? (ids.get(Number(v)) ?? null)
            : c === 'request' && v === 'null'
              ? null
              : (c === 'not_before' && Number(v) > 0) || (c === 'unknown_since' && v !== null && v !== undefined)
                ? Number(v) + offset
                : (v ?? null),
        );
      }
    await q.query(`INSERT INTO run_rows (${ROW_COLS.join(', ')}) VALUES ${placeholders(rows.length, ROW_COLS.length)}`, values);
    after = Number(rows.at(-1)!['idx']);
  }
}
