/**
 * The key is not the instance: a key replaced in the keychain outside the app (another tool, a restored backup) is
 * checked against the profile's instance and environment before anything is sent, by “Check” and by every start.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMainServices } from '../../../src/main/services/mainServices.ts';
import { createMemorySecretStore, type SecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { ProfileHealth } from '../../../src/shared/domain/profile.ts';
import type { RunSummary } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { ok } from '../../helpers/result.ts';

const emu = useEmulator({
  rateLimits: { enabled: false },
  instances: [{ environment: 'development' }, { environment: 'development' }, { environment: 'production' }],
});
const nth = (i: number) => [...emu.current.instances.values()][i]!;
const [mine, another, prod] = [() => nth(0), () => nth(1), () => nth(2)];
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The app's services over a database in `dir` (kept when they close, as the app's is), with a shared keychain. */
function app(dir: string, secrets: SecretStore) {
  const s = createMainServices({
    db: openDatabase(join(dir, 'invite-desk.sqlite')),
    secrets,
    emit: () => {},
    appVersion: '0.0.0-test',
    platform: 'linux',
  });
  let closed = false;
  const close = async () => {
    if (!closed) await s.close(0);
    closed = true;
  };
  cleanup.push(close);
  return { ...s, close };
}

async function setUp(rows = 30) {
  const dir = makeTempDir();
  cleanup.push(() => dir.remove());
  const secrets = createMemorySecretStore();
  const s = app(dir.path, secrets);
  const profile = await s.profiles.add({ name: 'Acme dev', secretKey: mine().secretKey, baseUrl: emu.current.apiUrl });
  const sheet = ok<{ id: string }>(
    await dispatch(s.handlers, 'sheets:create', {
      name: 'Team',
      settings: { ...defaultSettings(), notify: false },
      columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: Array.from({ length: rows }, (_, i) => [`k${i}@key.test`]),
    }),
  );
  return { dir: dir.path, secrets, s, profile, sheetId: sheet.id };
}
const invitedIn = (i: { invitations: { emailAddress: string }[] }) =>
  i.invitations.filter((x) => x.emailAddress.endsWith('@key.test')).length;

describe('the key is not the instance', () => {
  it('another instance’s key in the keychain: Check says so, Resume is refused and sends 0 rows', async () => {
    const { secrets, s, profile, sheetId } = await setUp();
    const slow = emu.current.faults.inject({ kind: 'slow', delayMs: 150, method: 'POST' });
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId, profileId: profile.id }));
    await s.engine.pause(runId);
    emu.current.faults.remove(slow);
    const sentBefore = invitedIn(mine());
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(30);

    await secrets.set(profile.id, another().secretKey); // replaced outside the app
    const health = ok<ProfileHealth>(await dispatch(s.handlers, 'profiles:check', { id: profile.id }));
    expect(health).toMatchObject({ keychain: 'ok', api: 'instance_mismatch' });
    expect(health.message).toMatch(new RegExp(`^The key for “Acme dev” now belongs to another instance \\(${another().id}`));

    expect(await dispatch(s.handlers, 'runs:resume', { runId })).toMatchObject({
      ok: false,
      error: { code: 'instance_mismatch', message: expect.stringContaining('The key for “Acme dev” now belongs to another instance') },
    });
    expect(invitedIn(another())).toBe(0);
    expect(invitedIn(mine())).toBe(sentBefore);
    expect(ok<{ progress: { state: string } }>(await dispatch(s.handlers, 'runs:get', { runId })).progress.state).toBe('paused');
    // A new run is refused too, before anything is created.
    expect(await dispatch(s.handlers, 'runs:start', { sheetId, profileId: profile.id })).toMatchObject({
      ok: false,
      error: { code: 'instance_mismatch' },
    });
    expect(invitedIn(another())).toBe(0);

    // The right key back: Check is happy and Resume finishes the run where it stood, nobody twice.
    await secrets.set(profile.id, mine().secretKey);
    expect(ok<ProfileHealth>(await dispatch(s.handlers, 'profiles:check', { id: profile.id })).api).toBe('ok');
    ok(await dispatch(s.handlers, 'runs:resume', { runId }));
    await s.engine.settled(runId);
    expect(invitedIn(mine())).toBe(30);
  });

  it('a run the app was sending when it quit meets another instance’s key at the next start: interrupted with why, 0 sent', async () => {
    const { dir, secrets, s, profile, sheetId } = await setUp();
    const slow = emu.current.faults.inject({ kind: 'slow', delayMs: 150, method: 'POST' });
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId, profileId: profile.id }));
    await s.close(); // quitting mid-run: the run stays 'running', to resume at the next start
    emu.current.faults.remove(slow);
    const before = [invitedIn(mine()), invitedIn(another())];
    await secrets.set(profile.id, another().secretKey);

    const next = app(dir, secrets);
    await next.resumeRuns();
    const run = ok<RunSummary[]>(await dispatch(next.handlers, 'runs:list', undefined)).find((r) => r.id === runId);
    expect(run).toMatchObject({
      state: 'interrupted',
      pauseReason: expect.stringContaining('The key for “Acme dev” now belongs to another instance'),
    });
    expect([invitedIn(mine()), invitedIn(another())]).toEqual(before);
  });

  it('a production key under a development profile: refused, nothing sent to production, and Check says so', async () => {
    const { secrets, s, profile, sheetId } = await setUp(5);
    await secrets.set(profile.id, prod().secretKey);
    expect(await dispatch(s.handlers, 'runs:start', { sheetId, profileId: profile.id })).toMatchObject({
      ok: false,
      error: { code: 'instance_mismatch', message: expect.stringMatching(/now belongs to another instance \(.*production/) },
    });
    expect(invitedIn(prod())).toBe(0);
    expect(ok<ProfileHealth>(await dispatch(s.handlers, 'profiles:check', { id: profile.id }))).toMatchObject({
      api: 'instance_mismatch',
      message: expect.stringContaining('production'),
    });
  });
});
