/** A migrated database in a temp dir that accepts what a damaged file or another version may hold (CHECKs off). */
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { makeTempDir } from './tempDir.ts';

/** Call at a test file's top level: returns the opener; each database is removed after its test. */
export function damageableDbs(): () => ReturnType<typeof openDatabase> {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  return () => {
    const d = makeTempDir();
    dirs.push(d);
    const db = openDatabase(join(d.path, 'app.sqlite'));
    db.exec('PRAGMA ignore_check_constraints = ON');
    return db;
  };
}
