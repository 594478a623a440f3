/**
 * Applies this computer's numbered migrations (migrations.ts) in order, each in its own transaction with its checksum
 * recorded; refuses a database whose applied migrations were changed or come from a newer app.
 */
import { createHash } from 'node:crypto';
import { migrations, type Migration } from './migrations.ts';
import { transaction, type Db } from './types.ts';

export const checksum = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex');

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Applies what is missing; refuses a database whose applied migrations were changed or come from a newer app. */
export function migrate(db: Db, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Map(
    db
      .prepare('SELECT version, checksum FROM schema_migrations')
      .all()
      .map((r) => [Number(r['version']), String(r['checksum'])]),
  );
  const known = new Set(list.map((m) => m.version));
  for (const v of applied.keys()) {
    if (!known.has(v)) throw new MigrationError(`The database was written by a newer Invite Desk (migration ${v}). Update the app.`);
  }
  const done: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    const sum = checksum(m);
    const was = applied.get(m.version);
    if (was !== undefined) {
      if (was !== sum) throw new MigrationError(`Migration ${m.version} (${m.name}) differs from the one applied to this database.`);
      continue;
    }
    transaction(db, () => {
      db.exec(m.sql);
      m.fill?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
        m.version,
        m.name,
        sum,
        Date.now(),
      );
    });
    done.push(m.version);
  }
  return done;
}
