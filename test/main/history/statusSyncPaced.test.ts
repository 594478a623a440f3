/**
 * A status sync asks Clerk one list request per status and page, on the instance's general limit: each request takes
 * its slot from the ledger runs and teammates share, so a sync on an instance whose window is nearly full waits for
 * room instead of drawing 429s (it answered “Clerk asked to wait” and failed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('status sync on the general limit', () => {
  it('takes a slot of the instance’s window for each list request: 0 × 429 on a window of 2', async () => {
    const WINDOW = 2000;
    const s = makeServices(createMemorySecretStore(), undefined, { generalReads: { limit: 2, windowMs: WINDOW } });
    cleanups.push(() => s.close());
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Paced',
        settings: { ...defaultSettings(), notify: false },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['ann@paced.test'], ['bob@paced.test']],
      }),
    );
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);

    // Clerk's general limit: 2 requests per window (the sync asks 4 lists: pending, accepted, revoked, expired).
    const emulator = s.sandboxEmulator()!;
    emulator.rateLimits.configure({ limits: { general: 2 }, generalWindowMs: WINDOW });
    const before = emulator.requests.length;
    const synced = await dispatch(s.handlers, 'history:sync', { runId });
    const asked = emulator.requests.slice(before);
    expect(asked.filter((r) => r.status === 429)).toEqual([]);
    expect(asked.filter((r) => r.method === 'GET' && r.path.endsWith('/invitations'))).toHaveLength(4);
    expect(ok<{ runs: number }>(synced).runs).toBe(1);
  });
});
