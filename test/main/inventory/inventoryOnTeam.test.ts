/**
 * The Invitations page on a team workspace: its local copy links each invitation to the run that sent it as the
 * team's storage says (the runs live in PostgreSQL, not in this computer's file), so “sent by” names a teammate's run,
 * the insights list it, and a resend carries the redirect the run sent with (it went out without one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import type { Insights, InventoryPage, InventoryProgress } from '../../../src/shared/domain/inventory/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { ok } from '../../helpers/result.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the Invitations page on a team workspace', () => {
  it('“sent by” names the team’s run; a resend keeps the redirect that run sent with', { timeout: 60_000 }, async () => {
    const pool = await freshPgPool(4);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const storage = pgStorage(pool);
    const s = makeServices(createMemorySecretStore(), undefined, { storage });
    cleanups.push(() => s.close());
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Welcome wave',
        settings: { ...defaultSettings(), notify: false, redirectUrl: 'https://acme.test/welcome' },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['ann@wave.test'], ['bob@wave.test']],
      }),
    );
    /** A sync of the page's copy, to its end (the channel answers as it starts; progress says when it is done). */
    const synced = async () => {
      ok(await dispatch(s.handlers, 'inventory:sync', { profileId: 'sandbox' }));
      await expect
        .poll(async () => ok<InventoryProgress | null>(await dispatch(s.handlers, 'inventory:progress', { profileId: 'sandbox' }))?.state, {
          timeout: 30_000,
        })
        .toBe('done');
    };
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);

    await synced();
    const ours = ok<InventoryPage>(await dispatch(s.handlers, 'inventory:list', { profileId: 'sandbox', origin: 'ours', limit: 50 }));
    expect(ours.rows.map((r) => [r.email, r.runId, r.runName]).sort()).toEqual([
      ['ann@wave.test', runId, 'Welcome wave'],
      ['bob@wave.test', runId, 'Welcome wave'],
    ]);
    const insights = ok<Insights>(await dispatch(s.handlers, 'inventory:insights', { profileId: 'sandbox' }));
    expect(insights.runs).toContainEqual({ id: runId, name: 'Welcome wave' });

    // Ann's invitation is revoked in Clerk; resent from the page, the new one goes to the same place.
    const ann = s.sandboxEmulator()!.instance.invitations.find((x) => x.emailAddress === 'ann@wave.test')!;
    ann.status = 'revoked';
    await synced();
    const resend = ok<{ runId: string }>(
      await dispatch(s.handlers, 'inventory:act', { profileId: 'sandbox', ids: [ann.id], action: 'resend' }),
    );
    await s.engine.settled(resend.runId);
    expect([...(await storage.history.requests(resend.runId)).values()]).toEqual([
      expect.objectContaining({ emailAddress: 'ann@wave.test', redirectUrl: 'https://acme.test/welcome' }),
    ]);
  });
});
