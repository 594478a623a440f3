/** The test run's PostgreSQL is real: a server of version 14+ that two connections see as one database. */
import { describe, expect, it } from 'vitest';
import { freshPgPool } from '../../helpers/pgDatabase.ts';

describe('the test PostgreSQL', () => {
  it('answers as PostgreSQL 14+, and two connections share what one commits', async () => {
    const pool = await freshPgPool(2);
    try {
      const v = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(v.rows[0]!.server_version_num)).toBeGreaterThanOrEqual(140000);
      const [c1, c2] = [await pool.connect(), await pool.connect()];
      await c1.query('CREATE TABLE t (n int)');
      await c1.query('INSERT INTO t VALUES (1)');
      expect((await c2.query('SELECT count(*)::int AS n FROM t')).rows[0]).toEqual({ n: 1 });
      c1.release();
      c2.release();
    } finally {
      await pool.end();
    }
  });
});
