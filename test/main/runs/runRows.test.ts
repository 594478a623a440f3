import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { transaction } from '../../../src/main/services/db/types.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { EXPORT_HEADER, exportLine } from '../../../src/main/services/runs/runsService.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { emailKey } from '../../../src/shared/domain/email.ts';
import { toCsv } from '../../../src/shared/domain/export/csv.ts';
import type { RunRowsPage } from '../../../src/shared/domain/send/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { ok } from '../../helpers/result.ts';

const ROWS = 2_345; // more than two export pages of 1,000
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/**
 * A finished run of ROWS rows with every kind of outcome, and cells a CSV must quote or neutralise; a later run
 * sent one of its failed emails (so no follow-up offers it).
 */
function bigRun() {
  const dir = makeTempDir();
  cleanup.push(() => dir.remove());
  const dbPath = join(dir.path, 'runs.sqlite');
  const db = openDatabase(dbPath);
  transaction(db, () => {
    const run = db.prepare(
      "INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at, finished_at) VALUES (?, 'sandbox', 'Sandbox', 'development', 'ins', 'app', ?, '{}', 'finished', 3600000, ?, ?)",
    );
    run.run('big', 'Big, "quoted"', 1, 2);
    run.run('later', 'Later', 10, 11);
    const row = db.prepare(
      'INSERT INTO run_rows (run_id, idx, sheet_row, email, request, state, invitation_id, invitation_status, url, error_code, message, email_key, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
    );
    for (let i = 0; i < ROWS; i++) {
      const kind = i % 10;
      const email = kind === 9 ? `=HYPERLINK("x${i}")` : `user${i}@example.com`;
      const req =
        kind === 9
          ? 'null'
          : JSON.stringify({ emailAddress: email, publicMetadata: { team: 'Ops, "A"', n: i }, privateMetadata: { note: 'a\nb' } });
      const state = ['sent', 'sent', 'sent', 'failed', 'failed', 'cancelled', 'sent', 'sent', 'sent', 'skipped'][kind]!;
      const sent = state === 'sent';
      row.run(
        'big',
        i,
        i + 1,
        email,
        req,
        state,
        sent ? `inv_${i}` : null,
        sent ? (kind === 6 ? 'expired' : kind === 7 ? 'accepted' : null) : null,
        sent && kind !== 7 ? `https://x.test/accept?t=${i}` : null,
        kind === 3 ? 'duplicate_record' : kind === 4 ? 'outcome_unknown' : null,
        kind === 3 ? 'Already, "pending"' : kind === 9 ? '-skipped' : null,
        emailKey(email),
      );
    }
    // The later run sent row 3's email: row 3 is not offered for a retry.
    row.run('later', 0, 0, 'USER3@example.com', '{}', 'sent', 'inv_later', null, null, null, null, emailKey('USER3@example.com'));
  });
  db.close();
  const s = makeServices(createMemorySecretStore(), undefined, { db: openDatabase(dbPath) });
  cleanup.push(() => s.close());
  return { s, dbPath };
}

describe('a huge run read in pieces', () => {
  it('exports page by page the very text toCsv writes of all rows at once', async () => {
    const { s, dbPath } = bigRun();
    const { csv } = ok<{ csv: string }>(await dispatch(s.handlers, 'runs:export', { runId: 'big' }));
    // The export as it was built before: every row and request read in one statement, toCsv over all lines.
    const db = openDatabase(dbPath);
    cleanup.push(() => db.close());
    const repo = createRunsRepo(db);
    const requests = repo.requests('big');
    const lines = repo.rows('big').map((r) => exportLine(r, requests.get(r.idx)));
    expect(csv).toBe(toCsv([EXPORT_HEADER, ...lines]));
    expect(csv.split('\r\n')).toHaveLength(ROWS + 2);
    expect(csv).toContain(`"'=HYPERLINK(""x9"")"`);
  });

  it('answers a page, the page of a history hit, a filter, the tally and the links, counted by main', async () => {
    const { s } = bigRun();
    const first = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId: 'big', limit: 100 }));
    expect(first.total).toBe(ROWS);
    expect(first.offset).toBe(0);
    expect(first.rows.map((r) => r.idx)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(first.rows[3]).toMatchObject({ email: 'user3@example.com', state: 'failed', sentLater: true });
    expect(first.rows[13]?.sentLater).toBeUndefined();
    expect(first.progress.counts).toMatchObject({ total: ROWS, sent: 1407, failed: 470, cancelled: 234, skipped: 234 });
    // Follow-ups: failed rows less the unknown outcomes and the one sent later; links of every sent row but accepted.
    expect(first.tally).toEqual({ failed: 234, unsent: 234, links: 1173, pending: 939, expiredOrRevoked: 234, members: 0 });

    const hit = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId: 'big', limit: 100, around: 2_250 }));
    expect(hit.offset).toBe(2_200);
    expect(hit.rows.some((r) => r.idx === 2_250)).toBe(true);

    const failed = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId: 'big', state: 'failed', offset: 400, limit: 100 }));
    expect(failed.total).toBe(470);
    expect(failed.rows).toHaveLength(70);
    expect(failed.rows.every((r) => r.state === 'failed')).toBe(true);
    expect(failed.rows[0]?.idx).toBe(2_003); // the 401st failed row: rows 3 and 4 of every ten
    const failedIds = ok<number[]>(await dispatch(s.handlers, 'runs:rowIds', { runId: 'big', state: 'failed' }));
    expect(failedIds).toHaveLength(470);
    expect(failedIds.slice(0, 4)).toEqual([3, 4, 13, 14]);

    expect(ok(await dispatch(s.handlers, 'runs:tally', { runId: 'big', rows: [3, 13, 14, 15, 16, 17] }))).toEqual({
      failed: 1,
      unsent: 1,
      links: 1,
      pending: 0,
      expiredOrRevoked: 1,
      members: 0,
    });
    expect(ok(await dispatch(s.handlers, 'runs:links', { runId: 'big', rows: [0, 7, 16] }))).toEqual([
      'https://x.test/accept?t=0',
      'https://x.test/accept?t=16',
    ]);
    expect(ok<string[]>(await dispatch(s.handlers, 'runs:links', { runId: 'big' }))).toHaveLength(1173);
    expect(await dispatch(s.handlers, 'runs:get', { runId: 'big', limit: 5000 })).toMatchObject({ ok: false });
  });
});
