/**
 * When the team database does not answer, nothing is sent: a journal the others cannot see would break "never twice".
 * Every call of the run store waits for the database (retrying on connection errors only) and says since when, so
 * runs stand still ("Waiting for the team database since 14:02") and go on by themselves when it answers again.
 * An answer already received from Clerk is kept in memory and journaled once the database is back.
 */
import type { Clock } from '../lifecycle/clock.ts';
import type { RunStore } from '../runs/engine/ports.ts';

/** Connection-level failures (network, TLS handshake cut, server restarting): not a refusal of the statement. */
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
export function isTeamDbUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(
    e.message,
  );
}

export class TeamDbClosedError extends Error {
  override readonly name = 'TeamDbClosedError';
}

export type TeamWaitOptions = {
  clock: Clock;
  /** How often an unanswered call tries again. */
  retryMs?: number;
  /** Since when the database has not answered, or null once it answers again. */
  onWaiting?: (since: number | null) => void;
  /** Each call that found the database unreachable and will try again (tests, logs). */
  onRetry?: () => void;
};

export function waitForTeamDb(store: RunStore, o: TeamWaitOptions) {
  let since: number | null = null;
  let closed = false;
  const wakes = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = o.clock.setTimeout(done, ms);
      function done() {
        o.clock.clearTimeout(t);
        wakes.delete(done);
        resolve();
      }
      wakes.add(done);
    });

  const patient =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      for (;;) {
        if (closed) throw new TeamDbClosedError('The app is closing: the team database was not reached');
        try {
          const out = await fn(...args);
          if (since !== null) {
            since = null;
            o.onWaiting?.(null);
          }
          return out;
        } catch (e) {
          if (!isTeamDbUnreachable(e)) throw e;
          if (since === null) {
            since = o.clock.now();
            o.onWaiting?.(since);
          }
          o.onRetry?.();
          await pause(o.retryMs ?? 2000);
        }
      }
    };
  const wrap = <P extends object>(port: P): P =>
    Object.fromEntries(Object.entries(port).map(([k, f]) => [k, patient(f as (...a: unknown[]) => Promise<unknown>)])) as P;

  return {
    store: { runs: wrap(store.runs), journal: wrap(store.journal), quota: wrap(store.quota) } satisfies RunStore,
    /** Since when the team database has not answered (null: it answers). */
    waitingSince: () => since,
    /** Try again now (the network came back, the user pressed Retry). */
    retryNow: () => [...wakes].forEach((w) => w()),
    /** Quitting: calls still waiting give up (the journal keeps what it had; the next start resumes). */
    close() {
      closed = true;
      [...wakes].forEach((w) => w());
    },
  };
}
