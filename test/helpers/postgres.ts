/**
 * A real, throwaway PostgreSQL for the tests: a temp cluster (initdb) on a free port on 127.0.0.1, started by vitest's
 * global set-up and stopped after. As root (CI) it runs as the `postgres` user (PostgreSQL refuses to run as root).
 * It never skips: a machine without PostgreSQL fails with what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The group whose members sign in with a password (scram-sha-256); everyone else is trusted. */
export const PASSWORD_LOGIN = 'password_login';

export type PgServer = { url: string; port: number; stop(): void };

/** Where Debian (and most Linux packages) keep the server binaries, newest first; else what `pg_config` says. */
export function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .map(Number)
      .filter((v) => v >= 14 && existsSync(join(debian, String(v), 'bin', 'initdb')))
      .sort((a, b) => b - a);
    if (versions[0] !== undefined) return join(debian, String(versions[0]), 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0 && existsSync(join(pgConfig.stdout.trim(), 'initdb'))) return pgConfig.stdout.trim();
  throw new Error(
    'PostgreSQL 14+ is needed by the team-workspace tests and was not found (no initdb under /usr/lib/postgresql/*/bin or `pg_config --bindir`). ' +
      'Install it: Debian/Ubuntu `apt-get install postgresql`, macOS `brew install postgresql@16`; `.ci/run` does this on CI.',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPostgres(): Promise<PgServer> {
  const bin = postgresBinDir();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'invite-desk-pg-'));
  const as = (cmd: string, args: string[]) => {
    const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const data = join(dir, 'data');
  as('initdb', ['-D', data, '-A', 'trust', '-U', 'app', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Everyone is trusted, except members of PASSWORD_LOGIN: they must give their password (tests of a wrong one).
  const hba = join(data, 'pg_hba.conf');
  writeFileSync(hba, `host all +${PASSWORD_LOGIN} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  as('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  as('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'app', '-d', 'postgres', '-qc', `CREATE ROLE ${PASSWORD_LOGIN} NOLOGIN`]);
  return {
    url: `postgres://app@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      try {
        as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
