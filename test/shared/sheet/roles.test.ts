import { describe, expect, it } from 'vitest';
import { checkRoles } from '../../../src/shared/domain/sheet/roles.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { validateSheet } from '../../../src/shared/domain/sheet/validate.ts';

const columns: SheetColumn[] = [
  { id: 'e', header: 'email', target: { kind: 'field', field: 'email' } },
  { id: 'r', header: 'Role', target: { kind: 'field', field: 'role' } },
];
const settings = { ...defaultSettings('org'), organizationId: 'org_1', organizationName: 'Globex Support', role: 'org:viewer' };
const roles = ['org:admin', 'org:member', 'org:viewer'];

describe('row roles against the organization’s role set (issue 21 #3)', () => {
  it('makes a role the set lacks that row’s problem, at its cell; the default role and known ones stay ready', () => {
    const sheet = {
      columns,
      settings,
      rows: [
        ['a@x.io', 'org:member'],
        ['b@x.io', 'admin'],
        ['c@x.io', ''],
        ['d@x.io', 'org:billing'],
      ],
    };
    const before = validateSheet(sheet);
    expect(before.validCount).toBe(4); // before: “✓ Ready”, then role_not_found in the run
    const v = checkRoles(before, sheet, roles);
    expect([v.validCount, v.invalidCount]).toEqual([2, 2]);
    expect(v.problems).toEqual([
      {
        row: 1,
        col: 1,
        message: 'Role “admin” is not one of Globex Support’s roles (org:admin, org:member, org:viewer): Clerk would refuse it',
      },
      { row: 3, col: 1, message: expect.stringMatching(/^Role “org:billing” is not one of Globex Support’s roles/) },
    ]);
    expect(v.cellErrors.get(1)?.get(1)).toMatch(/^Role “admin”/);
  });

  it('names a default role the set lacks once, as the sheet’s problem; unknown role sets check nothing', () => {
    const sheet = { columns: [columns[0]!], settings: { ...settings, role: 'org:owner' }, rows: [['a@x.io'], ['b@x.io']] };
    const v = checkRoles(validateSheet(sheet), sheet, roles);
    expect(v.problems).toEqual([{ row: -1, col: null, sheet: true, message: expect.stringMatching(/^Default role: Role “org:owner”/) }]);
    expect([v.validCount, v.waitingCount]).toEqual([0, 2]);
    expect(checkRoles(validateSheet(sheet), sheet, null).validCount).toBe(2);
  });
});
