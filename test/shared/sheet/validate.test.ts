import { describe, expect, it } from 'vitest';
import { headerSetKey, suggestColumns, suggestTarget } from '../../../src/shared/domain/sheet/mapping.ts';
import { defaultSettings, type SheetColumn, type SheetSettings } from '../../../src/shared/domain/sheet/types.ts';
import { checkRows, createRowCache, primeCache, validateSheet } from '../../../src/shared/domain/sheet/validate.ts';
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
    expect(none.problems.map((p) => p.message)).toEqual(['Pick a default role in the sheet settings: some rows’ Role cells are blank']);
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

  it('names a setting the whole sheet lacks once, not once per row, and still sends none of its rows (issue 13)', () => {
    // Before: an organization sheet with no organization and no role listed 10,003 problems for 5,001 rows.
    const rows = Array.from({ length: 5001 }, (_, i) => [`user${i}@acme.test`]);
    const v = validate([email], rows, { kind: 'org', organizationId: '', role: '', expiresInDays: '999' });
    expect(v.problems).toEqual([
      { row: -1, col: null, sheet: true, message: expect.stringMatching(/^Expires in days must be a whole number/) },
      { row: -1, col: null, sheet: true, message: expect.stringMatching(/^Pick an organization/) },
      { row: -1, col: null, sheet: true, message: 'Pick a default role in the sheet settings (or map a Role column)' },
    ]);
    // The rows wait for the settings: none has a problem of its own (issue 21 #6).
    expect([v.validCount, v.invalidCount, v.waitingCount]).toEqual([0, 0, 5001]);
    // Each row still knows why it is not sent.
    expect(v.rows[5000]).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/^Pick a default role/) })]),
    });
    // Blank cells in a mapped Role column: one problem of the sheet (set a default role), not one per blank cell.
    const mapped = validate(
      [email, col('Role', { kind: 'field', field: 'role' })],
      [
        ['a@x.io', ''],
        ['b@x.io', 'org:admin'],
      ],
      {
        kind: 'org',
        organizationId: 'org_1',
      },
    );
    expect(mapped.problems).toEqual([
      { row: -1, col: null, sheet: true, message: 'Pick a default role in the sheet settings: some rows’ Role cells are blank' },
    ]);
    expect([mapped.validCount, mapped.waitingCount]).toEqual([1, 1]);
    // No Email column at all: one problem, not one per row.
    expect(validate([col('Name', { kind: 'ignore' })], [['a'], ['b'], ['c']]).problems.map((p) => p.message)).toEqual([
      'No column is mapped to Email',
    ]);
  });

  it('ignores blank rows and is fast enough for 100,000 rows', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [`user${i}@example.com`, `{"n":${i}}`]);
    rows.push(['', '']);
    const v = validate([email, col('m', { kind: 'field', field: 'public_metadata' })], rows);
    expect([v.validCount, v.invalidCount, v.duplicateCount]).toEqual([100_000, 0, 0]);
  });
});

describe('duplicates and metadata limits (issue 12)', () => {
  const meta = col('metadata', { kind: 'field', field: 'public_metadata' });
  const exp = col('exp', { kind: 'field', field: 'expires_in_days' });

  it('counts a duplicate even when the first copy has a problem, and never sends the second', () => {
    const v = validate(
      [email, exp],
      [
        ['ana@example.com', '999'],
        ['ana@example.com', '7'],
        [' ANA@Example.com', '400'],
      ],
    );
    expect([v.validCount, v.invalidCount, v.duplicateCount]).toEqual([0, 1, 2]);
    expect(v.rows[1]).toMatchObject({ ok: false, duplicateOf: 0 });
    expect(v.cellErrors.get(1)?.get(0)).toBe('Duplicate of row 1: only the first is sent');
    // The third copy shows both what makes it a duplicate and its own problem.
    expect(v.rows[2]!.ok === false && v.rows[2]!.problems.map((p) => p.message)).toEqual([
      'Duplicate of row 1: only the first is sent',
      expect.stringMatching(/1 to 365/),
    ]);
  });

  it('gives a JSON cell nested 6,000 deep a cell error instead of throwing for the whole sheet', () => {
    const deep = '{"a":'.repeat(6000) + '1' + '}'.repeat(6000);
    const v = validate(
      [email, meta],
      [
        ['a@x.io', deep],
        ['b@x.io', '{"ok":1}'],
      ],
    );
    expect(v.cellErrors.get(0)?.get(1)).toMatch(/nested more than 32 levels deep/);
    expect(v.rows[1]).toMatchObject({ ok: true });
    const auto = validate(
      [email, col('public.x', { kind: 'meta', scope: 'public', path: 'x', type: 'auto' })],
      [['a@x.io', `[${'['.repeat(5000)}${']'.repeat(5000)}]`]],
    );
    expect(auto.cellErrors.get(0)?.get(1)).toMatch(/nested more than 32 levels/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('reports a %s key instead of dropping it', (k) => {
    const v = validate([email, meta], [['a@x.io', `{"team":{"${k}":{"admin":true}}}`]]);
    expect(v.cellErrors.get(0)?.get(1)).toBe(
      `Metadata key “team.${k}” is not allowed (${k} is reserved in JavaScript and would be lost); rename it`,
    );
    const byColumn = validate(
      [email, col(`public.${k}.x`, { kind: 'meta', scope: 'public', path: `${k}.x`, type: 'auto' })],
      [['a@x.io', '1']],
    );
    expect(byColumn.cellErrors.get(0)?.get(1)).toMatch(/is not allowed/);
    expect(validate([email], [['a@x.io']], { templatePublic: `{"${k}":1}` }).problems[0]?.message).toMatch(
      /Template public metadata: .*not allowed/,
    );
  });

  it('never rounds an integer beyond 2^53: a number column says so, auto keeps the text exactly', () => {
    expect(typeValue('12345678901234567890', 'number')).toEqual({
      ok: false,
      message:
        '12345678901234567890 is beyond 2^53: as a number it would be sent as 12345678901234567000. Use type string to keep it exact',
    });
    expect(typeValue('12345678901234567890', 'auto')).toEqual({ ok: true, value: '12345678901234567890' });
    expect(typeValue('9007199254740991', 'number')).toEqual({ ok: true, value: 9007199254740991 });
  });

  it('quotes at most a short excerpt of a huge cell in its problem', () => {
    const v = validate([email, exp], [['a@x.io', 'x'.repeat(20_000)]]);
    expect(v.cellErrors.get(0)?.get(1)!.length).toBeLessThan(200);
  });
});

describe('the window keeps no requests (issue 14): a ready row builds its request when read', () => {
  it('gives the same requests, problems and counts as validation that keeps them', () => {
    const columns: SheetColumn[] = [
      { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
      { id: 'c1', header: 'public_metadata', target: { kind: 'field', field: 'public_metadata' } },
      { id: 'c2', header: 'team', target: { kind: 'meta', scope: 'public', path: 'team.name', type: 'auto' } },
      { id: 'c3', header: 'Expires', target: { kind: 'field', field: 'expires_in_days' } },
    ];
    const rows = [
      ['a@x.io', '{"seat":1}', 'Ops', '7'],
      ['not-an-email', '', '', ''],
      ['b@x.io', '{"team":"flat"}', 'Ops', ''],
      ['a@x.io', '', '', '400'],
      ['c@x.io', '', '', ''],
    ];
    const sheet = { columns, rows, settings: { ...defaultSettings(), templatePublic: '{"source":"import"}' } };
    const kept = validateSheet(sheet);
    const lazy = validateSheet(sheet, undefined, { requests: 'lazy' });
    expect(lazy.problems).toEqual(kept.problems);
    expect([lazy.validCount, lazy.invalidCount, lazy.duplicateCount]).toEqual([kept.validCount, kept.invalidCount, kept.duplicateCount]);
    expect(lazy.rows.map((o) => o.ok)).toEqual(kept.rows.map((o) => o.ok));
    const requests = (v: typeof kept) => v.rows.map((o) => (o.ok ? o.request : null));
    expect(requests(lazy)).toEqual(requests(kept));
    expect(requests(lazy)[0]).toEqual({
      emailAddress: 'a@x.io',
      publicMetadata: { source: 'import', seat: 1, team: { name: 'Ops' } },
      privateMetadata: {},
      notify: true,
      ignoreExisting: false,
      expiresInDays: 7,
    });
  });

  it('adds up rows checked in two parts (the import worker and the window) exactly as checking them all at once', () => {
    const columns: SheetColumn[] = [
      { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
      { id: 'c1', header: 'seat', target: { kind: 'meta', scope: 'public', path: 'seat', type: 'number' } },
    ];
    const rows = Array.from({ length: 40 }, (_, i) => [i % 9 === 0 ? 'bad' : `u${i % 30}@x.io`, i % 7 === 0 ? 'many' : String(i)]);
    rows[5] = ['', ''];
    const sheet = { columns, rows, settings: defaultSettings() };
    const whole = validateSheet(sheet, undefined, { requests: 'lazy' });
    const cache = createRowCache();
    // Parts checked from copies of the settings (the worker gets a structured clone), primed with the window's.
    const other = { ...sheet, settings: structuredClone(sheet.settings), columns: structuredClone(columns) };
    primeCache(sheet, cache, [structuredClone(checkRows(other, 0, 17)), checkRows(sheet, 17, 40)]);
    const fromWorker = cache.outcomes[1];
    const primed = validateSheet(sheet, cache, { requests: 'lazy' });
    // Taken from the parts, not checked again.
    expect(fromWorker).toBeDefined();
    expect(primed.rows[1]).toBe(fromWorker);
    expect(primed.problems).toEqual(whole.problems);
    expect(primed.rows.map((o) => (o.ok ? o.request : o))).toEqual(whole.rows.map((o) => (o.ok ? o.request : o)));
    expect([primed.validCount, primed.invalidCount, primed.duplicateCount]).toEqual([
      whole.validCount,
      whole.invalidCount,
      whole.duplicateCount,
    ]);
    expect(whole.duplicateCount).toBeGreaterThan(0);
    expect(whole.invalidCount).toBeGreaterThan(0);
  });
});
