/**
 * The Sandbox can play the people who accept (issue 24): a Sandbox run's pending invitations accepted from the app,
 * optionally as under #7956, so the check and the repair can be tried with no Clerk account; never a real instance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../../../src/main/emulator/store.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { CheckSummary } from '../../../src/shared/domain/metadata/landed.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { ok } from '../../helpers/result.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const emu = useEmulator({ rateLimits: { enabled: false } });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [
  { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
  { id: 'c1', header: 'plan', target: { kind: 'meta', scope: 'public', path: 'plan', type: 'string' } },
];

async function sheetRun(profileId: string, s: ReturnType<typeof makeServices>, emails: string[]) {
  const sheet = ok<{ id: string }>(
    await dispatch(s.handlers, 'sheets:create', {
      name: 'Try',
      settings: { ...defaultSettings('app'), notify: false },
      columns,
      rows: emails.map((e) => [e, 'pro']),
    }),
  );
  const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId }));
  await s.engine.settled(runId);
  return runId;
}

describe('sandbox:accept', () => {
  it('accepts a Sandbox run’s pending invitations (as under #7956 when asked); the sync and check then see them', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const emails = ['ann@try.test', 'bob@try.test'];
    const runId = await sheetRun('sandbox', s, emails);
    expect(ok(await dispatch(s.handlers, 'sandbox:accept', { runId, lostInBulk: true }))).toEqual({ accepted: 2 });
    const sandbox = s.sandboxEmulator()!;
    expect(emails.map((e) => findUserByEmail(sandbox.instance, e)?.publicMetadata)).toEqual([{}, {}]);
    expect(sandbox.behaviour.bulkMetadataLost).toBe(false); // only for that acceptance
    ok(await dispatch(s.handlers, 'history:sync', { runId }));
    expect(ok<CheckSummary>(await dispatch(s.handlers, 'metadata:check', { runId })).line).toBe('2 accepted: 0 landed, 2 missing');
    // Nothing left pending: a second press accepts nobody.
    expect(ok(await dispatch(s.handlers, 'sandbox:accept', { runId }))).toEqual({ accepted: 0 });
  });

  it('refuses a run of a real instance: people accept by email there', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const p = await s.profiles.add({ name: 'Dev', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
    const runId = await sheetRun(p.id, s, ['cat@try.test']);
    expect(await dispatch(s.handlers, 'sandbox:accept', { runId })).toMatchObject({ ok: false, error: { code: 'not_sandbox' } });
    expect(emu.current.instance.invitations.map((i) => i.status)).toEqual(['pending']);
  });
});
