/**
 * `npm run bench:send`: 1,000 rows against the emulator with Clerk's real limits (100 single + 25 bulk of ≤10
 * per window) compressed into seconds. Invite Desk's engine side by side with a naive loop over
 * createInvitation and a loop over bulk chunks of 10 (both obeying Retry-After, as a careful script would).
 * Prints invitations per window as a fraction of the 350 ceiling, 429s drawn and requests made.
 */
import { startClerkEmulator, type ClerkEmulator } from '../src/main/emulator/server.ts';
import { createClerkClient, type ClerkClient } from '../src/main/services/clerk/client.ts';
import { ClerkApiError } from '../src/main/services/clerk/errors.ts';
import { ceilingPerWindow } from '../src/shared/domain/send/limits.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../test/helpers/runFixture.ts';
import { makeTempDir } from '../test/helpers/tempDir.ts';

const ROWS = 1000;
const WINDOW = Number(process.env['BENCH_WINDOW_MS'] ?? 2000);
const BUDGET = 3 * WINDOW; // each strategy runs for three windows (or until done)
const emails = Array.from({ length: ROWS }, (_, i) => `bench${i}@send.test`);

type Result = { name: string; inFirstTwo: number; total: number; doneMs: number | null; r429: number; requests: number };

async function withEmulator(fn: (emu: ClerkEmulator, client: ClerkClient) => Promise<number | null>): Promise<Omit<Result, 'name'>> {
  const emu = await startClerkEmulator({ rateLimits: { hourlyWindowMs: WINDOW }, instances: [{ monthlyEmailCap: null }] });
  const client = createClerkClient({ baseUrl: emu.apiUrl, secretKey: emu.instance.secretKey });
  const t0 = Date.now();
  const doneMs = await fn(emu, client);
  const created = emu.instance.invitations.map((i) => i.createdAt);
  const first = Math.min(...emu.requests.filter((r) => r.method === 'POST').map((r) => r.at));
  const result = {
    inFirstTwo: created.filter((t) => t < first + 2 * WINDOW).length,
    total: created.length,
    doneMs,
    r429: emu.requests.filter((r) => r.status === 429).length,
    requests: emu.requests.filter((r) => r.method === 'POST').length,
  };
  void t0;
  await emu.close();
  return result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function politeLoop(emu: ClerkEmulator, send: (batch: string[]) => Promise<unknown>, size: number): Promise<number | null> {
  const t0 = Date.now();
  for (let i = 0; i < emails.length;) {
    if (Date.now() - t0 > BUDGET) return null;
    try {
      await send(emails.slice(i, i + size));
      i += size;
    } catch (e) {
      if (e instanceof ClerkApiError && e.status === 429) await sleep((e.retryAfterSeconds ?? 1) * 1000);
      else throw e;
    }
  }
  void emu;
  return Date.now() - t0;
}

export async function benchSend(): Promise<void> {
  console.log(
    `\n## Send: ${ROWS} rows, Clerk's hourly limits compressed to ${WINDOW} ms windows (ceiling ${ceilingPerWindow('app')} per window)`,
  );
  const results: Result[] = [];

  results.push({
    name: 'Invite Desk engine',
    ...(await withEmulator(async (emu) => {
      const dir = makeTempDir('invite-desk-bench-');
      const fx = makeRunFixture({ emulator: emu, secretKey: emu.instance.secretKey, dbPath: tempDbPath(dir.path) });
      const id = fx.createRun(
        emails.map((e) => appRequest(e)),
        { windowMs: WINDOW, instanceId: emu.instance.id },
      );
      const t0 = Date.now();
      await fx.engine.start(id);
      await fx.engine.settled(id);
      const ms = Date.now() - t0;
      fx.close();
      dir.remove();
      return ms;
    })),
  });
  results.push({
    name: 'naive loop: createInvitation',
    ...(await withEmulator((emu, c) => politeLoop(emu, (b) => c.createInvitation({ emailAddress: b[0]!, notify: false }), 1))),
  });
  results.push({
    name: 'loop: bulk chunks of 10',
    ...(await withEmulator((emu, c) =>
      politeLoop(emu, (b) => c.createInvitationsBulk(b.map((e) => ({ emailAddress: e, notify: false }))), 10),
    )),
  });

  const ceiling = 2 * ceilingPerWindow('app');
  console.log('strategy                        | first 2 windows | of ceiling | 429s | requests | all 1,000 sent');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(31)} | ${String(r.inFirstTwo).padStart(15)} | ${`${((100 * r.inFirstTwo) / ceiling).toFixed(1)}%`.padStart(10)} | ${String(r.r429).padStart(4)} | ${String(r.requests).padStart(8)} | ${r.doneMs === null ? `no (${r.total} in ${BUDGET} ms)` : `${r.doneMs} ms`}`,
    );
  }
}
