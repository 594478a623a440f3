/** Ids are checked against Clerk's shapes at the IPC boundary, in the sheet, and encoded in every path. */
import { describe, expect, it } from 'vitest';
import { createClerkClient } from '../../src/main/services/clerk/client.ts';
import { ClerkTransportError } from '../../src/main/services/clerk/errors.ts';
import { idProblem } from '../../src/shared/domain/ids.ts';
import { defaultSettings, type SheetDoc } from '../../src/shared/domain/sheet/types.ts';
import { validateSheet } from '../../src/shared/domain/sheet/validate.ts';
import { parseArgs } from '../../src/shared/ipc/parse.ts';

const LONE = 'org_\uD800x';

describe('Clerk ids', () => {
  it('the IPC boundary refuses ids not of Clerk’s shape, saying which and what they look like', () => {
    for (const bad of ['..', '.', 'org_../x', LONE, 'acme', 'org_a/b'])
      expect(parseArgs('orgs:roles', { profileId: 'p1', organizationId: bad })).toMatchObject({
        ok: false,
        failure: { field: 'organizationId', message: expect.stringMatching(/is not a Clerk organization id \(they look like org_/) },
      });
    expect(parseArgs('orgs:roles', { profileId: 'p1', organizationId: 'org_2abcDEF' }).ok).toBe(true);
    expect(idProblem('invitation', 'inv_2x')).toBeNull();
    expect(idProblem('organizationInvitation', 'inv_2x')).toMatch(/organization invitation id/);
  });

  it('an organization send with an id of `..` never becomes POST /v1/invitations; a lone surrogate is no “URI malformed”', async () => {
    const calls: string[] = [];
    const client = createClerkClient({
      baseUrl: 'http://127.0.0.1:9/v1',
      secretKey: 'sk_test_x',
      fetch: async (input) => {
        calls.push(String(input));
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    for (const bad of ['..', '.', LONE]) {
      const e = await client.createOrganizationInvitation(bad, { emailAddress: 'a@b.co', role: 'org:member' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ClerkTransportError);
      expect((e as ClerkTransportError).kind).toBe('bad_request');
      expect((e as Error).message).not.toMatch(/URI malformed/);
    }
    await expect(client.revokeInvitation('..')).rejects.toThrow(/not a valid id/);
    expect(calls).toEqual([]);
    // The stand-in answers `{}`: an unknown outcome, which the checked form returns rather than throws.
    await client.createOrganizationInvitationChecked('org_2a b', { emailAddress: 'a@b.co', role: 'org:member' });
    expect(calls).toEqual(['http://127.0.0.1:9/v1/organizations/org_2a%20b/invitations']);
  });

  it('a sheet whose organization id is `..` has a problem on every row, so nothing is sent', () => {
    const doc = {
      id: 's1',
      name: 'x',
      settings: { ...defaultSettings('org'), organizationId: '..', role: 'org:member' },
      columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: [['a@b.co']],
    } as unknown as SheetDoc;
    const v = validateSheet(doc);
    expect(v.validCount).toBe(0);
    expect(JSON.stringify(v.rows[0])).toMatch(/is not a Clerk organization id/);
  });
});
