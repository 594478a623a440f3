import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { transaction } from '../../../src/main/services/db/types.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { emailKey } from '../../../src/shared/domain/email.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function history(runs: number, perRun: number) {
  const d = makeTempDir();
  dirs.push(d);
  const db = openDatabase(join(d.path, 'h.sqlite'));
  transaction(db, () => {
    const run = db.prepare(
      "INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at) VALUES (?, 'p', 'Prod', 'production', 'ins', 'app', ?, '{}', 'finished', 3600000, ?)",
    );
    const row = db.prepare(
      "INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, updated_at) VALUES (?, ?, ?, ?, ?, '{}', 'sent', 0)",
    );
    // Run ids do not follow creation time, so the order has to come from created_at.
    for (let r = 0; r < runs; r++) {
      run.run(`run${(r * 7) % runs}`, `Sheet ${r}`, 1000 + ((r * 7) % runs));
      for (let i = 0; i < perRun; i++) {
        const email = `${i % 3 ? 'User' : 'other'}${(i * 13) % perRun}@Corp.example`;
        row.run(`run${(r * 7) % runs}`, i, i, email, emailKey(email));
      }
    }
  });
  return { db, repo: createRunsRepo(db) };
}

describe('history search by email', () => {
  it('a broad prefix (walked run by run) finds the same page, newest runs first, as a narrow one (sorted)', () => {
    const { db, repo } = history(30, 100);
    for (const q of ['user', 'USER1', 'other2', 'user99@corp', 'nobody']) {
      const sorted = repo.searchEmail(q, 200, Number.MAX_SAFE_INTEGER);
      const walked = repo.searchEmail(q, 200, 1);
      expect(walked).toEqual(sorted);
      const times = walked.map((h) => h.runCreatedAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(walked.every((h) => h.email.toLowerCase().startsWith(q.toLowerCase()))).toBe(true);
    }
    expect(repo.searchEmail('user', 200, 1)).toHaveLength(200);
    expect(repo.searchEmail('user', 200, 1)[0]).toMatchObject({ runCreatedAt: 1029, idx: 1 });
    db.close();
  });

  it('finds a domain or the start of one, any case, broad or narrow (issue 13: “acme.test” found nothing)', () => {
    const { db, repo } = history(30, 100);
    transaction(db, () => {
      const row = db.prepare(
        "INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, updated_at) VALUES (?, ?, ?, ?, ?, '{}', 'sent', 0)",
      );
      row.run('run3', 1000, 1000, 'ana@Acme.test', emailKey('ana@Acme.test'));
      row.run('run5', 1000, 1000, 'acme@elsewhere.io', emailKey('acme@elsewhere.io'));
      row.run('run5', 1001, 1001, 'bo@acme.testing.io', emailKey('bo@acme.testing.io'));
    });
    const emails = (q: string, broad?: number) => repo.searchEmail(q, 200, broad).map((h) => h.email);
    for (const broad of [Number.MAX_SAFE_INTEGER, 1]) {
      expect(emails('acme.test', broad).sort()).toEqual(['ana@Acme.test', 'bo@acme.testing.io']);
      expect(emails('ACME', broad).sort()).toEqual(['acme@elsewhere.io', 'ana@Acme.test', 'bo@acme.testing.io']);
      expect(emails('@acme.test', broad).sort()).toEqual(['ana@Acme.test', 'bo@acme.testing.io']);
      expect(emails('acme@', broad)).toEqual(['acme@elsewhere.io']);
    }
    // A broad domain: the walked page equals the sorted one, newest runs first.
    expect(repo.searchEmail('corp.example', 200, 1)).toEqual(repo.searchEmail('corp.example', 200, Number.MAX_SAFE_INTEGER));
    expect(repo.searchEmail('corp.example', 200, 1)).toHaveLength(200);
    expect(repo.searchEmail('other1@corp', 200, 1)).toEqual(repo.searchEmail('other1@corp', 200, Number.MAX_SAFE_INTEGER));
    db.close();
  });
});
