/**
 * Progress where people look (taskbar/dock bar, dock badge, tray tooltip), from the runs being sent now.
 * Normal while sending, paused while every run waits (hourly limit, Retry-After, network), error once a
 * run has failed rows.
 */
import type { RunProgress } from '../../../shared/domain/send/types.ts';

export type TaskbarState = { fraction: number; mode: 'none' | 'normal' | 'paused' | 'error'; badge: number; tooltip: string };

/** Latest progress of every run, from the engine's events; `running()` is what is being sent now. */
export function createRunsTracker(onChange: (running: RunProgress[]) => void) {
  const latest = new Map<string, RunProgress>();
  const running = () => [...latest.values()].filter((r) => r.state === 'running');
  return {
    update(p: RunProgress): void {
      const before = running().length;
      if (p.state === 'running') latest.set(p.id, p);
      else latest.delete(p.id);
      if (p.state === 'running' || before !== running().length) onChange(running());
    },
    running,
  };
}

export function taskbarState(running: RunProgress[], now: number): TaskbarState {
  if (running.length === 0) return { fraction: -1, mode: 'none', badge: 0, tooltip: 'Invite Desk' };
  let total = 0;
  let done = 0;
  for (const r of running) {
    total += r.counts.total;
    done += r.counts.total - r.counts.queued - r.counts.inflight;
  }
  const left = total - done;
  const failed = running.some((r) => r.counts.failed > 0);
  const allWaiting = running.every(
    (r) => r.offlineSince !== null || (r.waitUntil !== null && r.waitUntil > now && r.counts.inflight === 0),
  );
  const mode = failed ? 'error' : allWaiting ? 'paused' : 'normal';
  const offline = running.some((r) => r.offlineSince !== null);
  const what = offline ? 'waiting for the network' : allWaiting ? 'waiting for Clerk’s hourly limit' : 'sending';
  const runs = running.length === 1 ? '1 run' : `${running.length} runs`;
  return {
    fraction: total > 0 ? done / total : 0,
    mode,
    badge: left,
    tooltip: `Invite Desk: ${runs} ${what}, ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} done`,
  };
}
