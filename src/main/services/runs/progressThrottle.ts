/**
 * Progress events to the window, at most one per run every `intervalMs` (the latest one wins), but at once
 * when a run's state changes (started, paused, finished…). Under compressed windows or a fast instance the
 * engine reports after every request; the window only needs a few frames a second.
 */
import type { RunProgress } from '../../../shared/domain/send/types.ts';

export type Timers = { now: () => number; setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (h: unknown) => void };
const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function throttleProgress(send: (p: RunProgress) => void, intervalMs = 250, timers: Timers = realTimers) {
  const runs = new Map<string, { sentAt: number; state: string; pending: RunProgress | null; timer: unknown }>();
  const flush = (id: string) => {
    const r = runs.get(id);
    if (!r?.pending) return;
    const p = r.pending;
    r.pending = null;
    r.timer = null;
    r.sentAt = timers.now();
    r.state = p.state;
    send(p);
    if (p.state !== 'running') runs.delete(id);
  };
  return (p: RunProgress): void => {
    const r = runs.get(p.id) ?? { sentAt: -Infinity, state: '', pending: null, timer: null };
    runs.set(p.id, r);
    r.pending = p;
    const due = r.sentAt + intervalMs - timers.now();
    if (p.state !== r.state || due <= 0) {
      if (r.timer) timers.clearTimeout(r.timer);
      flush(p.id);
    } else if (!r.timer) r.timer = timers.setTimeout(() => flush(p.id), due);
  };
}
