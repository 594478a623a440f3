/**
 * Long runs stay flat (issue 14): a 20,000-row run through the real engine and journal, Clerk's hourly limits
 * compressed into short windows, the emulator in a child process. Prints RSS and heap (after GC) at start and
 * end, main's CPU while the run waits for a slot, and progress events per second: what the engine reports and
 * what reaches the window through the throttle main uses (services/runs/progressThrottle.ts).
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ClerkEmulator } from '../src/main/emulator/server.ts';
import { throttleProgress } from '../src/main/services/runs/progressThrottle.ts';
import type { RunProgress } from '../src/shared/domain/send/types.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../test/helpers/runFixture.ts';
import { makeTempDir } from '../test/helpers/tempDir.ts';

const ROWS = Number(process.env['BENCH_LONG_ROWS'] ?? 20_000);
const WINDOW = Number(process.env['BENCH_LONG_WINDOW_MS'] ?? 400);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

type Info = { apiUrl: string; secretKey: string; instanceId: string };

/**
 * A run whose instance must wait ~5 s on both lanes (a stored Retry-After block, as after a 429): main's CPU
 * over 3 s of that wait, so nothing else is running.
 */
async function cpuWhileWaiting(): Promise<number> {
  const child = fork(join(import.meta.dirname, 'emulatorChild.ts'), ['1000'], { stdio: 'inherit' });
  const info = await new Promise<Info>((resolve) => child.once('message', (m) => resolve(m as Info)));
  const dir = makeTempDir('invite-desk-bench-');
  let onWait: (() => void) | null = null;
  const fx = makeRunFixture({
    emulator: { apiUrl: info.apiUrl } as ClerkEmulator,
    secretKey: info.secretKey,
    dbPath: tempDbPath(dir.path),
    engine: { emit: (p) => void (p.waitUntil && p.waitUntil - Date.now() > 3500 && onWait?.()) },
  });
  try {
    const id = fx.createRun(
      Array.from({ length: 100 }, (_, i) => appRequest(`wait${i}@run.test`)),
      { windowMs: 1000, instanceId: info.instanceId },
    );
    fx.quota.block(info.instanceId, 'app.single', Date.now() + 5000);
    fx.quota.block(info.instanceId, 'app.bulk', Date.now() + 5000);
    const waiting = new Promise<void>((resolve) => (onWait = resolve));
    await fx.engine.start(id);
    await waiting;
    onWait = null;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 3000)); // the wait being measured, not a test sleep
    const cpu = process.cpuUsage(c0);
    const pct = (100 * (cpu.user + cpu.system)) / 1000 / (performance.now() - t0);
    await fx.engine.pause(id);
    await fx.engine.settled(id);
    return pct;
  } finally {
    fx.close();
    dir.remove();
    child.send('close');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function benchLongRun(): Promise<void> {
  const child = fork(join(import.meta.dirname, 'emulatorChild.ts'), [String(WINDOW)], { stdio: 'inherit' });
  const info = await new Promise<Info>((resolve) => child.once('message', (m) => resolve(m as Info)));
  const dir = makeTempDir('invite-desk-bench-');
  let raw = 0;
  let toWindow = 0;
  let last: RunProgress | null = null;
  // Heap after GC once a tenth of the rows are sent (module code, JIT and SQLite caches warmed up) and at the end.
  let warm: NodeJS.MemoryUsage | null = null;
  let warming = false;
  // And half-way: the slope from 10% to 50% to the end tells warm-up from growth.
  let half: NodeJS.MemoryUsage | null = null;
  let halving = false;
  const throttled = throttleProgress(() => toWindow++);
  const fx = makeRunFixture({
    emulator: { apiUrl: info.apiUrl } as ClerkEmulator,
    secretKey: info.secretKey,
    dbPath: tempDbPath(dir.path),
    engine: {
      emit: (p) => {
        raw++;
        last = p;
        if (!halving && p.counts.sent >= ROWS / 2) {
          halving = true;
          setImmediate(() => {
            global.gc?.();
            half = process.memoryUsage();
          });
        }
        if (!warming && p.counts.sent >= ROWS / 10) {
          warming = true;
          setImmediate(() => {
            global.gc?.();
            warm = process.memoryUsage();
          });
        }
        throttled(p);
      },
    },
  });
  try {
    const id = fx.createRun(
      Array.from({ length: ROWS }, (_, i) => appRequest(`long${i}@run.test`)),
      { windowMs: WINDOW, instanceId: info.instanceId },
    );
    global.gc?.();
    const start = process.memoryUsage();
    let peakRss = start.rss;
    let waitCpu = 0;
    let waitWall = 0;
    let prevCpu = process.cpuUsage();
    let prevT = performance.now();
    // 50 ms samples: CPU used in a sample counts as "waiting" when the engine's last report said it was waiting.
    const sampler = setInterval(() => {
      const cpu = process.cpuUsage(prevCpu);
      const t = performance.now();
      const p = last as RunProgress | null;
      if (p?.waitUntil && p.waitUntil > Date.now() + 50) {
        waitCpu += (cpu.user + cpu.system) / 1000;
        waitWall += t - prevT;
      }
      prevCpu = process.cpuUsage();
      prevT = t;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const t0 = performance.now();
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const wall = performance.now() - t0;
    clearInterval(sampler);
    global.gc?.();
    const end = process.memoryUsage();
    const counts = fx.repo.get(id)!.counts;
    child.send('count');
    const emu = await new Promise<{ invitations: number; r429: number }>((resolve) =>
      child.once('message', (m) => resolve(m as { invitations: number; r429: number })),
    );
    console.log(
      `\n## Long run: ${ROWS.toLocaleString()} rows, Clerk's hourly limits in ${WINDOW} ms windows (${Math.ceil(ROWS / 350)} windows), emulator in a child process`,
    );
    console.log(
      `done in ${(wall / 1000).toFixed(1)} s: ${counts.sent.toLocaleString()} sent, ${counts.failed} failed; Clerk holds ${emu.invitations.toLocaleString()} invitations, ${emu.r429} × 429`,
    );
    const w = warm as NodeJS.MemoryUsage | null;
    const h = half as NodeJS.MemoryUsage | null;
    console.log(
      `memory after GC: RSS ${mb(start.rss)} at start, ${w ? mb(w.rss) : '?'} at 10% sent, ${h ? mb(h.rss) : '?'} at 50%, ${mb(end.rss)} at the end (peak ${mb(peakRss)}); heap ${mb(start.heapUsed)} / ${w ? mb(w.heapUsed) : '?'} / ${h ? mb(h.heapUsed) : '?'} / ${mb(end.heapUsed)}; external ${mb(start.external)} / ${w ? mb(w.external) : '?'} / ${h ? mb(h.external) : '?'} / ${mb(end.external)} (goal: no growth beyond noise)`,
    );
    const idle = await cpuWhileWaiting();
    console.log(
      `main CPU while waiting for a slot: ${idle.toFixed(2)}% over 3 s of a wait on both lanes${waitWall > 0 ? `; ${((100 * waitCpu) / waitWall).toFixed(1)}% in the long run's own ${(waitWall / 1000).toFixed(1)} s of waits` : ''} (goal ≈ 0: no polling loops)`,
    );
    console.log(
      `progress events: engine ${(raw / (wall / 1000)).toFixed(0)}/s, to the window ${(toWindow / (wall / 1000)).toFixed(1)}/s (throttled: ≤ 4/s per run, state changes at once)`,
    );
  } finally {
    fx.close();
    dir.remove();
    child.send('close');
    await new Promise((r) => child.once('exit', r));
  }
}
