/**
 * A 200 is evidence, not truth (issue 20, item 6): every 2xx answer to an invitation create is checked against the
 * request, against the emulator answering `{}`, `null`, `[]`, another email's body or a repeated bulk element.
 */
import { describe, expect, it } from 'vitest';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkTransportError } from '../../../src/main/services/clerk/errors.ts';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import type { BadOk } from '../../../src/main/emulator/faults.ts';
import { useEmulator } from '../../helpers/emulator.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const client = () => createClerkClient({ baseUrl: emu.current.apiUrl, secretKey: emu.current.instance.secretKey });
const once = (f: Omit<BadOk, 'kind'> & { path: string | RegExp }) => emu.current.faults.inject({ kind: 'bad_ok', times: 1, ...f } as BadOk);
const appIds = (email: string) =>
  emu.current.instance.invitations.filter((x) => x.emailAddress.toLowerCase() === email.toLowerCase()).map((x) => x.id);
const orgIds = (email: string) => emu.current.instance.orgInvitations.filter((x) => x.emailAddress === email).map((x) => x.id);

let orgSeq = 0;
function org() {
  const i = emu.current.instance;
  const admin = addUser(i, { emailAddress: `boss${++orgSeq}@answers.test` });
  return addOrg(i, { name: `Answers ${orgSeq}`, admins: [admin.id], maxAllowedMemberships: 100 }, Date.now()).id;
}

/** The unknown outcome a strict create throws: never an invitation with an empty or borrowed id. */
async function unknownOutcome(p: Promise<unknown>) {
  const e = await p.then(
    (v) => v,
    (x: unknown) => x,
  );
  expect(e, `resolved with ${JSON.stringify(e)}`).toBeInstanceOf(ClerkTransportError);
  expect(e).toMatchObject({ kind: 'bad_response' });
  expect((e as Error).message).toMatch(/outcome unknown/);
}

describe('a create answered 200 with nothing created', () => {
  it('`{}` for a single app invitation: an unknown outcome, and Clerk has none', async () => {
    once({ body: 'empty_object', commit: false, path: '/invitations' });
    await unknownOutcome(client().createInvitation({ emailAddress: 'none@answers.test', notify: false }));
    expect(appIds('none@answers.test')).toEqual([]);
  });

  it('`{}` for a bulk call: every request unknown, each by its index', async () => {
    once({ body: 'empty_object', commit: false, path: '/invitations/bulk' });
    const answer = await client().createInvitationsBulkChecked([{ emailAddress: 'n1@answers.test' }, { emailAddress: 'n2@answers.test' }]);
    expect(answer.created).toEqual([]);
    expect(answer.unknown.map((u) => u.index)).toEqual([0, 1]);
  });
});

describe('a create that committed, answered with a body that does not show it', () => {
  for (const body of ['empty_object', 'null', 'empty_array'] as const) {
    it(`${body}: app single, app bulk, org single and org bulk are unknown outcomes (no empty id)`, async () => {
      const e = (n: string) => `${body}-${n}@answers.test`;
      once({ body, commit: true, path: '/invitations' });
      await unknownOutcome(client().createInvitation({ emailAddress: e('s'), notify: false }));
      once({ body, commit: true, path: '/invitations/bulk' });
      await unknownOutcome(client().createInvitationsBulk([{ emailAddress: e('b1') }, { emailAddress: e('b2') }]));
      const o = org();
      once({ body, commit: true, path: /organizations\/[^/]+\/invitations$/ });
      await unknownOutcome(client().createOrganizationInvitation(o, { emailAddress: e('os'), role: 'org:member' }));
      once({ body, commit: true, path: /organizations\/[^/]+\/invitations\/bulk$/ });
      await unknownOutcome(client().createOrganizationInvitationsBulk(o, [{ emailAddress: e('ob'), role: 'org:member' }]));
      // Clerk did create them: the lookup path will find them.
      expect([e('s'), e('b1'), e('b2')].map((x) => appIds(x).length)).toEqual([1, 1, 1]);
      expect([e('os'), e('ob')].map((x) => orgIds(x).length)).toEqual([1, 1]);
    });
  }

  it('a body for another email proves nothing, on every endpoint', async () => {
    once({ body: 'other_email', commit: true, path: '/invitations' });
    await unknownOutcome(client().createInvitation({ emailAddress: 'other-s@answers.test', notify: false }));
    once({ body: 'other_email', commit: true, path: '/invitations/bulk' });
    const bulk = await client().createInvitationsBulkChecked([
      { emailAddress: 'other-b1@answers.test' },
      { emailAddress: 'other-b2@answers.test' },
    ]);
    expect(bulk).toMatchObject({ created: [], unknown: [{ index: 0 }, { index: 1 }] });
    const o = org();
    once({ body: 'other_email', commit: true, path: /organizations\/[^/]+\/invitations$/ });
    const single = await client().createOrganizationInvitationChecked(o, { emailAddress: 'other-os@answers.test', role: 'org:member' });
    expect(single.created).toEqual([]);
    expect(single.unknown[0]?.reason).toMatch(/another email/);
    once({ body: 'other_email', commit: true, path: /organizations\/[^/]+\/invitations\/bulk$/ });
    await unknownOutcome(client().createOrganizationInvitationsBulk(o, [{ emailAddress: 'other-ob@answers.test', role: 'org:member' }]));
  });

  it('a bulk answer with its first element repeated: the repeated email and the missing one are unknown, the rest proven by email', async () => {
    const emails = ['rep1@answers.test', 'rep2@answers.test', 'rep3@answers.test', 'rep4@answers.test'];
    once({ body: 'first_repeated', commit: true, path: '/invitations/bulk' });
    const app = await client().createInvitationsBulkChecked(emails.map((emailAddress) => ({ emailAddress })));
    expect(app.unknown.map((u) => u.index)).toEqual([0, 1]);
    expect(app.created.map((c) => [c.index, c.invitation.id])).toEqual([
      [2, appIds(emails[2]!)[0]],
      [3, appIds(emails[3]!)[0]],
    ]);

    const o = org();
    const orgEmails = emails.map((x) => `org-${x}`);
    once({ body: 'first_repeated', commit: true, path: /organizations\/[^/]+\/invitations\/bulk$/ });
    const answer = await client().createOrganizationInvitationsBulkChecked(
      o,
      orgEmails.map((emailAddress) => ({ emailAddress, role: 'org:member' })),
    );
    expect(answer.unknown.map((u) => u.index)).toEqual([0, 1]);
    expect(answer.created.map((c) => [c.index, c.invitation.id])).toEqual([
      [2, orgIds(orgEmails[2]!)[0]],
      [3, orgIds(orgEmails[3]!)[0]],
    ]);
    once({ body: 'first_repeated', commit: true, path: '/invitations/bulk' });
    await unknownOutcome(client().createInvitationsBulk([{ emailAddress: 'rep5@answers.test' }, { emailAddress: 'rep6@answers.test' }]));
  });
});

describe('a sound answer', () => {
  it('proves every request, tied to its index, with the id Clerk stored', async () => {
    const emails = ['ok1@answers.test', 'OK2@Answers.test'];
    const answer = await client().createInvitationsBulkChecked(emails.map((emailAddress) => ({ emailAddress })));
    expect(answer.unknown).toEqual([]);
    expect(answer.created.map((c) => [c.index, c.invitation.id])).toEqual(emails.map((x, i) => [i, appIds(x)[0]]));
    const strict = await client().createInvitation({ emailAddress: 'ok3@answers.test', notify: false });
    expect(strict.id).toBe(appIds('ok3@answers.test')[0]);
  });
});
