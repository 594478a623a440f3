/**
 * Runs that last a day: a laptop's sleep, clock jumps, network loss and quitting mid-request, with the
 * engine's wall clock and timers faked (the emulator and HTTP are real).
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { MAX_TIMER_MS } from '../../../src/main/services/lifecycle/clock.ts';
import { HOUR, type Endpoint } from '../../../src/shared/domain/send/limits.ts';
import { makeFakeClock } from '../../helpers/fakeClock.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A port nobody listens on: connecting to it is refused, like a host that cannot be reached. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function makeNetwork(online = true) {
  const listeners = new Set<(online: boolean) => void>();
  return {
    online,
    isOnline() {
      return this.online;
    },
    onChange(l: (online: boolean) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(v: boolean) {
      this.online = v;
      for (const l of listeners) l(v);
    },
  };
}

async function setup(opts: { limits: Partial<Record<Endpoint, number>>; fetch?: typeof fetch; network?: ReturnType<typeof makeNetwork> }) {
  const emulator = await startClerkEmulator({ instances: [{ monthlyEmailCap: null }] });
  emulator.rateLimits.configure({ enabled: false }); // the engine paces itself on the fake clock
  const clock = makeFakeClock();
  const dir = makeTempDir();
  const fx = makeRunFixture({
    emulator,
    secretKey: emulator.instance.secretKey,
    dbPath: tempDbPath(dir.path),
    limits: opts.limits,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    engine: { clock, ...(opts.network ? { network: opts.network } : {}) },
  });
  cleanups.push(
    () => emulator.close(),
    () => dir.remove(),
    () => fx.close(),
    () => fx.engine.shutdown(0),
  );
  return { emulator, fx, clock };
}
/** Lets fake time pass (retry backoff) until the promise settles; yields to I/O between steps. */
async function settleOnFakeClock(p: Promise<void>, clock: ReturnType<typeof makeFakeClock>): Promise<void> {
  let done = false;
  void p.then(() => (done = true));
  while (!done) {
    await clock.advance(50);
    await new Promise<void>((r) => setImmediate(r));
  }
}
const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => appRequest(`${tag}${i}@sleep.test`));
const posts = (e: Awaited<ReturnType<typeof setup>>['emulator']) => e.requests.filter((r) => r.method === 'POST').length;

describe('sleep and resume', () => {
  it('a run waiting for its hourly slot across a 2-hour sleep sends within a second of resume', async () => {
    const { emulator, fx, clock } = await setup({ limits: { 'app.single': 2, 'app.bulk': 0 } });
    const id = fx.createRun(emails(4, 's'), { windowMs: HOUR, instanceId: emulator.instance.id });
    await fx.engine.start(id);
    await vi.waitFor(async () => expect((await fx.engine.progress(id))?.waitReason).toMatch(/Hourly limit/), {
      timeout: 5000,
      interval: 5,
    });
    expect(fx.repo.get(id)!.counts.sent).toBe(2);
    // The next slot is an hour away, yet no timer is longer than a minute: the clock is re-read.
    expect(clock.pending().length).toBeGreaterThan(0);
    expect(clock.pending().every((t) => t.ms <= MAX_TIMER_MS)).toBe(true);

    clock.jump(2 * HOUR); // asleep: the wall clock moves, timers do not
    const woke = performance.now();
    fx.engine.wake('resume');
    await fx.engine.settled(id);
    expect(performance.now() - woke).toBeLessThan(1000);
    expect(fx.repo.get(id)).toMatchObject({ state: 'finished', counts: { sent: 4, failed: 0 } });
    expect([...invitationsPerEmail(emulator, emulator.instance.secretKey).values()]).toEqual([1, 1, 1, 1]);
  });

  it('without a resume event, a clock jump is noticed within a minute', async () => {
    const { emulator, fx, clock } = await setup({ limits: { 'app.single': 1, 'app.bulk': 0 } });
    const id = fx.createRun(emails(2, 'j'), { windowMs: HOUR, instanceId: emulator.instance.id });
    await fx.engine.start(id);
    await vi.waitFor(async () => expect((await fx.engine.progress(id))?.waitUntil).not.toBeNull(), { timeout: 5000, interval: 5 });
    clock.jump(HOUR + 1000);
    await clock.advance(MAX_TIMER_MS);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)!.counts.sent).toBe(2);
  });

  it('quitting never hangs: a request still in flight at the deadline is left for the next start to look up', async () => {
    const { emulator, fx, clock } = await setup({ limits: { 'app.single': 5, 'app.bulk': 0 } });
    emulator.faults.inject({ kind: 'slow', delayMs: 300, method: 'POST', times: 1 });
    const id = fx.createRun(emails(1, 'q'), { windowMs: HOUR, instanceId: emulator.instance.id });
    await fx.engine.start(id);
    await vi.waitFor(() => expect(fx.repo.get(id)!.counts.inflight).toBe(1), { timeout: 5000, interval: 5 });
    const quit = fx.engine.shutdown(2000);
    await clock.advance(2000); // the deadline passes: the request is abandoned
    await quit;
    expect(fx.repo.get(id)).toMatchObject({ state: 'running', counts: { inflight: 1, sent: 0 } });
    // The next start looks the row up in Clerk before anything is resent.
    await fx.engine.resumeAll();
    await settleOnFakeClock(fx.engine.settled(id), clock);
    expect(fx.repo.get(id)).toMatchObject({ state: 'finished', counts: { sent: 1 } });
    expect(invitationsPerEmail(emulator, emulator.instance.secretKey).get('q0@sleep.test')).toBe(1);
  });
});

describe('network loss', () => {
  it('10 minutes offline costs 0 attempts and no backoff; sending resumes as soon as the network is back', async () => {
    const dead = await deadPort();
    const network = makeNetwork();
    let down = false;
    let okPosts = 0;
    const flaky: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (down) url.port = String(dead);
      const res = await fetch(url, init);
      if (init?.method === 'POST' && ++okPosts === 3) {
        down = true; // the Wi-Fi drops right after the third request
        network.online = false;
      }
      return res;
    };
    const { emulator, fx, clock } = await setup({ limits: { 'app.single': 100, 'app.bulk': 0 }, fetch: flaky, network });
    const id = fx.createRun(emails(8, 'n'), { windowMs: HOUR, instanceId: emulator.instance.id });
    await fx.engine.start(id);
    await vi.waitFor(async () => expect((await fx.engine.progress(id))?.offlineSince).not.toBeNull(), { timeout: 5000, interval: 5 });
    const wentDown = (await fx.engine.progress(id))!.offlineSince!;
    expect((await fx.engine.progress(id))!.waitReason).toBe('Waiting for the network');

    for (let i = 0; i < 40; i++) await clock.advance(15_000); // 10 minutes of probes, all refused
    expect(posts(emulator)).toBe(3);
    const during = fx.repo.rows(id);
    expect(during.filter((r) => r.state === 'sent')).toHaveLength(3);
    expect(during.filter((r) => r.state === 'queued').every((r) => r.attempts === 0)).toBe(true);
    expect(during.some((r) => r.state === 'failed')).toBe(false);
    expect((await fx.engine.progress(id))!.offlineSince).toBe(wentDown);

    down = false;
    const back = performance.now();
    network.set(true);
    await fx.engine.settled(id);
    expect(performance.now() - back).toBeLessThan(1000);
    const rows = fx.repo.rows(id);
    expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    expect(invitationsPerEmail(emulator, emulator.instance.secretKey).size).toBe(8);
    expect([...invitationsPerEmail(emulator, emulator.instance.secretKey).values()].every((n) => n === 1)).toBe(true);
  });

  it('a run started while the computer is offline sends nothing until it is back', async () => {
    const network = makeNetwork(false);
    const dead = await deadPort();
    let down = true;
    const offline: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (down) url.port = String(dead);
      return fetch(url, init);
    };
    const { emulator, fx } = await setup({ limits: { 'app.single': 100, 'app.bulk': 0 }, fetch: offline, network });
    const id = fx.createRun(emails(3, 'o'), { windowMs: HOUR, instanceId: emulator.instance.id });
    await fx.engine.start(id);
    await vi.waitFor(async () => expect((await fx.engine.progress(id))?.waitReason).toBe('Waiting for the network'), {
      timeout: 5000,
      interval: 5,
    });
    expect(posts(emulator)).toBe(0);
    down = false;
    network.set(true);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)!.counts.sent).toBe(3);
  });
});
