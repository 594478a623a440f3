import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { acceptInvitation, expireInvitation, type EmuInstance } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';

const prodEmu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'production' }] });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

describe('runs service', () => {
  it('reviews, dry-runs and sends a sheet to the Sandbox; production needs the typed profile name', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Q4',
        settings: { ...defaultSettings(), notify: false },
        columns,
        rows: [['ann@dry.test'], ['bob@dry.test'], ['cat@dry.test'], ['bad email'], ['ANN@dry.test']],
      }),
    );
    const { baseUrl, secretKey } = await s.profiles.secretFor('sandbox');
    await createClerkClient({ baseUrl, secretKey }).createInvitation({ emailAddress: 'bob@dry.test', notify: false });

    const review = ok<{
      toSend: number;
      skipped: { reason: string; rows: number[] }[];
      plan: { lanes: { calls: number; rows: number }[] };
    }>(await dispatch(s.handlers, 'runs:review', { sheetId: sheet.id, profileId: 'sandbox' }));
    expect(review.toSend).toBe(3);
    expect(review.skipped).toEqual([
      { reason: '“bad email” is not a valid email address: it contains a space (character 4)', rows: [3] },
      { reason: 'Duplicate of an earlier row', rows: [4] },
    ]);
    expect(review.plan.lanes.reduce((n, l) => n + l.rows, 0)).toBe(3);

    const dry = ok<{ conflicts: { email: string }[] }>(
      await dispatch(s.handlers, 'runs:dryRun', { sheetId: sheet.id, profileId: 'sandbox' }),
    );
    expect(dry.conflicts.map((c) => c.email)).toEqual(['bob@dry.test']);

    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);
    const { progress, rows } = ok<{
      progress: { state: string; counts: Record<string, number> };
      rows: { email: string; state: string; message: string | null }[];
    }>(await dispatch(s.handlers, 'runs:get', { runId }));
    expect(progress.state).toBe('finished');
    expect(progress.counts).toMatchObject({ sent: 2, failed: 1, skipped: 2 });
    expect(rows.find((r) => r.email === 'bob@dry.test')).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('pending invitation'),
    });

    // Production: refused without the typed name, accepted with it.
    const prod = await s.profiles.add({
      name: 'Acme live',
      secretKey: prodEmu.current.instance.secretKey,
      baseUrl: prodEmu.current.apiUrl,
    });
    const refused = await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: prod.id, confirmName: 'acme' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required', field: 'confirmName' } });
    expect(prodEmu.current.instance.invitations).toHaveLength(0);
    const started = ok<{ runId: string }>(
      await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: prod.id, confirmName: 'Acme live' }),
    );
    await s.engine.settled(started.runId);
    expect(prodEmu.current.instance.invitations).toHaveLength(3);
  });
});

describe('history', () => {
  it('finds an email across runs (case-insensitive prefix, on the index) and exports a run as CSV', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const make = async (name: string, rows: string[][]) =>
      ok<{ id: string }>(
        await dispatch(s.handlers, 'sheets:create', {
          name,
          settings: { ...defaultSettings(), notify: false, templatePublic: '{"src":"hist"}' },
          columns,
          rows,
        }),
      );
    const a = await make('Spring', [['Zed@History.test'], ['amy@history.test']]);
    const b = await make('Autumn', [['zed@history.test'], ['not valid'], ['new@history.test']]);
    for (const sheet of [a, b]) {
      const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
      await s.engine.settled(runId);
    }
    const hits = ok<{ sheetName: string; email: string; state: string; errorCode: string | null }[]>(
      await dispatch(s.handlers, 'history:search', { email: 'ZED@' }),
    );
    expect(hits.map((h) => [h.sheetName, h.state, h.errorCode])).toEqual([
      // Already invited by Spring: the review skips it (history-aware), so Clerk never sees a duplicate.
      ['Autumn', 'skipped', null],
      ['Spring', 'sent', null],
    ]);

    const runs = ok<{ id: string; sheetName: string }[]>(await dispatch(s.handlers, 'runs:list', undefined));
    const autumn = runs.find((r) => r.sheetName === 'Autumn')!;
    const { fileName, csv } = ok<{ fileName: string; csv: string }>(await dispatch(s.handlers, 'runs:export', { runId: autumn.id }));
    expect(fileName).toMatch(/^Autumn \d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/);
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('sheet_row,email,outcome,status,invitation_id,error_code,message,public_metadata,private_metadata,accept_url');
    expect(lines[1]).toMatch(/^1,zed@history\.test,skipped,,,,Already invited on \d{4}-\d{2}-\d{2} \(pending\): not sent again,,,$/);
    expect(lines[2]).toMatch(/^2,not valid,skipped,,,,“not valid” is not a valid email address: it contains a space \(character 4\),,,$/);
  });
});

describe('follow-ups', () => {
  it('status sync picks up accepted and expired invitations; retry sends only failed rows; resend re-creates expired ones', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const { baseUrl, secretKey } = await s.profiles.secretFor('sandbox');
    const client = createClerkClient({ baseUrl, secretKey });
    await client.createInvitation({ emailAddress: 'dup@follow.test', notify: false });
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Follow',
        settings: { ...defaultSettings(), notify: false },
        columns,
        rows: [['acc@follow.test'], ['exp@follow.test'], ['dup@follow.test'], ['stay@follow.test']],
      }),
    );
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);

    // In Clerk, one invitee accepts and one invitation expires.
    const inst = await sandboxInstance(s);
    expect(acceptInvitation(inst, 'acc@follow.test', Date.now())).toBe(true);
    expect(expireInvitation(inst, 'exp@follow.test', Date.now())).toBe(true);

    const read = ok<{ at: number; rows: unknown[] }>(await dispatch(s.handlers, 'runs:get', { runId }));
    const synced = ok<{ changed: number }>(await dispatch(s.handlers, 'history:sync', { runId }));
    expect(synced.changed).toBe(2);
    // The live view asks only for rows changed since its last read.
    const changed = ok<{ rows: { email: string; invitationStatus: string | null }[] }>(
      await dispatch(s.handlers, 'runs:get', { runId, changedSince: read.at }),
    );
    expect(changed.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'acc@follow.test', invitationStatus: 'accepted' }),
        expect.objectContaining({ email: 'exp@follow.test', invitationStatus: 'expired' }),
      ]),
    );
    expect(changed.rows.length).toBeLessThan(read.rows.length);
    expect(ok<{ rows: unknown[] }>(await dispatch(s.handlers, 'runs:get', { runId, changedSince: read.at + 1e9 })).rows).toEqual([]);
    const after = ok<{ progress: { syncedAt: number | null }; rows: { email: string; invitationStatus: string | null }[] }>(
      await dispatch(s.handlers, 'runs:get', { runId }),
    );
    expect(after.progress.syncedAt).not.toBeNull();
    expect(Object.fromEntries(after.rows.map((r) => [r.email, r.invitationStatus]))).toEqual({
      'acc@follow.test': 'accepted',
      'exp@follow.test': 'expired',
      'dup@follow.test': null,
      'stay@follow.test': 'pending',
    });

    // Retry failed: only the duplicate row, still refused (it is still pending in Clerk).
    const retry = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:followUp', { runId, which: 'failed' }));
    await s.engine.settled(retry.runId);
    const retried = ok<{ progress: { counts: Record<string, number>; parentRunId: string }; rows: { email: string }[] }>(
      await dispatch(s.handlers, 'runs:get', { runId: retry.runId }),
    );
    expect(retried.rows.map((r) => r.email)).toEqual(['dup@follow.test']);
    expect(retried.progress.parentRunId).toBe(runId);

    // Resend the expired one: a new invitation, with the same metadata, via ignore_existing.
    const before = inst.invitations.filter((i) => i.emailAddress === 'exp@follow.test').length;
    const resend = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:followUp', { runId, which: 'expired_or_revoked' }));
    await s.engine.settled(resend.runId);
    const resent = ok<{ progress: { counts: Record<string, number> } }>(await dispatch(s.handlers, 'runs:get', { runId: resend.runId }));
    expect(resent.progress.counts.sent).toBe(1);
    expect(inst.invitations.filter((i) => i.emailAddress === 'exp@follow.test')).toHaveLength(before + 1);
  });
});

/** The Sandbox's in-process emulator instance, found through its key. */
async function sandboxInstance(s: ReturnType<typeof makeServices>): Promise<EmuInstance> {
  const { secretKey } = await s.profiles.secretFor('sandbox');
  const inst = s.sandboxEmulator()?.instances.get(secretKey);
  if (!inst) throw new Error('sandbox emulator not started');
  return inst;
}

describe('retention and profiles', () => {
  it('keeps history N days, deletes a profile with or without its history, and opens failed rows as a sheet', async () => {
    let now = Date.now();
    const s = makeServices(createMemorySecretStore(), undefined, { now: () => now });
    open.push(s);
    const prof = await s.profiles.add({ name: 'Keep', secretKey: prodEmu.current.instance.secretKey, baseUrl: prodEmu.current.apiUrl });
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Old',
        settings: { ...defaultSettings(), notify: false, templatePublic: '{"t":1}' },
        columns,
        rows: [['old1@ret.test'], ['old2@ret.test']],
      }),
    );
    const old = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(old.runId);
    await createClerkClient(await s.profiles.secretFor(prof.id)).createInvitation({ emailAddress: 'old2@ret.test', notify: false });
    now += 40 * 86_400_000;
    const recent = ok<{ runId: string }>(
      await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: prof.id, confirmName: 'Keep' }),
    );
    await s.engine.settled(recent.runId);

    // Failed rows → a new sheet with the run's settings and each row's exact metadata.
    const fromRun = ok<{ id: string; name: string; rowCount: number }>(
      await dispatch(s.handlers, 'runs:toSheet', { runId: recent.runId, which: 'failed' }),
    );
    expect(fromRun).toMatchObject({ name: 'Old (failed rows)', rowCount: 1 });
    const doc = ok<{ rows: string[][]; settings: { notify: boolean; templatePublic: string } }>(
      await dispatch(s.handlers, 'sheets:get', { id: fromRun.id }),
    );
    expect(doc.rows).toEqual([['old2@ret.test', '{"t":1}', 'failed (duplicate_record)']]);
    expect(doc.settings).toMatchObject({ notify: false, templatePublic: '' });

    expect(ok(await dispatch(s.handlers, 'history:retention', undefined))).toEqual({ days: null });
    expect(ok(await dispatch(s.handlers, 'history:setRetention', { days: 30 }))).toEqual({ days: 30, deleted: 1 });
    expect(ok<{ id: string }[]>(await dispatch(s.handlers, 'runs:list', undefined)).map((r) => r.id)).toEqual([recent.runId]);

    // Deleting the profile: by default its history stays; on request it goes.
    const kept = ok<{ runsDeleted: number }>(await dispatch(s.handlers, 'profiles:delete', { id: prof.id }));
    expect(kept.runsDeleted).toBe(0);
    expect(ok<unknown[]>(await dispatch(s.handlers, 'runs:list', undefined))).toHaveLength(1);
    const again = await s.profiles.add({ name: 'Again', secretKey: prodEmu.current.instance.secretKey, baseUrl: prodEmu.current.apiUrl });
    const third = ok<{ runId: string }>(
      await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: again.id, confirmName: 'Again' }),
    );
    await s.engine.settled(third.runId);
    const gone = ok<{ runsDeleted: number }>(await dispatch(s.handlers, 'profiles:delete', { id: again.id, keepHistory: false }));
    expect(gone.runsDeleted).toBe(1);
    expect(ok<{ id: string }[]>(await dispatch(s.handlers, 'runs:list', undefined)).map((r) => r.id)).toEqual([recent.runId]);
  });

  it('neutralises formula injection in the run export, in skipped rows too', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const rows = [['+tag@formula.test'], ['-dash@formula.test'], ['=HYPERLINK("http://evil.test","click me")'], ['@SUM(1+1)'], ['\t=1+2']];
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', { name: 'Formulas', settings: { ...defaultSettings(), notify: false }, columns, rows }),
    );
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);
    const { csv } = ok<{ csv: string }>(await dispatch(s.handlers, 'runs:export', { runId }));
    const cells = Papa.parse<string[]>(csv.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data.flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells).toContain(`'=HYPERLINK("http://evil.test","click me")`);
    expect(cells).toContain("'+tag@formula.test");
  });
});
