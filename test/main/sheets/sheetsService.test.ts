import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const services = () => {
  const s = makeServices(createMemorySecretStore());
  open.push(s);
  return s;
};
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];
const value = <T>(r: { ok: boolean }) => (r as { ok: true; value: T }).value;

describe('sheets over IPC', () => {
  it('creates, lists, autosaves, renames, duplicates, deletes and restores a sheet', async () => {
    const s = services();
    const created = value<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Q3 hires',
        settings: defaultSettings(),
        columns,
        rows: [['a@x.io'], ['b@x.io']],
      }),
    );
    await dispatch(s.handlers, 'sheets:save', { id: created.id, rows: [['a@x.io'], ['b@x.io'], ['c@x.io']], name: 'Q3 hires (final)' });
    const doc = value<{ rows: string[][]; name: string }>(await dispatch(s.handlers, 'sheets:get', { id: created.id }));
    expect(doc).toMatchObject({ name: 'Q3 hires (final)', rows: [['a@x.io'], ['b@x.io'], ['c@x.io']] });
    const copy = value<{ id: string; name: string; rowCount: number }>(await dispatch(s.handlers, 'sheets:duplicate', { id: created.id }));
    expect(copy).toMatchObject({ name: 'Q3 hires (final) (copy)', rowCount: 3 });
    await dispatch(s.handlers, 'sheets:delete', { id: created.id });
    expect(value<{ id: string }[]>(await dispatch(s.handlers, 'sheets:list', undefined)).map((x) => x.id)).toEqual([copy.id]);
    expect(await dispatch(s.handlers, 'sheets:save', { id: created.id, rows: [] })).toMatchObject({
      ok: false,
      error: { code: 'sheet_not_found' },
    });
    await dispatch(s.handlers, 'sheets:restore', { id: created.id });
    expect(value<unknown[]>(await dispatch(s.handlers, 'sheets:list', undefined))).toHaveLength(2);
    expect(s.events.filter((e) => e.event === 'sheets:changed').length).toBeGreaterThanOrEqual(5);
  });

  it('autosaves row patches (what an edit changed), survives a reopen, and refuses a patch that does not fit', async () => {
    const s = services();
    const rows = Array.from({ length: 1000 }, (_, i) => [`u${i}@x.io`]);
    const { id } = value<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', { name: 'Big', settings: defaultSettings(), columns, rows }),
    );
    const listEvents = () => s.events.filter((e) => e.event === 'sheets:changed').length;
    const before = listEvents();
    expect(await dispatch(s.handlers, 'sheets:save', { id, patches: [{ t: 'set', index: 10, row: ['ten@x.io'] }] })).toMatchObject({
      ok: true,
      value: { rowCount: 1000 },
    });
    expect(listEvents()).toBe(before); // a cell edit does not resend the sheet list
    await dispatch(s.handlers, 'sheets:save', {
      id,
      patches: [
        { t: 'insert', index: 0, rows: [['first@x.io']] },
        { t: 'delete', indexes: [1000] },
      ],
    });
    await dispatch(s.handlers, 'sheets:save', { id, patches: [{ t: 'set', index: 0, row: ['First@x.io'] }] });
    const doc = value<{ rows: string[][] }>(await dispatch(s.handlers, 'sheets:get', { id }));
    expect(doc.rows).toHaveLength(1000);
    expect(doc.rows.slice(0, 2)).toEqual([['First@x.io'], ['u0@x.io']]);
    expect(doc.rows[11]).toEqual(['ten@x.io']);
    expect(doc.rows.at(-1)).toEqual(['u998@x.io']);
    // Reopening (after the compaction the first open did) reads the same rows.
    expect(value<{ rows: string[][] }>(await dispatch(s.handlers, 'sheets:get', { id })).rows).toEqual(doc.rows);
    expect(value<{ rowCount: number }[]>(await dispatch(s.handlers, 'sheets:list', undefined))[0]).toMatchObject({ rowCount: 1000 });

    const misfit = await dispatch(s.handlers, 'sheets:save', { id, patches: [{ t: 'set', index: 1000, row: ['x'] }] });
    expect(misfit).toMatchObject({ ok: false, error: { code: 'sheet_conflict', message: expect.stringContaining('row 1001') } });
    const malformed = await dispatch(s.handlers, 'sheets:save', { id, patches: [{ t: 'set', index: -1, row: ['x'] }] });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_argument', field: 'patches' } });
    expect(value<{ rows: string[][] }>(await dispatch(s.handlers, 'sheets:get', { id })).rows).toEqual(doc.rows);
  });

  it('refuses malformed rows and columns before they reach the database', async () => {
    const s = services();
    const bad = await dispatch(s.handlers, 'sheets:create', { name: 'x', settings: defaultSettings(), columns, rows: [['ok', 42]] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument', field: 'rows' } });
    const badTarget = await dispatch(s.handlers, 'sheets:create', {
      name: 'x',
      settings: defaultSettings(),
      columns: [{ id: 'c', header: 'h', target: { kind: 'field', field: 'password' } }],
      rows: [],
    });
    expect(badTarget).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('remembers a column mapping per header set, whatever the order or case', async () => {
    const s = services();
    expect(value(await dispatch(s.handlers, 'mappings:get', { headers: ['Email', 'Team'] }))).toBeNull();
    await dispatch(s.handlers, 'mappings:save', { headers: ['Email', 'Team'], columns });
    expect(value(await dispatch(s.handlers, 'mappings:get', { headers: ['team', 'EMAIL'] }))).toEqual(columns);
  });
});

describe('organizations and roles for sheet settings', () => {
  it("lists the Sandbox's organizations and the roles of an org's role set", async () => {
    const s = services();
    const orgs = value<{ id: string; name: string; roleSetKey: string }[]>(
      await dispatch(s.handlers, 'orgs:list', { profileId: 'sandbox' }),
    );
    expect(orgs.map((o) => o.name).sort()).toEqual(['Acme Corp', 'Globex Support', 'Tiny Startup']);
    const globex = orgs.find((o) => o.name === 'Globex Support')!;
    const roles = value<{ roles: { key: string }[]; defaultRole: string }>(
      await dispatch(s.handlers, 'orgs:roles', { profileId: 'sandbox', organizationId: globex.id }),
    );
    expect(roles).toEqual({
      roles: [
        { key: 'org:admin', name: 'Admin' },
        { key: 'org:member', name: 'Member' },
        { key: 'org:viewer', name: 'Viewer' },
      ],
      defaultRole: 'org:viewer',
    });
    expect(await dispatch(s.handlers, 'orgs:roles', { profileId: 'sandbox', organizationId: 'org_missing' })).toMatchObject({
      ok: false,
      error: { code: 'resource_not_found' },
    });
  });
});
