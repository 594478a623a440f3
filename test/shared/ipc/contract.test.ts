import { describe, expect, it } from 'vitest';
import { buildRendererApi, CHANNELS, methodName } from '../../../src/shared/ipc/contract.ts';
import { parsers } from '../../../src/shared/ipc/parse.ts';
import { fingerprint, keyEnvironment } from '../../../src/shared/domain/profile.ts';

describe('IPC contract', () => {
  it('has a parser for every channel and nothing else', () => {
    expect(Object.keys(parsers).sort()).toEqual([...CHANNELS].sort());
  });

  it('builds one method per channel that invokes that channel', async () => {
    const seen: [string, unknown][] = [];
    const api = buildRendererApi(
      async (c, a) => (seen.push([c, a]), { ok: true, value: null }),
      () => () => {},
    );
    expect(methodName('profiles:replaceKey')).toBe('profilesReplaceKey');
    await api.profilesRename({ id: 'p', name: 'n' });
    await api.profilesList();
    expect(seen).toEqual([
      ['profiles:rename', { id: 'p', name: 'n' }],
      ['profiles:list', undefined],
    ]);
    expect(() => api.on('nope' as 'profiles:changed', () => {})).toThrow(/Unknown event/);
  });
});

describe('keys', () => {
  it('tells the environment from the prefix and fingerprints without revealing the key', () => {
    expect(keyEnvironment('sk_live_abcdefgh1234')).toBe('production');
    expect(keyEnvironment('sk_test_abcdefgh1234')).toBe('development');
    expect(keyEnvironment('pk_test_abcdefgh1234')).toBeNull();
    expect(fingerprint('sk_live_abcdefgha1b2')).toBe('sk_live_…a1b2');
  });
});
