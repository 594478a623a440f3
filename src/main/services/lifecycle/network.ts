/**
 * The OS's view of the network (Electron's `net.isOnline()`), polled because main has no online/offline
 * event; listeners hear each change. It only wakes runs: whether Clerk answers is what the engine probes.
 */
import type { Clock, TimerHandle } from './clock.ts';

export function createNetworkMonitor(opts: { isOnline: () => boolean; clock: Clock; pollMs?: number }) {
  const listeners = new Set<(online: boolean) => void>();
  let online = opts.isOnline();
  let timer: TimerHandle | null = null;
  const poll = () => {
    const now = opts.isOnline();
    if (now !== online) {
      online = now;
      for (const l of listeners) l(now);
    }
    timer = opts.clock.setTimeout(poll, opts.pollMs ?? 3000);
  };
  timer = opts.clock.setTimeout(poll, opts.pollMs ?? 3000);
  return {
    isOnline: () => online,
    onChange(listener: (online: boolean) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop(): void {
      if (timer) opts.clock.clearTimeout(timer);
    },
  };
}
