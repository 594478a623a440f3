import { describe, expect, it } from 'vitest';
import { detectHeaderRow } from '../../../src/shared/domain/import/header.ts';
import { checkEmail } from '../../../src/shared/domain/email.ts';
import { addressInside } from '../../../src/shared/domain/sheet/emailColumn.ts';
import { mappingNotes, suggestColumns } from '../../../src/shared/domain/sheet/mapping.ts';

describe('mapping never drops data silently (issue 12)', () => {
  it('suggests a column of JSON objects as metadata, by its header or by its content', () => {
    expect(suggestColumns(['email', 'metadata']).map((c) => c.target)).toEqual([
      { kind: 'field', field: 'email' },
      { kind: 'field', field: 'public_metadata' },
    ]);
    const rows = [
      ['a@x.io', '{"team":"ops"}', 'Ana'],
      ['b@x.io', '', 'Bo'],
      ['c@x.io', '{"team":"eng","seat":2}', 'Cy'],
    ];
    expect(
      suggestColumns(['email', 'attributes', 'name'], undefined, rows).map((c) => c.target.kind === 'field' && c.target.field),
    ).toEqual(['email', 'public_metadata', false]);
    // Not every filled cell an object: not metadata.
    expect(
      suggestColumns(['email', 'x'], undefined, [
        ['a@x.io', '{"a":1}'],
        ['b@x.io', 'plain'],
      ])[1]!.target,
    ).toEqual({ kind: 'ignore' });
  });

  it('lists every non-empty column that will not be sent, and leaves empty ones out', () => {
    const columns = suggestColumns(['email', 'Full name', 'Phone', 'Empty']);
    const notes = mappingNotes(
      columns,
      [
        ['a@x.io', 'Ana', '', ''],
        ['b@x.io', 'Bo', '555', ''],
      ],
      'org',
    );
    expect(notes.map((n) => n.message)).toEqual([
      '“Full name” is not sent (2 of 2 rows have a value): map it to a field or a metadata key to keep it',
      '“Phone” is not sent (1 of 2 rows have a value): map it to a field or a metadata key to keep it',
    ]);
  });

  it('flags a Role column and private.* columns in an application sheet, before the sheet exists', () => {
    const columns = suggestColumns(['email', 'Role', 'private.seat']);
    const rows = [['a@x.io', 'org:admin', '3']];
    expect(mappingNotes(columns, rows, 'app')).toEqual([
      {
        col: 1,
        level: 'warning',
        message: expect.stringMatching(/^“Role” is mapped to Role, but application invitations have no role: it will not be sent/),
      },
      {
        col: 2,
        level: 'error',
        message: expect.stringMatching(/^“private\.seat” is private metadata, which application invitations do not have/),
      },
    ]);
    expect(mappingNotes(columns, rows, 'org')).toEqual([]);
  });
});

describe('header row detection', () => {
  it('finds the header under a preamble, and knows a file that starts with emails has none', () => {
    expect(detectHeaderRow([['Staff export'], ['Generated 2026-12-01'], ['Name', 'E-mail'], ['Ana', 'a@x.io']])).toBe(2);
    expect(detectHeaderRow([['Report'], ['Name', 'Contact'], ['Ana', 'a@x.io']])).toBe(1);
    expect(
      detectHeaderRow([
        ['a@x.io', 'Ana'],
        ['b@x.io', 'Bo'],
      ]),
    ).toBe(-1);
    expect(
      detectHeaderRow([
        ['x', 'y'],
        ['1', '2'],
      ]),
    ).toBe(0);
  });
});

describe('the Email column is judged by its values (issue 21 #1)', () => {
  const google = [
    ['Name', 'E-mail 1 - Type', 'E-mail 1 - Value'],
    ['Ana Lima', '* Work', 'ana@acme.test'],
    ['Cy Chen', '', ''],
    ['Ed Email', '* Work', 'ed@acme.test'],
  ];

  it("takes the column of addresses over a header that only mentions email (Google's “E-mail 1 - Type”)", () => {
    const columns = suggestColumns(google[0]!, undefined, google.slice(1));
    expect(columns.map((c) => c.target.kind === 'field' && c.target.field)).toEqual([false, false, 'email']);
    // Exactly "Email" keeps Email while it holds most addresses, even beside a fuller column of them.
    expect(
      suggestColumns(['Email', 'Manager email'], undefined, [
        ['a@x.io', 'm@x.io'],
        ['', 'm@x.io'],
        ['c@x.io', 'm@x.io'],
      ]).map((c) => c.target.kind),
    ).toEqual(['field', 'ignore']);
    // Pasted cells without a header: the column of addresses, wherever it is.
    expect(suggestColumns(['Column 1', 'Column 2'], undefined, [['Ana', 'a@x.io']])[1]!.target).toEqual({ kind: 'field', field: 'email' });
  });

  it('says so, naming the right column, when the Email column holds no address', () => {
    const columns = suggestColumns(google[0]!, undefined, google.slice(1)).map((c, i) => ({
      ...c,
      target: i === 1 ? ({ kind: 'field', field: 'email' } as const) : ({ kind: 'ignore' } as const),
    }));
    expect(mappingNotes(columns, google.slice(1), 'app')[0]).toEqual({
      col: 1,
      level: 'error',
      message:
        '“E-mail 1 - Type” is mapped to Email, but none of its values is an address (“* Work”): “E-mail 1 - Value” holds the addresses',
    });
  });

  it('never takes a row with an address for the header (a contact whose surname is “Email”)', () => {
    expect(detectHeaderRow([...google.slice(1), ['Ed', 'Email', 'ed@acme.test']])).toBe(-1);
    expect(detectHeaderRow([google[0]!, ['Bo', 'x', ''], ['Di', 'Email', 'di@acme.test']])).toBe(0);
  });

  it('offers the address inside "Name" <address> cells, and the validator names it', () => {
    expect(addressInside('"Ana Lima" <ana@acme.test>')).toBe('ana@acme.test');
    expect(addressInside('Bo Berg <bo@acme.test>')).toBe('bo@acme.test');
    expect(addressInside('ana@acme.test')).toBeNull();
    expect(checkEmail('"Ana Lima" <ana@acme.test>')).toMatchObject({ ok: false, reason: expect.stringMatching(/use ana@acme\.test$/) });
  });
});
