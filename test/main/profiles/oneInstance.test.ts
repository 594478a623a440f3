/** An instance is known by its id (GET /v1/instance), not by the URL it was reached at: one profile per instance. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createProfilesRepo } from '../../../src/main/services/profiles/profilesRepo.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import type { ProfilesState } from '../../../src/shared/domain/profile.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }, { environment: 'development' }] });
const nth = (i: number) => [...emu.current.instances.values()][i]!;
const first = () => nth(0);
const other = () => nth(1);
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('one instance, one profile', () => {
  it('refuses a second profile of an instance reached another way (localhost, /v1/., a trailing /, another key), naming the first', async () => {
    const secrets = createMemorySecretStore();
    const s = makeServices(secrets);
    open.push(s);
    const api = emu.current.apiUrl; // http://127.0.0.1:PORT/v1
    const add = (name: string, baseUrl: string, secretKey = first().secretKey) =>
      dispatch(s.handlers, 'profiles:add', { name, secretKey, baseUrl });
    expect(await add('Acme dev', api)).toMatchObject({ ok: true });

    // A second key of the same instance (Clerk lets an instance have several).
    const secondKey = `sk_test_${'k'.repeat(30)}`;
    emu.current.instances.set(secondKey, first());
    const variants: [string, string, string?][] = [
      ['localhost', api.replace('127.0.0.1', 'localhost')],
      ['dot', `${api}/.`],
      ['dot slash', `${api}/./`],
      ['slash', `${api}/`],
      ['other key', api, secondKey],
    ];
    for (const [name, url, key] of variants) {
      expect(await add(name, url, key), name).toMatchObject({
        ok: false,
        error: {
          code: 'profile_exists',
          field: 'secretKey',
          message: expect.stringMatching(new RegExp(`^“Acme dev” already uses this instance \\(${first().id}`)),
        },
      });
    }
    const state = await dispatch(s.handlers, 'profiles:list', undefined);
    const profiles = (state as { ok: true; value: ProfilesState }).value.profiles.filter((p) => !p.isSandbox);
    expect(profiles.map((p) => p.name)).toEqual(['Acme dev']);
    expect(secrets.entries.size).toBe(1); // no key of a refused profile left in the keychain

    // Another instance on the same URL is another profile.
    expect(await add('Other dev', api, other().secretKey)).toMatchObject({ ok: true, value: { instanceId: other().id } });
  });

  it('stores the URL it was given in one spelling: dot segments and trailing slashes resolved', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const r = await dispatch(s.handlers, 'profiles:add', {
      name: 'Dots',
      secretKey: other().secretKey,
      baseUrl: `${emu.current.apiUrl}/./`,
    });
    expect(r).toMatchObject({ ok: true, value: { baseUrl: emu.current.apiUrl } });
  });

  it('two profiles of one instance made before this check share one claim: a run of one refuses a run of the other', async () => {
    const secrets = createMemorySecretStore();
    const s = makeServices(secrets);
    open.push(s);
    const a = await s.profiles.add({ name: 'Legacy A', secretKey: other().secretKey, baseUrl: emu.current.apiUrl });
    // A second profile of the same instance, as older versions let one be added (another URL for the same server).
    const db = openDatabase(s.dbPath);
    createProfilesRepo(db).insert({
      ...a,
      id: 'legacy-b',
      name: 'Legacy B',
      baseUrl: emu.current.apiUrl.replace('127.0.0.1', 'localhost'),
    });
    db.close();
    await secrets.set('legacy-b', other().secretKey);
    const emails = Array.from({ length: 30 }, (_, i) => `claim${i}@one.test`);
    const sheet = await dispatch(s.handlers, 'sheets:create', {
      name: 'Both',
      settings: { ...defaultSettings(), notify: false, ignoreExisting: true },
      columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: emails.map((e) => [e]),
    });
    const sheetId = (sheet as { ok: true; value: { id: string } }).value.id;
    const slow = emu.current.faults.inject({ kind: 'slow', delayMs: 150, method: 'POST' });
    try {
      const runA = await dispatch(s.handlers, 'runs:start', { sheetId, profileId: a.id });
      expect(runA).toMatchObject({ ok: true });
      expect(await dispatch(s.handlers, 'runs:start', { sheetId, profileId: 'legacy-b' })).toMatchObject({
        ok: false,
        error: { code: 'profile_busy' },
      });
      await s.engine.settled((runA as { ok: true; value: { runId: string } }).value.runId);
    } finally {
      emu.current.faults.remove(slow);
    }
    const per = new Map<string, number>();
    for (const i of other().invitations)
      if (i.emailAddress.endsWith('@one.test')) per.set(i.emailAddress, (per.get(i.emailAddress) ?? 0) + 1);
    expect(emails.map((e) => per.get(e))).toEqual(emails.map(() => 1));
  });
});
