/** A fresh database in the test run's PostgreSQL (test/globalPostgres.ts) per call, with a pool onto it. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The URL of a new, empty database in the shared throwaway server. */
export async function freshPgUrl(): Promise<string> {
  const admin = new pg.Client({ connectionString: inject('pgUrl') });
  await admin.connect();
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(inject('pgUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A pool on a new database; ended by the returned `end`. */
export async function freshPgPool(max = 10): Promise<pg.Pool> {
  return new pg.Pool({ connectionString: await freshPgUrl(), max });
}
