/**
 * Applies this computer's numbered migrations (migrations.ts) in order, each in its own transaction with its checksum
 * recorded; refuses a database whose applied migrations were changed or come from a newer app.
 */
import { createHash } from 'node:crypto';
import { migrations, type Migration } from './migrations.ts';
import { transaction, type Db } from './types.ts';

export const checksum = (m: Pick<Migration, 'sql'>): string => createHash('sha256').update(m.sql).digest('hex');

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * What a migration run has left to apply, in order, each with its checksum: the one rule of both runners (this
 * computer's SQLite, a team's PostgreSQL). Refuses a database a newer app migrated, or one whose applied migration
 * differs from this app's; `names` says which database and migrations the message is about.
 */
export function toApply<M extends Pick<Migration, 'version' | 'name' | 'sql'>>(
  list: M[],
  applied: Map<number, string>,
  names: { database: string; migration: string } = { database: 'database', migration: 'Migration' },
): { m: M; sum: string }[] {
  const known = new Set(list.map((m) => m.version));
  for (const v of applied.keys())
    if (!known.has(v))
      throw new MigrationError(`The ${names.database} was written by a newer Invite Desk (migration ${v}). Update the app.`);
  const out: { m: M; sum: string }[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    const sum = checksum(m);
    const was = applied.get(m.version);
    if (was === undefined) out.push({ m, sum });
    else if (was !== sum)
      throw new MigrationError(`${names.migration} ${m.version} (${m.name}) differs from the one applied to this database.`);
  }
  return out;
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
  const done: number[] = [];
  for (const { m, sum } of toApply(list, applied)) {
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
