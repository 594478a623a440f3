/**
 * Retry-After without bounds (issue 20, item 7): `Retry-After: 3600000` blocked an instance for 41.7 days and
 * `999999999` for 31.7 years. A wait is bounded by the endpoint's window, and says when Clerk asked for more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkApiError } from '../../../src/main/services/clerk/errors.ts';
import { classify } from '../../../src/main/services/runs/classify.ts';
import type { QueuedRow } from '../../../src/main/services/runs/runsRepo.ts';
import { retryLine } from '../../../src/shared/domain/send/retry.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const HOUR = 3_600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator() {
  const e = await startClerkEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
  cleanups.push(() => e.close());
  return e;
}

const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ClerkApiError,
  );

describe('Retry-After is bounded by the endpoint’s window', () => {
  it('the client: an hour on the hourly invitation endpoints, 10 s on the general limit; what Clerk asked is kept', async () => {
    const emu = await emulator();
    const client = createClerkClient({ baseUrl: emu.apiUrl, secretKey: emu.instance.secretKey });
    emu.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 3_600_000, times: 1, path: '/invitations' });
    const single = await caught(client.createInvitation({ emailAddress: 'a@bound.test', notify: false }));
    expect(single).toMatchObject({ status: 429, retryAfterSeconds: 3600, retryAfterAskedSeconds: 3_600_000 });
    emu.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 999_999_999, times: 1, path: '/invitations/bulk' });
    const bulk = await caught(client.createInvitationsBulk([{ emailAddress: 'b@bound.test' }]));
    expect(bulk).toMatchObject({ retryAfterSeconds: 3600, retryAfterAskedSeconds: 999_999_999 });
    emu.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 3_600_000, times: 1, method: 'GET' });
    const list = await caught(client.listInvitations({ status: 'pending' }));
    expect(list).toMatchObject({ retryAfterSeconds: 10, retryAfterAskedSeconds: 3_600_000 });
    emu.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 999_999_999, times: 1, path: '/revoke' });
    const revoke = await caught(client.revokeInvitation('inv_123'));
    expect(revoke).toMatchObject({ retryAfterSeconds: 10, retryAfterAskedSeconds: 999_999_999 });
    // Within the window: as Clerk asked, nothing noted.
    emu.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 42, times: 1, path: '/invitations' });
    expect(await caught(client.createInvitation({ emailAddress: 'c@bound.test' }))).toMatchObject({
      retryAfterSeconds: 42,
      retryAfterAskedSeconds: null,
    });
  });

  it('classify: the wait is bounded by the lane’s window and carries a note that Clerk asked for more', () => {
    const row: QueuedRow = {
      idx: 0,
      email: 'a@x.test',
      request: appRequest('a@x.test'),
      attempts: 1,
      split: 10,
      notBefore: 0,
      unknownSince: null,
    };
    const e429 = (seconds: number) =>
      new ClerkApiError({
        status: 429,
        errors: [{ code: 'too_many_requests', message: '', longMessage: '', meta: {} }],
        retryAfterSeconds: seconds,
        traceId: null,
      });
    expect(classify(e429(3_600_000), 'create', [row], true)).toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 3600,
      note: 'Clerk asked to wait 41 days 16 h; waiting at most 1 h (the limit’s window)',
    });
    expect(classify(e429(999_999_999), 'revoke', [row], false)).toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 10,
      note: 'Clerk asked to wait 31 years 259 days; waiting at most 10 s (the limit’s window)',
    });
    expect(classify(e429(30), 'create', [row], false)).toEqual({ kind: 'rate_limited', retryAfterSeconds: 30, note: null });
  });

  it('the run page says what Clerk asked and how long it waits', () => {
    const line = retryLine(
      {
        status: 429,
        code: 'too_many_requests',
        attempt: 1,
        nextAt: 1000 + HOUR,
        note: 'Clerk asked to wait 41 days 16 h; waiting at most 1 h (the limit’s window)',
      },
      1000,
      () => '15:00',
      () => '60 min',
    );
    expect(line).toBe(
      'Clerk answered 429, 1st try; next at 15:00 (in 60 min). Clerk asked to wait 41 days 16 h; waiting at most 1 h (the limit’s window)',
    );
  });

  for (const asked of [3_600_000, 999_999_999]) {
    it(`a run told Retry-After: ${asked} blocks the endpoint for at most an hour, not ${Math.round(asked / 86400)} days`, async () => {
      const emu = await emulator();
      const dir = makeTempDir();
      const fx = makeRunFixture({ emulator: emu, secretKey: emu.instance.secretKey, dbPath: tempDbPath(dir.path) });
      cleanups.push(
        () => dir.remove(),
        () => fx.close(),
        () => fx.engine.shutdown(),
      );
      emu.faults.inject({ kind: 'rate_limit', retryAfterSeconds: asked, method: 'POST' });
      const id = fx.createRun([appRequest('r1@bound.test')], { windowMs: HOUR, instanceId: emu.instance.id });
      const before = Date.now();
      await fx.engine.start(id);
      const blockedUntil = () =>
        Math.max(...(['app.single', 'app.bulk'] as const).map((e) => fx.quota.ledger(emu.instance.id, e, HOUR, Date.now()).blockedUntil));
      // Waits on the journal's state: the 429 has been obeyed once the endpoint is blocked.
      await new Promise<void>((resolve) => {
        const check = () => (blockedUntil() > 0 ? resolve() : setTimeout(check, 5));
        check();
      });
      await fx.engine.pause(id);
      const blocked = [blockedUntil()];
      expect(Math.max(...blocked)).toBeGreaterThan(before);
      expect(Math.max(...blocked)).toBeLessThanOrEqual(Date.now() + HOUR);
    });
  }
});
