import { describe, expect, it } from 'vitest';
import {
  closeQuestion,
  createCloseFlow,
  SESSION_END_DEADLINE_MS,
  type CloseChoice,
} from '../../../src/main/services/lifecycle/closeFlow.ts';

function setup(o: { platform?: string; runs?: number; choice?: CloseChoice } = {}) {
  const did: string[] = [];
  let runs = o.runs ?? 1;
  let answer: (c: CloseChoice) => void = () => {};
  const flow = createCloseFlow({
    platform: o.platform ?? 'win32',
    activeRuns: () => runs,
    ask: (trigger) => {
      did.push(`ask ${trigger}`);
      return o.choice ? Promise.resolve(o.choice) : new Promise((r) => (answer = r));
    },
    toBackground: () => did.push('background'),
    stopAll: async (ms) => {
      did.push(`stop ${ms}`);
      runs = 0;
    },
    quit: () => did.push('quit'),
  });
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return { flow, did, settle, answer: (c: CloseChoice) => answer(c), setRuns: (n: number) => (runs = n) };
}

describe('closing with a run active', () => {
  it('closing the window asks; "keep sending" hides it to the tray and stops nothing', async () => {
    const { flow, did, settle } = setup({ choice: 'background' });
    expect(flow.onWindowClose()).toBe(true);
    await settle();
    expect(did).toEqual(['ask close', 'background']);
  });

  it('"pause and quit" journals the runs (they resume at next start) and quits; the quit that follows goes through', async () => {
    const { flow, did, settle } = setup({ choice: 'pause-quit' });
    expect(flow.onWindowClose()).toBe(true);
    await settle();
    expect(did).toEqual(['ask close', 'stop 3000', 'quit']);
    expect(flow.onBeforeQuit()).toBe(false);
    expect(flow.onWindowClose()).toBe(false);
  });

  it('"cancel" leaves everything as it was, and asks again next time', async () => {
    const { flow, did, settle } = setup({ choice: 'cancel' });
    expect(flow.onWindowClose()).toBe(true);
    await settle();
    expect(did).toEqual(['ask close']);
    expect(flow.onBeforeQuit()).toBe(true);
    await settle();
    expect(did).toEqual(['ask close', 'ask quit']);
  });

  it('asks once: a second close or quit while the question is open is held', async () => {
    const { flow, did, settle, answer } = setup();
    expect(flow.onBeforeQuit()).toBe(true);
    expect(flow.onWindowClose()).toBe(true);
    expect(flow.onBeforeQuit()).toBe(true);
    answer('pause-quit');
    await settle();
    expect(did).toEqual(['ask quit', 'stop 3000', 'quit']);
  });

  it('with no run active: closing closes, quitting closes the services then quits, no question', async () => {
    const { flow, did, settle } = setup({ runs: 0 });
    expect(flow.onWindowClose()).toBe(false);
    expect(flow.onBeforeQuit()).toBe(true);
    await settle();
    expect(did).toEqual(['stop 3000', 'quit']);
  });

  it('on macOS closing the window does not ask (the app stays in the dock and keeps sending); quitting does', async () => {
    const { flow, did, settle } = setup({ platform: 'darwin', choice: 'background' });
    expect(flow.onWindowClose()).toBe(false);
    expect(flow.onBeforeQuit()).toBe(true);
    await settle();
    expect(did).toEqual(['ask quit', 'background']);
    expect(closeQuestion(1, 10, 'darwin').detail).toMatch(/the Dock/);
  });

  it('OS shutdown or log-off asks nothing: the runs are journaled within a short deadline and the app quits', async () => {
    const { flow, did } = setup({ runs: 2 });
    await flow.onSessionEnd();
    expect(did).toEqual([`stop ${SESSION_END_DEADLINE_MS}`, 'quit']);
    expect(flow.onBeforeQuit()).toBe(false);
  });

  it('the question says how much is left and what each choice does', () => {
    const q = closeQuestion(2, 4321, 'linux');
    expect(q.message).toBe('2 runs are still sending (4,321 invitations left).');
    expect(q.buttons).toEqual(['Keep sending in the background', 'Pause and quit', 'Cancel']);
    expect(q.cancelId).toBe(2);
    expect(q.detail).toMatch(/tray icon/);
  });
});
