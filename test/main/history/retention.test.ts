/**
 * Retention never purges a run with rows still to send (issue 20, item 10): it deleted an interrupted 40-day-old
 * run's never-sent rows while Resume raced it, and Resume answered "internal: … No run".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const DAY = 86_400_000;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A 40-day-old run the app was interrupted in: `sent` rows done, the rest never sent. */
async function oldInterruptedRun(rows: number, sent: number) {
  const s = makeServices(createMemorySecretStore(), undefined, { runWindowMs: 60_000 });
  open.push(s);
  await s.profiles.secretFor('sandbox'); // starts the Sandbox's emulator
  const db = openDatabase(s.dbPath);
  open.push({ close: async () => db.close() });
  const repo = createRunsRepo(db);
  const id = `old-${rows}-${sent}`;
  const at = Date.now() - 40 * DAY;
  repo.create(
    {
      id,
      profileId: 'sandbox',
      profileName: 'Sandbox',
      environment: 'development',
      instanceId: s.sandboxEmulator()!.instance.id,
      kind: 'app',
      op: 'create',
      organizationId: null,
      organizationName: null,
      sheetId: null,
      sheetName: 'old',
      options: { settings: null, columns: [] },
      windowMs: 60_000,
      createdAt: at,
      rows: Array.from({ length: rows }, (_, i) => ({
        sheetRow: i,
        email: `${id}.${i}@ret.test`,
        request: appRequest(`${id}.${i}@ret.test`),
      })),
    },
    at,
  );
  if (sent > 0)
    repo.markSent(
      id,
      Array.from({ length: sent }, (_, idx) => ({ idx, invitationId: `inv_old${idx}`, status: 'pending', url: null })),
      at,
    );
  repo.setState(id, 'interrupted', at, 'The app stopped');
  return { s, id, repo };
}

describe('retention and unsent rows', () => {
  it('a 40-day-old interrupted run with never-sent rows is kept by a 30-day retention; Resume racing it sends them', async () => {
    const { s, id, repo } = await oldInterruptedRun(60, 10);
    const resumed = dispatch(s.handlers, 'runs:resume', { runId: id });
    const retention = await dispatch(s.handlers, 'history:setRetention', { days: 30 });
    expect(await resumed).toEqual({ ok: true, value: null });
    expect(retention).toEqual({ ok: true, value: { days: 30, deleted: 0 } });
    await s.engine.settled(id);
    expect(repo.get(id)).toMatchObject({ state: 'finished', counts: { sent: 60, queued: 0 } });
  });

  it('a run retention may delete (every row final), resumed as it goes: “That run no longer exists”, not “internal”', async () => {
    const { s, id } = await oldInterruptedRun(5, 5);
    const resumed = dispatch(s.handlers, 'runs:resume', { runId: id });
    expect(await dispatch(s.handlers, 'history:setRetention', { days: 30 })).toEqual({ ok: true, value: { days: 30, deleted: 1 } });
    expect(await resumed).toEqual({
      ok: false,
      error: {
        code: 'run_not_found',
        message: 'That run no longer exists: it was deleted from the history meanwhile (by retention, or with its profile).',
      },
    });
  });
});
