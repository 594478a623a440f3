import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../src/main/ipc/dispatch.ts';
import { isTrustedSender } from '../../../src/main/ipc/sender.ts';
import { toAppError } from '../../../src/main/ipc/toAppError.ts';
import { ClerkApiError } from '../../../src/main/services/clerk/errors.ts';
import { CHANNELS } from '../../../src/shared/ipc/contract.ts';

const calls: unknown[] = [];
const handlers = Object.fromEntries(
  CHANNELS.map((c) => [c, async (args: unknown) => (calls.push([c, args]), { handled: c })]),
) as unknown as Handlers;

describe('dispatch', () => {
  it('parses arguments before the handler sees them', async () => {
    calls.length = 0;
    expect(await dispatch(handlers, 'profiles:rename', { id: 'abc', name: '  Trimmed  ' })).toEqual({
      ok: true,
      value: { handled: 'profiles:rename' },
    });
    expect(calls).toEqual([['profiles:rename', { id: 'abc', name: 'Trimmed' }]]);
  });

  it.each([
    ['profiles:add', { name: 'x', secretKey: 'pk_test_abc12345678' }, 'secretKey'],
    ['profiles:add', { name: '', secretKey: 'sk_test_abc12345678' }, 'name'],
    ['profiles:add', { name: 'x', secretKey: 'sk_test_abc12345678', baseUrl: 'http://evil.example' }, 'baseUrl'],
    ['profiles:rename', { id: '../../etc', name: 'x' }, 'id'],
    ['profiles:delete', { id: 'a', extra: 1 }, undefined],
    ['profiles:select', 'not-an-object', undefined],
  ])('refuses %s %j without calling the handler', async (channel, args, field) => {
    calls.length = 0;
    const r = await dispatch(handlers, channel, args);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    if (field) expect(!r.ok && r.error.field).toBe(field);
    expect(calls).toEqual([]);
  });

  it('refuses unknown channels', async () => {
    expect(await dispatch(handlers, 'fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('turns a throwing handler into a Result and scrubs any secret key from it', async () => {
    const leaky = {
      ...handlers,
      'profiles:list': async () => {
        throw new Error('failed with sk_live_abcdefghijklmnop1234');
      },
    } as Handlers;
    const r = await dispatch(leaky, 'profiles:list', undefined);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('sk_live_abcdefghijklmnop1234');
    expect(JSON.stringify(r)).toContain('sk_live_…1234');
  });

  it('maps Clerk errors to their code with a next step', () => {
    const e = new ClerkApiError({
      status: 429,
      errors: [{ code: 'too_many_requests', message: 'x', longMessage: 'x', meta: {} }],
      retryAfterSeconds: 30,
      traceId: null,
    });
    expect(toAppError(e)).toMatchObject({ code: 'too_many_requests', message: expect.stringContaining('30 s') });
  });
});

describe('sender check', () => {
  const trusted = { webContentsId: 7, rendererUrl: 'file:///app/out/renderer/index.html' };
  it('accepts only our window, main frame, our page', () => {
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: true, frameUrl: 'file:///app/out/renderer/index.html' }, trusted)).toBe(true);
    expect(isTrustedSender({ webContentsId: 8, isMainFrame: true, frameUrl: 'file:///app/out/renderer/index.html' }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: false, frameUrl: 'file:///app/out/renderer/index.html' }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: true, frameUrl: 'file:///tmp/evil.html' }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: true, frameUrl: 'https://evil.example/' }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: true, frameUrl: undefined }, trusted)).toBe(false);
    const dev = { webContentsId: 7, rendererUrl: 'http://localhost:5173/' };
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: true, frameUrl: 'http://localhost:5173/#/x' }, dev)).toBe(true);
    expect(isTrustedSender({ webContentsId: 7, isMainFrame: true, frameUrl: 'http://localhost:5174/' }, dev)).toBe(false);
  });
});
