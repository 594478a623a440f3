/** A run's status: the one place stop / wait / offline / retry change, reported once per visible change. */
import { describe, expect, it } from 'vitest';
import { RunStatus } from '../../../src/main/services/runs/engine/status.ts';

describe('RunStatus', () => {
  it('reports a change the run page can see once, and nothing when nothing changed', () => {
    let reports = 0;
    const s = new RunStatus(() => reports++);
    s.show({ waitUntil: 10, waitReason: 'Hourly limit of bulk invitations', retryNextAt: 10 });
    expect(reports).toBe(1);
    s.wait('Hourly limit of bulk invitations', 10);
    s.show({ retryNextAt: 10 }); // no retry to move: nothing to show
    expect(reports).toBe(1);
    s.show({ retry: { status: 503, code: 'x', attempt: 1, nextAt: 20 } });
    s.show({ retryNextAt: 20 });
    expect(reports).toBe(2);
    s.show({ retryNextAt: 30 });
    expect(s.visible.retry?.nextAt).toBe(30);
    expect(reports).toBe(3);
  });

  it('stops: a problem outranks a pause, the user pauses only a drive still going, a broken journal is never cancelled', () => {
    const s = new RunStatus(() => {});
    s.pauseByUser();
    expect([s.stop, s.stopReason]).toEqual(['pause', 'Paused by you']);
    s.pauseWith('Could not check with Clerk');
    expect([s.stop, s.stopReason]).toEqual(['pause', 'Could not check with Clerk']);
    s.pauseByUser();
    expect(s.stopReason).toBe('Could not check with Clerk');
    s.cancel();
    expect(s.stop).toBe('cancel');

    const broken = new RunStatus(() => {});
    broken.halt('pause', 'Disk full', { journalBroken: true });
    broken.cancel();
    expect([broken.stop, broken.journalBroken]).toEqual(['pause', true]);
    broken.shutdown();
    expect(broken.stop).toBe('shutdown');
  });
});
