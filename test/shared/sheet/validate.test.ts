import { describe, expect, it } from 'vitest';
import { headerSetKey, suggestColumns, suggestTarget } from '../../../src/shared/domain/sheet/mapping.ts';
import { defaultSettings, type SheetColumn, type SheetSettings } from '../../../src/shared/domain/sheet/types.ts';
import { validateSheet } from '../../../src/shared/domain/sheet/validate.ts';
import { typeValue } from '../../../src/shared/domain/sheet/values.ts';

describe('column mapping', () => {
  it.each([
    ['email', { kind: 'field', field: 'email' }],
    ['Email Address', { kind: 'field', field: 'email' }],
    ['e-mail', { kind: 'field', field: 'email' }],
    ['Redirect URL', { kind: 'field', field: 'redirect_url' }],
    ['organization_id', { kind: 'field', field: 'organization_id' }],
    ['Expires in days', { kind: 'field', field: 'expires_in_days' }],
    ['notify', { kind: 'field', field: 'notify' }],
    ['public.team.name', { kind: 'meta', scope: 'public', path: 'team.name', type: 'auto' }],
    ['private.seat', { kind: 'meta', scope: 'private', path: 'seat', type: 'auto' }],
    ['Favourite colour', { kind: 'ignore' }],
  ])('suggests %s → %j', (header, target) => {
    expect(suggestTarget(header)).toEqual(target);
  });

  it('gives a field to the first matching column only, and keys header sets regardless of order and case', () => {
    expect(suggestColumns(['Email', 'e-mail']).map((c) => c.target.kind)).toEqual(['field', 'ignore']);
    expect(headerSetKey(['Email', 'Name'])).toBe(headerSetKey(['name', 'EMAIL']));
  });
});

describe('value types', () => {
  it('types auto values conservatively', () => {
    expect(typeValue('42', 'auto')).toEqual({ ok: true, value: 42 });
    expect(typeValue('007', 'auto')).toEqual({ ok: true, value: '007' });
    expect(typeValue('true', 'auto')).toEqual({ ok: true, value: true });
    expect(typeValue('{"a":1}', 'auto')).toEqual({ ok: true, value: { a: 1 } });
    expect(typeValue('abc', 'number')).toMatchObject({ ok: false });
    expect(typeValue('yes', 'boolean')).toEqual({ ok: true, value: true });
  });
});

const col = (header: string, target: SheetColumn['target']): SheetColumn => ({ id: header, header, target });
const email = col('Email', { kind: 'field', field: 'email' });

function validate(columns: SheetColumn[], rows: string[][], settings: Partial<SheetSettings> = {}) {
  return validateSheet({ columns, rows, settings: { ...defaultSettings(), ...settings } });
}

describe('sheet validation', () => {
  it('normalizes emails, keeps the first of duplicates and marks the rest', () => {
    const v = validate([email], [[' ada@Example.COM '], ['grace@example.com'], ['ADA@example.com'], ['nope']]);
    expect(v.rows[0]).toMatchObject({ ok: true, request: { emailAddress: 'ada@example.com' } });
    expect(v.rows[2]).toMatchObject({ ok: false, duplicateOf: 0 });
    expect(v.cellErrors.get(2)?.get(0)).toBe('Duplicate of row 1: only the first is sent');
    expect(v.cellErrors.get(3)?.get(0)).toMatch(/not a valid email/);
    expect([v.validCount, v.duplicateCount, v.invalidCount]).toEqual([2, 1, 1]);
  });

  it('composes metadata: template, then the JSON cell, then nested key columns; blank cells per the sheet choice', () => {
    const columns = [
      email,
      col('public_metadata', { kind: 'field', field: 'public_metadata' }),
      col('public.team.name', { kind: 'meta', scope: 'public', path: 'team.name', type: 'string' }),
      col('public.seats', { kind: 'meta', scope: 'public', path: 'seats', type: 'number' }),
    ];
    const settings = { templatePublic: '{"source":"invite-desk","team":{"id":1}}' };
    const v = validate(
      columns,
      [
        ['a@x.io', '{"tier":"gold"}', 'Ops', '3'],
        ['b@x.io', '', '', ''],
      ],
      settings,
    );
    expect(v.rows[0]).toMatchObject({
      ok: true,
      request: { publicMetadata: { source: 'invite-desk', tier: 'gold', team: { id: 1, name: 'Ops' }, seats: 3 } },
    });
    expect(v.rows[1]).toMatchObject({ ok: true, request: { publicMetadata: { source: 'invite-desk', team: { id: 1 } } } });
    const nulls = validate(columns, [['b@x.io', '', '', '']], { ...settings, blankCells: 'null' });
    expect(nulls.rows[0]).toMatchObject({ ok: true, request: { publicMetadata: { team: { id: 1, name: null }, seats: null } } });
  });

  it('refuses bad metadata, sizes over 8 KB, bad expiry, bad URLs, bad booleans, each at its cell', () => {
    const columns = [
      email,
      col('meta', { kind: 'field', field: 'public_metadata' }),
      col('exp', { kind: 'field', field: 'expires_in_days' }),
      col('url', { kind: 'field', field: 'redirect_url' }),
      col('notify', { kind: 'field', field: 'notify' }),
    ];
    const v = validate(columns, [
      ['a@x.io', '[1,2]', '', '', ''],
      ['b@x.io', JSON.stringify({ big: 'x'.repeat(8200) }), '', '', ''],
      ['c@x.io', '', '366', '', ''],
      ['d@x.io', '', '', 'not a url', ''],
      ['e@x.io', '', '', '', 'maybe'],
      ['f@x.io', '{"ok":true}', '30', 'https://app.example/welcome', 'no'],
    ]);
    expect(v.cellErrors.get(0)?.get(1)).toMatch(/JSON object/);
    expect(v.cellErrors.get(1)?.get(1)).toMatch(/Public metadata is \d+ bytes; Clerk allows 8192/);
    expect(v.cellErrors.get(2)?.get(2)).toMatch(/1 to 365/);
    expect(v.cellErrors.get(3)?.get(3)).toMatch(/valid http\(s\) URL/);
    expect(v.cellErrors.get(4)?.get(4)).toMatch(/true\/false/);
    expect(v.rows[5]).toMatchObject({
      ok: true,
      request: { expiresInDays: 30, redirectUrl: 'https://app.example/welcome', notify: false },
    });
  });

  it('requires a role and an organization on organization sheets; per-row values win over defaults', () => {
    const columns = [email, col('Role', { kind: 'field', field: 'role' })];
    const none = validate(columns, [['a@x.io', '']], { kind: 'org', organizationId: 'org_1' });
    expect(none.cellErrors.get(0)?.get(1)).toMatch(/Role is required/);
    const v = validate(
      columns,
      [
        ['a@x.io', ''],
        ['b@x.io', 'org:admin'],
      ],
      { kind: 'org', organizationId: 'org_1', role: 'org:member' },
    );
    expect(v.rows.map((r) => r.ok && r.request.role)).toEqual(['org:member', 'org:admin']);
    expect(validate([email], [['a@x.io']], { kind: 'org', role: 'org:member' }).problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/Pick an organization/),
    ]);
  });

  it('ignores blank rows and is fast enough for 100,000 rows', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [`user${i}@example.com`, `{"n":${i}}`]);
    rows.push(['', '']);
    const v = validate([email, col('m', { kind: 'field', field: 'public_metadata' })], rows);
    expect([v.validCount, v.invalidCount, v.duplicateCount]).toEqual([100_000, 0, 0]);
  });
});
