/** Kill and resume under every Clerk behaviour variant (see variants.test.ts): every row final once, nothing twice. */
import { describe, expect, it } from 'vitest';
import { runSendingChild } from '../../helpers/sendingChild.ts';
import { VARIANTS } from '../../../src/main/emulator/behaviour.ts';
import { appRequest, tempDbPath } from '../../helpers/runFixture.ts';
import { emails, LIMITS, perEmail, setup, twice, WINDOW } from '../../helpers/variantFixture.ts';

describe.each(Object.entries(VARIANTS))('variant: %s', (_name, behaviour) => {
  it('kill and resume: killed mid-run, resumed; every row final once', { timeout: 60_000 }, async () => {
    const { emulator, fx, dir } = await setup(behaviour);
    emulator.faults.inject({ kind: 'slow', delayMs: 30, method: 'POST' });
    emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', probability: 0.2 });
    const id = fx.createRun(
      emails(30, 'k').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id, running: true },
    );
    const args = [tempDbPath(dir.path), emulator.apiUrl, emulator.instance.secretKey, JSON.stringify(LIMITS)];
    // Startup of the child takes most of a second here; the kill lands while it sends (slow answers, lost answers).
    await runSendingChild(args, 900);
    emulator.faults.clear();
    expect(await runSendingChild(args, null)).toBe('done');
    expect(fx.repo.get(id)?.pauseReason ?? '').toBe('');
    expect(fx.repo.get(id)).toMatchObject({ state: 'finished', counts: { sent: 30, queued: 0, inflight: 0, failed: 0 } });
    expect(twice(emulator)).toEqual([]);
    expect(perEmail(emulator).size).toBe(30);
  });
});
