/**
 * A team workspace opened for the app's lifetime: the pool, and the storage every service uses, which waits for the
 * database whenever it does not answer (at start too: the app opens, its runs stand still, and the schema is checked
 * once the server answers). Since when it waits goes to the window (which says how to reach it, never the password),
 * and so does when it answers again. A refusal the user must act on (password, TLS, an old server)
 * is told once and every call fails with it, so nothing is sent.
 */
import type { Clock } from '../lifecycle/clock.ts';
import { Failure } from '../failure.ts';
import type { Storage } from '../runs/engine/ports.ts';
import type { SecretStore } from '../secrets/secretStore.ts';
import type { PgPool } from './pgTypes.ts';
import { isTeamDbUnreachable, waitForTeamDb } from './waitForTeam.ts';
import { describeTarget, openTeamWorkspace, parseTeamUrl, type OpenPool } from './workspace.ts';

export type TeamSessionOptions = {
  ws: { url: string; tls: boolean };
  secrets: SecretStore;
  openPool: OpenPool;
  clock: Clock;
  /** The storage on the opened pool (engine/pgStore.ts `pgStorage`). */
  storageOn: (pool: PgPool) => Storage;
  /** Since when the database has not answered, or null once it answers again (the window's banner says it). */
  onWaiting: (since: number | null) => void;
  /** A refusal the user must act on (password, TLS, an old server), in words, told once per kind. */
  onRefused: (text: string) => void;
  retryMs?: number;
};

export function openTeamSession(o: TeamSessionOptions) {
  const where = describeTarget(parseTeamUrl(o.ws.url, o.ws.tls).target);
  type Opened = PgPool & { end(): Promise<void> };
  let opening: Promise<Opened> | null = null;
  let told: string | null = null;
  let closed = false;
  /** Opens once; a server that does not answer is opened again at the next call (waitForTeamDb tries it). */
  const open = (): Promise<Opened> =>
    (opening ??= openTeamWorkspace(o.ws, o.secrets, o.openPool).then(
      ({ pool }) => {
        if (closed) void pool.end();
        return pool;
      },
      (e: unknown) => {
        opening = null;
        if (!isTeamDbUnreachable(e) && e instanceof Failure && told !== e.code) {
          told = e.code;
          o.onRefused(`${e.message} Open Workspace settings to fix it; nothing is sent meanwhile.`);
        }
        throw e;
      },
    ));
  /** The pool every team store is built on: its first query opens the workspace (checked and migrated). */
  const pool: PgPool = {
    query: async (text, params) => (await open()).query(text, params),
    connect: async () => (await open()).connect(),
  };
  const team = waitForTeamDb(o.storageOn(pool), {
    clock: o.clock,
    retryMs: o.retryMs ?? 2000,
    onWaiting: o.onWaiting,
  });

  return {
    storage: team.store,
    /** For the other team stores (profiles, sheets, approvals): opens the workspace on first use. */
    pool,
    where,
    waitingSince: team.waitingSince,
    retryNow: team.retryNow,
    async close(): Promise<void> {
      closed = true;
      team.close();
      const was = opening;
      opening = null;
      if (was) await was.then((p) => p.end()).catch(() => {});
    },
  };
}
export type TeamSession = ReturnType<typeof openTeamSession>;
