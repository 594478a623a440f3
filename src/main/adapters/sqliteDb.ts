/** Opens the app database with node:sqlite (built into Node 24 and Electron): WAL, foreign keys, migrated. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from '../services/db/migrate.ts';
import type { Db } from '../services/db/types.ts';

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  migrate(db as unknown as Db);
  return db as unknown as Db;
}
