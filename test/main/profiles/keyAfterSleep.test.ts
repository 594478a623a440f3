/**
 * The key is not the instance, after a sleep too (issue 20, item 4, the engine's part): a run waiting for its
 * hourly slot when the laptop slept, whose key was replaced in the keychain meanwhile, confirms the instance
 * again on resume and pauses with the reason, sending nothing more.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMainServices } from '../../../src/main/services/mainServices.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { ok } from '../../helpers/result.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }, { environment: 'development' }] });
const nth = (i: number) => [...emu.current.instances.values()][i]!;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('the key after a sleep', () => {
  it('replaced while the laptop slept: the run pauses on resume with the reason and sends nothing more', async () => {
    const dir = makeTempDir();
    cleanup.push(() => dir.remove());
    const secrets = createMemorySecretStore();
    const s = createMainServices({
      db: openDatabase(join(dir.path, 'invite-desk.sqlite')),
      secrets,
      emit: () => {},
      appVersion: '0.0.0-test',
      platform: 'linux',
      runLimits: { 'app.bulk': 1, 'app.single': 0 },
      runWindowMs: 60_000,
    });
    cleanup.push(() => s.close(0));
    const profile = await s.profiles.add({ name: 'Acme dev', secretKey: nth(0).secretKey, baseUrl: emu.current.apiUrl });
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Team',
        settings: { ...defaultSettings(), notify: false },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: Array.from({ length: 25 }, (_, i) => [`z${i}@sleep.test`]),
      }),
    );
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: profile.id }));
    await vi.waitFor(async () => expect((await s.engine.progress(runId))?.waitReason).toMatch(/Hourly limit/), {
      timeout: 5000,
      interval: 10,
    });
    expect(nth(0).invitations).toHaveLength(10);

    await secrets.set(profile.id, nth(1).secretKey); // replaced outside the app while the laptop slept
    s.engine.wake('resume');
    await s.engine.settled(runId);
    const run = await s.engine.progress(runId);
    expect(run?.state).toBe('paused');
    expect(run?.pauseReason).toMatch(/The key for “Acme dev” now belongs to another instance/);
    expect(nth(0).invitations).toHaveLength(10);
    expect(nth(1).invitations).toHaveLength(0);
  });
});
