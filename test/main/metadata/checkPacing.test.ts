/**
 * The metadata check is paced by Clerk's general limit in the instance's ledger (the one runs use): each call counted,
 * none made while the check's share of the window is spent (it waits for the slot), a 429 obeyed; 100 rows a call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../../src/main/emulator/store.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { createChecksRepo } from '../../../src/main/services/metadata/checksRepo.ts';
import { CHECK_LIMIT, createMetadataCheck } from '../../../src/main/services/metadata/metadataCheck.ts';
import { GENERAL_WINDOW_MS } from '../../../src/shared/domain/send/limits.ts';
import { appRequest, engineOnEmulator } from '../../helpers/runFixture.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('metadata check pacing', () => {
  it('250 accepted rows: 3 calls, each in the ledger; a full window is waited out, a 429 obeyed, nothing lost', async () => {
    const { emulator, fx } = await engineOnEmulator(cleanups);
    const i = emulator.instance;
    const emails = Array.from({ length: 250 }, (_, k) => `p${k}@pace.test`);
    for (const e of emails) addUser(i, { emailAddress: e, publicMetadata: { plan: 'pro' } });
    const runId = fx.createRun(
      emails.map((e) => appRequest(e, { publicMetadata: { plan: 'pro' } })),
      { windowMs: 1000, instanceId: i.id },
    );
    fx.repo.markSent(
      runId,
      emails.map((_, idx) => ({ idx, invitationId: `inv_${idx}`, status: 'accepted', url: null })),
      Date.now(),
    );
    // The window is spent (a run used the instance's share just now): the check's first call waits for its slot.
    let clock = 1_000_000;
    for (let k = 0; k < CHECK_LIMIT; k++) fx.quota.spend(i.id, 'general', clock - 1000);
    const slept: number[] = [];
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 2, method: 'GET', path: '/v1/users', times: 1 });
    const check = createMetadataCheck({
      store: fx.storage,
      checks: createChecksRepo(fx.db),
      quota: fx.storage.quota,
      clientFor: async () => createClerkClient({ baseUrl: emulator.apiUrl, secretKey: i.secretKey }),
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    const before = emulator.requests.length;
    const summary = await check.check(runId);
    expect(summary.line).toBe('250 accepted: 250 landed');
    const calls = emulator.requests.slice(before).filter((r) => r.path === '/v1/users');
    expect(calls.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    // First: the window's oldest use ages out (10 s after it, plus the margin); then Clerk's Retry-After (2 s).
    expect(slept[0]).toBe(GENERAL_WINDOW_MS - 1000 + 100);
    expect(slept[1]).toBeGreaterThanOrEqual(2000);
    // Every call counted in the instance's window, the refused one too.
    expect(fx.quota.ledger(i.id, 'general', GENERAL_WINDOW_MS, clock).sent.length).toBe(4);
  });
});
