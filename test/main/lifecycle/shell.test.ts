/** The smaller shell decisions: menu, renderer watchdog, notification fallback, network polling, clock jumps. */
import { describe, expect, it } from 'vitest';
import { watchClockJumps } from '../../../src/main/services/lifecycle/clockJumps.ts';
import { appMenuTemplate, trayMenuTemplate, type MenuSpec } from '../../../src/main/services/lifecycle/menu.ts';
import { createNetworkMonitor } from '../../../src/main/services/lifecycle/network.ts';
import { notifyRunFinished, type OsNotification } from '../../../src/main/services/lifecycle/notify.ts';
import { createRendererWatchdog, HANG_GRACE_MS, MAX_RELOADS } from '../../../src/main/services/lifecycle/watchdog.ts';
import type { RunProgress } from '../../../src/shared/domain/send/types.ts';
import { makeFakeClock } from '../../helpers/fakeClock.ts';

const flat = (items: MenuSpec[]): MenuSpec[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
const top = (items: MenuSpec[], label: string) => items.find((i) => i.label === label)?.submenu ?? [];

describe('application menu', () => {
  it('Edit keeps the standard roles; packaged View has no Reload/DevTools; shortcuts are shown', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const menu = appMenuTemplate({ platform, packaged: true, appName: 'Invite Desk', logEmails: false });
      expect(
        top(menu, 'Edit')
          .map((i) => i.role)
          .filter(Boolean),
      ).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
      expect(flat(menu).some((i) => i.role === 'reload' || i.role === 'toggleDevTools' || i.role === 'forceReload')).toBe(false);
      expect(
        top(menu, 'View')
          .filter((i) => i.command?.startsWith('go:'))
          .map((i) => i.accelerator),
      ).toEqual(['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+3', 'CmdOrCtrl+4', 'CmdOrCtrl+5', 'CmdOrCtrl+6', 'CmdOrCtrl+,']);
      expect(top(menu, 'Help').map((i) => i.label)).toEqual(['Show logs folder', 'Copy diagnostics', 'Include email addresses in logs']);
      expect(menu.map((i) => i.label)).toContain('Window');
    }
    const dev = appMenuTemplate({ platform: 'linux', packaged: false, appName: 'Invite Desk', logEmails: true });
    expect(flat(dev).some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(flat(dev).find((i) => i.command === 'toggleLogEmails')?.checked).toBe(true);
    expect(appMenuTemplate({ platform: 'darwin', packaged: true, appName: 'Invite Desk', logEmails: false })[0]?.label).toBe('Invite Desk');
  });

  it('tray: progress, Open, Pause all, Quit', () => {
    const tray = trayMenuTemplate({ status: 'Invite Desk: 1 run sending, 5 of 10 done', runs: 1 });
    expect(tray.filter((i) => i.label).map((i) => i.label)).toEqual([
      'Invite Desk: 1 run sending, 5 of 10 done',
      'Open Invite Desk',
      'Pause all runs',
      'Quit',
    ]);
    expect(trayMenuTemplate({ status: 'x', runs: 0 }).find((i) => i.command === 'pauseAll')?.enabled).toBe(false);
  });
});

describe('renderer watchdog', () => {
  function setup() {
    const clock = makeFakeClock();
    const did: string[] = [];
    const dog = createRendererWatchdog({
      clock,
      reload: () => did.push('reload'),
      notice: (t) => did.push(`notice: ${t}`),
      giveUp: (t) => did.push(`give up: ${t}`),
      log: () => {},
    });
    return { clock, did, dog };
  }
  it('a crash reloads the window with a notice; a clean exit does not', () => {
    const { did, dog } = setup();
    dog.gone('clean-exit');
    expect(did).toEqual([]);
    dog.gone('crashed');
    expect(did).toEqual(['reload', 'notice: The window crashed and was reloaded. Runs kept sending in the background; nothing was lost.']);
  });
  it('a hang reloads after a grace period unless it recovers; repeated crashes stop reloading', async () => {
    const { clock, did, dog } = setup();
    dog.unresponsive();
    await clock.advance(HANG_GRACE_MS - 1);
    dog.responsive();
    await clock.advance(HANG_GRACE_MS);
    expect(did).toEqual([]);
    dog.unresponsive();
    await clock.advance(HANG_GRACE_MS);
    expect(did[0]).toBe('reload');
    expect(did[1]).toMatch(/stopped responding/);
    for (let i = 0; i < MAX_RELOADS; i++) dog.gone('crashed');
    expect(did.filter((d) => d === 'reload')).toHaveLength(MAX_RELOADS);
    expect(did.at(-1)).toMatch(/^give up: .*restart Invite Desk/);
  });
});

describe('end-of-run notification', () => {
  const run = {
    sheetName: 'Q4',
    profileName: 'Prod',
    startedAt: 0,
    finishedAt: 3_600_000,
    counts: { sent: 9, failed: 1, skipped: 0 },
  } as RunProgress;
  function setup(behaviour: 'shown' | 'failed' | 'silent', supported = true) {
    const clock = makeFakeClock();
    const banners: string[] = [];
    const os: OsNotification = {
      supported,
      show: (_t, _b, on) => {
        if (behaviour === 'shown') on.shown();
        if (behaviour === 'failed') on.failed();
      },
    };
    notifyRunFinished(run, { os, banner: (t) => banners.push(t), clock });
    return { clock, banners };
  }
  it('falls back to an in-app banner when the OS refuses or never shows it', async () => {
    expect(setup('shown').banners).toEqual([]);
    expect(setup('failed').banners).toEqual(['Invite Desk: Q4: 9 sent, 1 failed, 0 skipped (Prod).']);
    expect(setup('shown', false).banners).toHaveLength(1);
    const silent = setup('silent');
    expect(silent.banners).toEqual([]);
    await silent.clock.advance(5000);
    expect(silent.banners).toHaveLength(1);
  });
});

describe('network and clock sources', () => {
  it('reports each change of net.isOnline() once', async () => {
    const clock = makeFakeClock();
    let online = true;
    const seen: boolean[] = [];
    const net = createNetworkMonitor({ isOnline: () => online, clock, pollMs: 1000 });
    net.onChange((o) => seen.push(o));
    await clock.advance(3000);
    online = false;
    await clock.advance(3000);
    online = true;
    await clock.advance(1000);
    expect(seen).toEqual([false, true]);
    expect(net.isOnline()).toBe(true);
    net.stop();
  });
  it('notices a jump of the wall clock against the monotonic clock (an unreported sleep, a clock change)', async () => {
    const clock = makeFakeClock();
    const jumps: number[] = [];
    watchClockJumps({ clock, monotonic: () => clock.monotonic(), onJump: (d) => jumps.push(d), everyMs: 10_000 });
    await clock.advance(60_000);
    expect(jumps).toEqual([]);
    clock.jump(2 * 3_600_000);
    await clock.advance(10_000);
    expect(jumps).toEqual([2 * 3_600_000]);
  });
});
