/**
 * When the team database does not answer, nothing is sent: a journal the others cannot see would break "never twice".
 * Every call of the run store waits for the database (retrying on connection errors only) and says since when, so
 * runs stand still ("Waiting for the team database since 14:02") and go on by themselves when it answers again.
 * An answer already received from Clerk is kept in memory and journaled once the database is back.
 */
import type { Clock } from '../lifecycle/clock.ts';
import { toldOfTeamDatabase } from '../db/decode.ts';
import type { RunStore, Storage } from '../runs/engine/ports.ts';

/** Connection-level failures (network, TLS handshake cut, server restarting): not a refusal of the statement. */
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
export function isTeamDbUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  // Opening the workspace says so in words (workspace.ts teamDbProblem): still a server that does not answer.
  if (code === 'team_unreachable') return true;
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

/** Each port of a store waits for the team database; the store keeps its shape (RunStore or the whole Storage). */
export function waitForTeamDb<S extends RunStore & Partial<Pick<Storage, 'history' | 'rows'>>>(store: S, o: TeamWaitOptions) {
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

  /** Calls `fn` until the database answers (or refuses the statement itself), saying since when it does not. */
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
          if (!isTeamDbUnreachable(e)) throw toldOfTeamDatabase(e);
          if (since === null) {
            since = o.clock.now();
            o.onWaiting?.(since);
          }
          o.onRetry?.();
          await pause(o.retryMs ?? 2000);
        }
      }
    };
  // A method that hands back pages as it reads them (rows.pages, an export) is passed through: an export the
  // database cannot answer fails with what to check, rather than hanging the window's Export.
  const waitingCall = (call: (...a: unknown[]) => unknown) => {
    const waiting = patient(async (...a: unknown[]) => call(...a));
    return (...a: unknown[]) => {
      if (closed) return waiting(...a);
      const first = call(...a);
      if (first !== null && typeof first === 'object' && Symbol.asyncIterator in first) return first;
      // The first try is this call; only a failure to reach the database tries again.
      return Promise.resolve(first).then(
        (out) => {
          if (since !== null) {
            since = null;
            o.onWaiting?.(null);
          }
          return out;
        },
        (e: unknown) => {
          if (!isTeamDbUnreachable(e)) throw toldOfTeamDatabase(e);
          return waiting(...a);
        },
      );
    };
  };
  // A proxy, so a port whose methods are found when called (a workspace still opening) is wrapped the same way.
  const wrap = <P extends object>(port: P): P => {
    const made = new Map<PropertyKey, unknown>();
    return new Proxy(port, {
      get(target, key) {
        const f: unknown = Reflect.get(target, key);
        if (typeof f !== 'function') return f;
        if (!made.has(key))
          made.set(
            key,
            waitingCall((...a) => Reflect.apply(f, target, a)),
          );
        return made.get(key);
      },
    });
  };

  return {
    store: Object.fromEntries(Object.entries(store).map(([k, port]) => [k, wrap(port as object)])) as S,
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
