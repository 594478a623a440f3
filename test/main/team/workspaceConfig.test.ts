/** The workspace choice's file: read through its decoder; a missing, broken or hostile file is "This computer" with a warning. */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readWorkspaceConfig, workspaceConfigPath, writeWorkspaceConfig } from '../../../src/main/services/team/workspaceConfig.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function file() {
  const d = makeTempDir();
  dirs.push(d);
  return workspaceConfigPath(join(d.path, 'invite-desk.sqlite'));
}

describe('workspace choice file', () => {
  it('lives beside the SQLite file', () => {
    expect(workspaceConfigPath(join('/data', 'invite-desk.sqlite'))).toBe(join('/data', 'workspace.json'));
  });

  it('is "This computer" with no warning when there is no file yet', () => {
    expect(readWorkspaceConfig(file())).toEqual({ config: { kind: 'local' }, warning: null });
  });

  it('writes and reads back a team workspace: the URL without password, TLS, four eyes; only its owner may read it', () => {
    const f = file();
    writeWorkspaceConfig(f, { kind: 'team', url: 'postgres://ops@db.acme.example:6543/invites', tls: true, fourEyes: true });
    expect(readWorkspaceConfig(f)).toEqual({
      config: { kind: 'team', url: 'postgres://ops@db.acme.example:6543/invites', tls: true, fourEyes: true },
      warning: null,
    });
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({
      kind: 'team',
      url: 'postgres://ops@db.acme.example:6543/invites',
      tls: true,
      fourEyes: true,
    });
    if (process.platform !== 'win32') expect(statSync(f).mode & 0o077).toBe(0);
    writeWorkspaceConfig(f, { kind: 'local' });
    expect(readWorkspaceConfig(f)).toEqual({ config: { kind: 'local' }, warning: null });
  });

  it('refuses to write a URL holding a password', () => {
    const f = file();
    expect(() => writeWorkspaceConfig(f, { kind: 'team', url: 'postgres://ops:hunter2@db/x', tls: true, fourEyes: false })).toThrow(
      /holds a password/,
    );
    expect(readWorkspaceConfig(f).config).toEqual({ kind: 'local' });
  });

  it('keeps a team workspace written by a newer app with keys it does not know (never falls back to this computer for that)', () => {
    const f = file();
    writeFileSync(f, JSON.stringify({ kind: 'team', url: 'postgres://ops@db/x', tls: false, fourEyes: false, approvalsChannel: 'x' }));
    expect(readWorkspaceConfig(f)).toEqual({
      config: { kind: 'team', url: 'postgres://ops@db/x', tls: false, fourEyes: false },
      warning: null,
    });
  });

  it.each([
    ['not JSON', '{"kind": "team", ', /it is not JSON/],
    ['an unknown kind', '{"kind": "cloud"}', /“kind”/],
    ['a team without TLS said', '{"kind": "team", "url": "postgres://u@h/d"}', /“tls”/],
    [
      'an https URL',
      '{"kind": "team", "url": "https://evil.example/x", "tls": true}',
      /“url”: The team database URL should start with postgres:\/\//,
    ],
    ['a password in the URL', '{"kind": "team", "url": "postgres://u:hunter2@h/d", "tls": true}', /“url”: the URL holds a password/],
    ['an array', '[1, 2, 3]', /could not be read/],
    ['null', 'null', /could not be read/],
    ['a huge file', `{"kind": "local", "pad": "${'x'.repeat(100_000)}"}`, /larger than 64 KB/],
  ])('falls back to this computer, with a warning, on %s', (_what, text, why) => {
    const f = file();
    writeFileSync(f, text);
    const got = readWorkspaceConfig(f);
    expect(got.config).toEqual({ kind: 'local' });
    expect(got.warning).toMatch(why);
    expect(got.warning).toMatch(/uses this computer’s own data until you choose the workspace again \(View → Workspace\)/);
    expect(got.warning).not.toContain('hunter2');
  });

  it('falls back with a warning when the file is a folder', () => {
    const f = file();
    mkdirSync(f);
    expect(readWorkspaceConfig(f)).toMatchObject({ config: { kind: 'local' }, warning: expect.stringMatching(/it is a folder/) });
  });
});
