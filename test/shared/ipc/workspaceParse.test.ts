/** The workspace channels' parsers: bounded, strict, an empty password field left out, the password never quoted back. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/shared/ipc/parse.ts';

describe('workspace channel parsers', () => {
  it('leaves an empty password out (the URL’s or the keychain’s is used) and keeps a typed one', () => {
    expect(parseArgs('workspace:test', { url: ' postgres://u@h/d ', password: '', tls: true })).toEqual({
      ok: true,
      value: { url: 'postgres://u@h/d', tls: true },
    });
    expect(
      parseArgs('workspace:switch', {
        kind: 'team',
        url: 'postgres://u@h/d',
        password: 'pw',
        tls: false,
        fourEyes: true,
        copyHistory: false,
      }),
    ).toEqual({
      ok: true,
      value: { kind: 'team', url: 'postgres://u@h/d', password: 'pw', tls: false, fourEyes: true, copyHistory: false },
    });
    expect(parseArgs('workspace:switch', { kind: 'local' })).toEqual({ ok: true, value: { kind: 'local' } });
    expect(parseArgs('workspace:get', undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each([
    [{ url: '', tls: true }, 'url', /Enter the team database URL/],
    [{ url: 'mysql://u@h/d', tls: true }, 'url', /should start with postgres:\/\//],
    [{ url: `postgres://u@h/${'d'.repeat(3000)}`, tls: true }, 'url', /too long/],
    [{ url: 'postgres://u@h/d', tls: 'yes' }, 'tls', /boolean/],
    [{ url: 'postgres://u@h/d', tls: true, password: 'x'.repeat(2000) }, 'password', /too long for a database password/],
  ])('refuses %j on its field', (args, field, message) => {
    const got = parseArgs('workspace:test', args);
    expect(got).toMatchObject({ ok: false, failure: { field, message: expect.stringMatching(message) } });
  });

  it('refuses unknown keys and never quotes the password in a refusal', () => {
    const got = parseArgs('workspace:switch', {
      kind: 'team',
      url: 'postgres://u@h/d',
      password: 'hunter2',
      tls: 'on',
      fourEyes: false,
      copyHistory: false,
    });
    expect(got.ok).toBe(false);
    expect(JSON.stringify(got)).not.toContain('hunter2');
    expect(parseArgs('workspace:switch', { kind: 'local', url: 'postgres://u@h/d' })).toMatchObject({ ok: false });
  });
});
