/**
 * Two computers on one team database: a profile made on A is seen on B without its key, B enters its own (checked
 * against the profile's instance; a key of another instance is refused), and a sheet saved over a teammate's newer
 * save is refused with who and when instead of losing either side's edits.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { Failure } from '../../../src/main/services/failure.ts';
import { createProfilesService } from '../../../src/main/services/profiles/profilesService.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { createSheetsService } from '../../../src/main/services/sheets/sheetsService.ts';
import { pgAppStores } from '../../../src/main/services/team/pgAppStores.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import type { PgPool } from '../../../src/main/services/team/pgTypes.ts';
import { fingerprint, type ProfilesState } from '../../../src/shared/domain/profile.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }, { environment: 'development' }] });
const nth = (i: number) => [...emu.current.instances.values()][i]!;
const [acme, other] = [() => nth(0), () => nth(1)];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function teamPool(): Promise<PgPool> {
  const pool = await freshPgPool(6);
  cleanups.push(() => pool.end());
  await migratePg(pool);
  return pool;
}

/**
 * One member's app on the team database: its own keychain, the shared stores, a clock that moves. `lookedTooEarly`:
 * its look for an existing profile of the instance ran before a teammate's add committed (the race, made certain).
 */
function computer(pool: PgPool, member: string, o: { lookedTooEarly?: boolean } = {}) {
  const secrets = createMemorySecretStore();
  const stores = pgAppStores(pool, { member });
  if (o.lookedTooEarly) stores.profiles = { ...stores.profiles, findByInstance: async () => null };
  const states: ProfilesState[] = [];
  let t = Date.parse('2026-12-05T14:02:00Z');
  const now = () => (t += 1000);
  const profiles = createProfilesService({
    store: stores.profiles,
    secrets,
    clerk: (baseUrl, secretKey) => createClerkClient({ baseUrl, secretKey }),
    sandbox: {
      get: async () => ({ apiUrl: emu.current.apiUrl, secretKey: 'sk_test_sandboxsandbox', instanceId: 'ins_sandbox' }),
      peekUrl: () => null,
      close: async () => {},
    },
    now,
    newId: () => randomUUID(),
    onChange: (s) => states.push(s),
  });
  const sheets = createSheetsService({ store: stores.sheets, now, newId: () => randomUUID(), onChange: () => {} });
  return { secrets, profiles, sheets, states };
}

const failure = (e: unknown) => {
  expect(e).toBeInstanceOf(Failure);
  return e as Failure;
};

describe('a team workspace shared by two computers', () => {
  it('a profile made on A shows on B as needing its key; B enters its own, and each keeps its own fingerprint', async () => {
    const pool = await teamPool();
    const a = computer(pool, 'ann on laptop-a');
    const b = computer(pool, 'bob on laptop-b');
    const made = await a.profiles.add({ name: 'Acme dev', secretKey: acme().secretKey, baseUrl: emu.current.apiUrl });

    const seen = (await b.profiles.state()).profiles.find((p) => p.id === made.id);
    expect(seen).toMatchObject({ name: 'Acme dev', instanceId: acme().id, keyMissing: true, fingerprint: '' });
    expect((await a.profiles.state()).profiles.find((p) => p.id === made.id)).not.toHaveProperty('keyMissing');
    expect(b.secrets.entries.size).toBe(0); // nothing of A's key reached B

    const missing = failure(await b.profiles.secretFor(made.id).catch((e: unknown) => e));
    expect(missing.code).toBe('key_missing');
    expect(missing.message).toMatch(/“Acme dev” is shared by your team, but its key is not on this computer yet/);
    expect(missing.message).toContain(acme().id);
    expect(await b.profiles.check(made.id)).toMatchObject({ keychain: 'missing', api: 'not_checked' });

    const entered = await b.profiles.replaceKey(made.id, acme().secretKey);
    expect(entered).toMatchObject({ fingerprint: fingerprint(acme().secretKey) });
    expect(entered).not.toHaveProperty('keyMissing');
    expect(await b.profiles.secretFor(made.id)).toMatchObject({ secretKey: acme().secretKey, profile: { id: made.id } });
    expect(await b.profiles.check(made.id)).toMatchObject({ keychain: 'ok', api: 'ok' });
    expect(b.states.at(-1)?.profiles.find((p) => p.id === made.id)).not.toHaveProperty('keyMissing');
  });

  it("B's key of another instance is refused, naming both instances, and nothing is kept", async () => {
    const pool = await teamPool();
    const a = computer(pool, 'ann on laptop-a');
    const b = computer(pool, 'bob on laptop-b');
    const made = await a.profiles.add({ name: 'Acme dev', secretKey: acme().secretKey, baseUrl: emu.current.apiUrl });
    const refused = failure(await b.profiles.replaceKey(made.id, other().secretKey).catch((e: unknown) => e));
    expect(refused.code).toBe('instance_mismatch');
    expect(refused.message).toContain(other().id);
    expect(refused.message).toContain(acme().id);
    expect(b.secrets.entries.size).toBe(0);
    expect((await b.profiles.state()).profiles.find((p) => p.id === made.id)).toMatchObject({ keyMissing: true });
    // Adding the shared instance again instead says where to enter the key.
    const again = failure(
      await b.profiles.add({ name: 'Acme', secretKey: acme().secretKey, baseUrl: emu.current.apiUrl }).catch((e: unknown) => e),
    );
    expect(again.code).toBe('profile_exists');
    expect(again.message).toBe(
      `Your team shares this instance (${acme().id}) as “Acme dev”: enter your key on its card (Enter key) instead of adding it again.`,
    );
    expect(b.secrets.entries.size).toBe(0);
    // A's own key is untouched.
    expect(await a.profiles.secretFor(made.id)).toMatchObject({ secretKey: acme().secretKey });
  });

  it('one profile per instance for the team: B adding it as A does is told to use the shared one, and keeps no key', async () => {
    const pool = await teamPool();
    const a = computer(pool, 'ann on laptop-a');
    const b = computer(pool, 'bob on laptop-b', { lookedTooEarly: true });
    await a.profiles.add({ name: 'Acme (Ann)', secretKey: acme().secretKey, baseUrl: emu.current.apiUrl });
    const lost = failure(
      await b.profiles.add({ name: 'Acme (Bob)', secretKey: acme().secretKey, baseUrl: emu.current.apiUrl }).catch((e: unknown) => e),
    );
    expect(lost.code).toBe('profile_exists');
    expect(lost.message).toMatch(/“Acme \(Ann\)” already uses this instance .*Use that profile and enter your key for it\./);
    expect(b.secrets.entries.size).toBe(0); // no orphaned key on the computer that lost
    expect((await b.profiles.state()).profiles.filter((p) => !p.isSandbox).map((p) => p.name)).toEqual(['Acme (Ann)']);
  });

  it("each member's active profile is their own", async () => {
    const pool = await teamPool();
    const a = computer(pool, 'ann on laptop-a');
    const b = computer(pool, 'bob on laptop-b');
    const made = await a.profiles.add({ name: 'Acme dev', secretKey: acme().secretKey, baseUrl: emu.current.apiUrl, activate: true });
    await b.profiles.select('sandbox');
    expect((await a.profiles.state()).activeId).toBe(made.id);
    expect((await b.profiles.state()).activeId).toBe('sandbox');
  });

  it("a save over a teammate's newer save is refused with who and when; reloaded, it saves; both edits are kept", async () => {
    const pool = await teamPool();
    const a = computer(pool, 'ann on laptop-a');
    const b = computer(pool, 'bob on laptop-b');
    const created = await a.sheets.create({
      name: 'Q3 hires',
      settings: defaultSettings(),
      columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: [['a@x.io'], ['b@x.io']],
    });
    const onA = await a.sheets.get(created.id);
    const onB = await b.sheets.get(created.id);
    expect(onB.version).toBe(onA.version);
    const annSaved = await a.sheets.save({
      id: created.id,
      baseVersion: onA.version!,
      patches: [{ t: 'set', index: 0, row: ['ann@x.io'] }],
    });
    const stale = failure(
      await b.sheets
        .save({ id: created.id, baseVersion: onB.version!, patches: [{ t: 'set', index: 1, row: ['bob@x.io'] }] })
        .catch((e: unknown) => e),
    );
    expect(stale.code).toBe('sheet_changed');
    expect(stale.message).toMatch(/^ann on laptop-a changed this sheet at \d{1,2}:\d{2}( [AP]M)?; reload it or save yours as a copy\.$/);
    expect(stale.detail).toEqual({ changedBy: 'ann on laptop-a', changedAt: annSaved.updatedAt });
    const reloaded = await b.sheets.get(created.id);
    expect(reloaded.rows).toEqual([['ann@x.io'], ['b@x.io']]);
    await b.sheets.save({ id: created.id, baseVersion: reloaded.version!, patches: [{ t: 'set', index: 1, row: ['bob@x.io'] }] });
    expect((await a.sheets.get(created.id)).rows).toEqual([['ann@x.io'], ['bob@x.io']]);
  });
});

describe('a team database that does not answer', () => {
  it('a sheet save or the profile list fails saying where the database is and what to check, never its password', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://ops:hunter2@127.0.0.1:1/invites', connectionTimeoutMillis: 3000 });
    cleanups.push(() => pool.end());
    const target = { host: '127.0.0.1', port: 1, database: 'invites', user: 'ops', tls: true };
    const stores = pgAppStores(pool, { member: 'ann on laptop-a', target });
    const sheets = createSheetsService({ store: stores.sheets, now: Date.now, newId: () => randomUUID(), onChange: () => {} });
    for (const call of [() => sheets.save({ id: 's1', baseVersion: 1, name: 'x' }), () => stores.profiles.list()]) {
      const e = failure(await call().catch((x: unknown) => x));
      expect(e.code).toBe('team_unreachable');
      expect(e.message).toBe(
        'The team database at ops@127.0.0.1:1/invites (TLS on) does not answer. Check the host and port, your network or VPN, and that the server runs.',
      );
    }
  });
});

describe('this computer (SQLite)', () => {
  it('a save over a newer one is refused over IPC with when, and the newer one stays', async () => {
    const s = makeServices(createMemorySecretStore());
    cleanups.push(() => s.close());
    const created = await dispatch(s.handlers, 'sheets:create', {
      name: 'Local',
      settings: defaultSettings(),
      columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: [['a@x.io']],
    });
    const id = (created as { ok: true; value: { id: string } }).value.id;
    const doc = (await dispatch(s.handlers, 'sheets:get', { id })) as { ok: true; value: { version: number } };
    const first = await dispatch(s.handlers, 'sheets:save', { id, baseVersion: doc.value.version, name: 'First' });
    expect(first).toMatchObject({ ok: true, value: { rowCount: 1, version: expect.any(Number) } });
    expect(await dispatch(s.handlers, 'sheets:save', { id, baseVersion: doc.value.version, name: 'Second' })).toMatchObject({
      ok: false,
      error: { code: 'sheet_changed', message: expect.stringMatching(/changed this sheet at .*; reload it or save yours as a copy\.$/) },
    });
    expect(await dispatch(s.handlers, 'sheets:get', { id })).toMatchObject({ ok: true, value: { name: 'First' } });
  });
});
