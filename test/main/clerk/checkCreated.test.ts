/** checkCreated: which requests a create answer proves, matched by email, never by position (issue 20, item 6). */
import { describe, expect, it } from 'vitest';
import { allProven, checkCreated } from '../../../src/main/services/clerk/checkCreated.ts';

const inv = (id: string, email: string, extra: Record<string, unknown> = {}) => ({
  object: 'invitation',
  id,
  email_address: email,
  ...extra,
});
const asked = (...emails: string[]) => emails.map((emailAddress) => ({ emailAddress }));
const app = (body: unknown, requests: { emailAddress: string }[], bulk = true) =>
  checkCreated(body, requests, { kind: 'invitation', bulk, map: (x) => (x as { id: string }).id });
const summary = (a: ReturnType<typeof app>) => ({
  created: a.created.map((c) => [c.index, c.invitation]),
  unknown: a.unknown.map((u) => u.index),
});

describe('checkCreated', () => {
  it('matches a bulk answer by email, whatever its order and letter case', () => {
    const a = app([inv('inv_B', 'B@x.test'), inv('inv_A', 'a@x.test')], asked('a@x.test', 'b@X.test'));
    expect(summary(a)).toEqual({
      created: [
        [0, 'inv_A'],
        [1, 'inv_B'],
      ],
      unknown: [],
    });
  });

  it('proves nothing with an id not of Clerk’s shape, an object of another kind, or another organization', () => {
    expect(summary(app(inv('', 'a@x.test'), asked('a@x.test'), false)).unknown).toEqual([0]);
    expect(summary(app(inv('inv_../x', 'a@x.test'), asked('a@x.test'), false)).unknown).toEqual([0]);
    expect(summary(app({ ...inv('inv_A', 'a@x.test'), object: 'waitlist_entry' }, asked('a@x.test'), false)).unknown).toEqual([0]);
    const org = checkCreated(
      { object: 'organization_invitation', id: 'orginv_A', email_address: 'a@x.test', organization_id: 'org_other' },
      asked('a@x.test'),
      { kind: 'organization_invitation', bulk: false, organizationId: 'org_mine', map: (x) => x },
    );
    expect(org.unknown[0]?.reason).toMatch(/another organization/);
  });

  it('an email answered twice, asked twice, or one id for two emails: those requests are unknown', () => {
    expect(
      summary(app([inv('inv_A', 'a@x.test'), inv('inv_C', 'a@x.test'), inv('inv_B', 'b@x.test')], asked('a@x.test', 'b@x.test'))),
    ).toEqual({
      created: [[1, 'inv_B']],
      unknown: [0],
    });
    expect(summary(app([inv('inv_A', 'a@x.test')], asked('a@x.test', 'A@x.test'))).unknown).toEqual([0, 1]);
    expect(summary(app([inv('inv_A', 'a@x.test'), inv('inv_A', 'b@x.test')], asked('a@x.test', 'b@x.test'))).unknown).toEqual([0, 1]);
  });

  it('elements for emails nobody asked prove nothing, and take nothing from the others', () => {
    const a = app([inv('inv_Z', 'z@x.test'), inv('inv_A', 'a@x.test')], asked('a@x.test', 'b@x.test'));
    expect(summary(a)).toEqual({ created: [[0, 'inv_A']], unknown: [1] });
  });

  it('allProven: all in request order, or an unknown outcome naming how many and why', () => {
    expect(allProven(app([inv('inv_B', 'b@x.test'), inv('inv_A', 'a@x.test')], asked('a@x.test', 'b@x.test')), 2)).toEqual([
      'inv_A',
      'inv_B',
    ]);
    expect(() => allProven(app({}, asked('a@x.test', 'b@x.test')), 2)).toThrow(/does not show 2 of 2 invitations.*outcome unknown/);
  });
});
