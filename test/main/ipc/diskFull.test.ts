/**
 * Disk full, told as it is, wherever the user meets it (issue 20, item 9): sheets:create and sheets:save answered
 * "internal: … cannot rollback …", and so did Resume. Each now says "Disk full: free space, then …" with its next step.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { fillable } from '../../helpers/fullDisk.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

function services() {
  const dir = makeTempDir();
  const { db, disk } = fillable(openDatabase(join(dir.path, 'invite-desk.sqlite')));
  const s = makeServices(createMemorySecretStore(), undefined, { db, runWindowMs: 60_000 });
  open.push({ close: async () => (await s.close(), dir.remove()) });
  return { s, disk };
}

const value = <T>(r: { ok: boolean }) => {
  expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
  return (r as { ok: true; value: T }).value;
};
let tag = 0;
const sheet = (s: ReturnType<typeof services>['s'], n: number) => {
  const t = ++tag;
  return dispatch(s.handlers, 'sheets:create', {
    name: 'Full',
    settings: { ...defaultSettings(), notify: false },
    columns,
    rows: Array.from({ length: n }, (_, i) => [`p${t}.${i}@full.test`]),
  });
};

describe('a full disk, through the IPC handlers', () => {
  it('sheets:create and sheets:save: “Disk full: free space, then …” with what is kept and what to press', async () => {
    const { s, disk } = services();
    const { id } = value<{ id: string }>(await sheet(s, 3));
    disk.full = true;
    expect(await sheet(s, 3)).toEqual({
      ok: false,
      error: { code: 'disk_full', message: 'Disk full: free space, then press Create again. The import is still open here.' },
    });
    const saved = await dispatch(s.handlers, 'sheets:save', { id, patches: [{ t: 'set', index: 0, row: ['q@full.test'] }] });
    expect(saved).toMatchObject({
      ok: false,
      error: { code: 'disk_full', message: expect.stringMatching(/^Disk full: free space, then /) },
    });
    expect(!saved.ok && saved.error.message).toMatch(/edits are kept in this window/);
  });

  it('runs:start and Resume: “Disk full: free space, then …”, never “internal: cannot rollback”', async () => {
    const { s, disk } = services();
    const a = value<{ id: string }>(await sheet(s, 2));
    const b = value<{ id: string }>(await sheet(s, 2));
    const { runId } = value<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: a.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);
    disk.full = true;
    expect(await dispatch(s.handlers, 'runs:start', { sheetId: b.id, profileId: 'sandbox' })).toMatchObject({
      ok: false,
      error: { code: 'disk_full', message: 'Disk full: free space, then start the run again.' },
    });
    // A paused run resumed on a full disk. Clerk asks this one to wait, so it is surely still going when paused.
    disk.full = false;
    s.sandboxEmulator()!.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 600, method: 'POST' });
    const other = value<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: b.id, profileId: 'sandbox' }));
    await dispatch(s.handlers, 'runs:pause', { runId: other.runId });
    expect(await s.engine.progress(other.runId)).toMatchObject({ state: 'paused' });
    disk.full = true;
    const resumed = await dispatch(s.handlers, 'runs:resume', { runId: other.runId });
    expect(resumed).toMatchObject({ ok: false, error: { code: 'disk_full', message: 'Disk full: free space, then Resume.' } });
  });
});
