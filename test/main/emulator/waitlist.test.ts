/** The emulator's waitlist (issue 23 item 7): shapes under Clerk's spec, paging and filters, bulk limits, invite, reject, delete, locks and the variants. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../../src/main/emulator/behaviour.ts';
import { acceptInvitation } from '../../../src/main/emulator/store.ts';
import { addWaitlistEntry } from '../../../src/main/emulator/waitlist.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';
import { assertRequestMatchesSpec, assertResponseMatchesSpec } from '../../helpers/openapi.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const key = () => emu.current.instance.secretKey;
const req = (method: string, path: string, body?: unknown) => call(emu.current.origin, method, `/v1${path}`, { key: key(), body });

beforeEach(() => {
  const e = emu.current;
  Object.assign(e.behaviour, DEFAULT_BEHAVIOUR);
  e.instance.waitlist = [];
  e.instance.invitations = [];
  e.rateLimits.configure({ enabled: false });
});

describe('waitlist entries', () => {
  it('lists with paging, status and query, newest first, in the spec’s shape', async () => {
    const t = Date.now();
    for (let i = 0; i < 12; i++) addWaitlistEntry(emu.current.instance, `p${i}@${i % 2 ? 'odd' : 'even'}.example`, t + i);
    const first = await req('GET', '/waitlist_entries?limit=5');
    expect(first.status).toBe(200);
    assertResponseMatchesSpec('GET', '/waitlist_entries', 200, first.body);
    expect(first.body.total_count).toBe(12);
    expect(first.body.data.map((e: { email_address: string }) => e.email_address)).toEqual([
      'p11@odd.example',
      'p10@even.example',
      'p9@odd.example',
      'p8@even.example',
      'p7@odd.example',
    ]);
    const last = await req('GET', '/waitlist_entries?limit=5&offset=10');
    expect(last.body.data).toHaveLength(2);
    const odd = await req('GET', '/waitlist_entries?query=odd.example&limit=500');
    expect(odd.body.total_count).toBe(6);
    const id = first.body.data[0].id;
    expect(id).toMatch(/^wle_/);
    expect((await req('GET', `/waitlist_entries?query=${id}`)).body.data[0].id).toBe(id);
    await req('POST', `/waitlist_entries/${id}/reject`);
    expect((await req('GET', '/waitlist_entries?status=rejected')).body.total_count).toBe(1);
    expect((await req('GET', '/waitlist_entries?status=pending')).body.total_count).toBe(11);
    expect((await req('GET', '/waitlist_entries?status=nope')).status).toBe(422);
  });

  it('creates one; an email already on the waitlist comes back as it is', async () => {
    const a = await req('POST', '/waitlist_entries', { email_address: 'New@Example.COM', notify: false });
    expect(a.status).toBe(200);
    assertResponseMatchesSpec('POST', '/waitlist_entries', 200, a.body);
    expect(a.body).toMatchObject({
      object: 'waitlist_entry',
      email_address: 'New@example.com',
      status: 'pending',
      is_locked: false,
      invitation: null,
    });
    const again = await req('POST', '/waitlist_entries', { email_address: 'new@example.com' });
    expect(again.body.id).toBe(a.body.id);
    expect(emu.current.instance.waitlist).toHaveLength(1);
    expect((await req('POST', '/waitlist_entries', { email_address: 'not an email' })).status).toBe(422);
    expect((await req('POST', '/waitlist_entries', { email_address: 'x@example.com', extra: 1 })).body.errors[0].code).toBe(
      'form_param_unknown',
    );
  });

  it('bulk: 1–50 a call, duplicates within one call refused, existing entries returned as they are', async () => {
    const old = addWaitlistEntry(emu.current.instance, 'old@example.com', Date.now() - 1000);
    const ok = await req('POST', '/waitlist_entries/bulk', [
      { email_address: 'a@example.com' },
      { email_address: 'OLD@example.com', notify: false },
    ]);
    expect(ok.status).toBe(200);
    assertResponseMatchesSpec('POST', '/waitlist_entries/bulk', 200, ok.body);
    expect(ok.body[1].id).toBe(old.id);
    const dup = await req('POST', '/waitlist_entries/bulk', [{ email_address: 'b@example.com' }, { email_address: 'B@EXAMPLE.com' }]);
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0]).toMatchObject({ code: 'duplicate_record', meta: { email_addresses: ['b@example.com'] } });
    expect(emu.current.instance.waitlist.some((e) => e.emailAddress === 'b@example.com')).toBe(false);
    const many = Array.from({ length: 51 }, (_, i) => ({ email_address: `m${i}@example.com` }));
    expect((await req('POST', '/waitlist_entries/bulk', many)).status).toBe(422);
    expect((await req('POST', '/waitlist_entries/bulk', many.slice(0, 50))).status).toBe(200);
    expect((await req('POST', '/waitlist_entries/bulk', [])).status).toBe(422);
  });

  it('notify defaults to true (the spec) or false (the variant)', async () => {
    await req('POST', '/waitlist_entries/bulk', [{ email_address: 'n1@example.com' }]);
    emu.current.behaviour.waitlistNotifyDefault = false;
    await req('POST', '/waitlist_entries/bulk', [{ email_address: 'n2@example.com' }, { email_address: 'n3@example.com', notify: true }]);
    expect(emu.current.instance.waitlist.map((e) => [e.emailAddress, e.notified])).toEqual([
      ['n1@example.com', true],
      ['n2@example.com', false],
      ['n3@example.com', true],
    ]);
  });

  it('invites with a real application invitation; a second invite is refused; accepted reads completed', async () => {
    const e = addWaitlistEntry(emu.current.instance, 'inv@example.com', Date.now());
    const r = await req('POST', `/waitlist_entries/${e.id}/invite`, { ignore_existing: true });
    expect(r.status).toBe(200);
    assertResponseMatchesSpec('POST', '/waitlist_entries/{waitlist_entry_id}/invite', 200, r.body);
    expect(r.body.status).toBe('invited');
    expect(r.body.invitation).toMatchObject({ object: 'invitation', email_address: 'inv@example.com', status: 'pending' });
    expect(emu.current.instance.invitations.map((i) => i.id)).toEqual([r.body.invitation.id]);
    const again = await req('POST', `/waitlist_entries/${e.id}/invite`, {});
    expect(again.status).toBe(400);
    expect(emu.current.instance.invitations).toHaveLength(1);
    acceptInvitation(emu.current.instance, 'inv@example.com', Date.now());
    expect((await req('GET', '/waitlist_entries?status=completed')).body.data[0].id).toBe(e.id);
    expect((await req('POST', `/waitlist_entries/${e.id}/invite`, { metadata: {} })).status).toBe(422);
    expect((await req('POST', '/waitlist_entries/wle_missing/invite', {})).status).toBe(404);
  });

  it('invite of an email with a pending invitation: refused unless ignore_existing', async () => {
    await req('POST', '/invitations', { email_address: 'both@example.com' });
    const e = addWaitlistEntry(emu.current.instance, 'both@example.com', Date.now());
    const refused = await req('POST', `/waitlist_entries/${e.id}/invite`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].code).toBe('duplicate_record');
    expect(e.status).toBe('pending');
    expect((await req('POST', `/waitlist_entries/${e.id}/invite`, { ignore_existing: true })).body.status).toBe('invited');
  });

  it('rejects (taking back an invited entry’s invitation); a second reject is refused', async () => {
    const e = addWaitlistEntry(emu.current.instance, 'rej@example.com', Date.now());
    const r = await req('POST', `/waitlist_entries/${e.id}/reject`);
    expect(r.status).toBe(200);
    assertResponseMatchesSpec('POST', '/waitlist_entries/{waitlist_entry_id}/reject', 200, r.body);
    expect(r.body.status).toBe('rejected');
    expect((await req('POST', `/waitlist_entries/${e.id}/reject`)).status).toBe(400);
    const inv = addWaitlistEntry(emu.current.instance, 'rej2@example.com', Date.now());
    await req('POST', `/waitlist_entries/${inv.id}/invite`, {});
    await req('POST', `/waitlist_entries/${inv.id}/reject`);
    expect(emu.current.instance.invitations[0]!.status).toBe('revoked');
  });

  it('deletes pending entries only', async () => {
    const e = addWaitlistEntry(emu.current.instance, 'del@example.com', Date.now());
    const d = await req('DELETE', `/waitlist_entries/${e.id}`);
    expect(d.status).toBe(200);
    assertResponseMatchesSpec('DELETE', '/waitlist_entries/{waitlist_entry_id}', 200, d.body);
    expect(emu.current.instance.waitlist).toHaveLength(0);
    const r = addWaitlistEntry(emu.current.instance, 'del2@example.com', Date.now());
    await req('POST', `/waitlist_entries/${r.id}/reject`);
    expect((await req('DELETE', `/waitlist_entries/${r.id}`)).status).toBe(400);
    expect((await req('DELETE', '/waitlist_entries/wle_missing')).status).toBe(404);
  });

  it('a locked entry answers 409 to invite, reject and delete, and reads is_locked', async () => {
    const e = addWaitlistEntry(emu.current.instance, 'lock@example.com', Date.now());
    e.lockedUntil = Date.now() + 60_000;
    for (const [m, p] of [
      ['POST', `/waitlist_entries/${e.id}/invite`],
      ['POST', `/waitlist_entries/${e.id}/reject`],
      ['DELETE', `/waitlist_entries/${e.id}`],
    ] as const) {
      const r = await req(m, p, m === 'POST' ? {} : undefined);
      expect(r.status, p).toBe(409);
      assertResponseMatchesSpec(
        m,
        p.endsWith('invite')
          ? '/waitlist_entries/{waitlist_entry_id}/invite'
          : p.endsWith('reject')
            ? '/waitlist_entries/{waitlist_entry_id}/reject'
            : '/waitlist_entries/{waitlist_entry_id}',
        409,
        r.body,
      );
    }
    expect((await req('GET', '/waitlist_entries')).body.data[0].is_locked).toBe(true);
    e.lockedUntil = Date.now() - 1;
    expect((await req('POST', `/waitlist_entries/${e.id}/invite`, {})).status).toBe(200);
  });

  it('an invitation with template_slug waitlist_invitation moves the entry to invited, or not (variant)', async () => {
    const a = addWaitlistEntry(emu.current.instance, 'tpl1@example.com', Date.now());
    await req('POST', '/invitations', {
      email_address: 'tpl1@example.com',
      template_slug: 'waitlist_invitation',
      public_metadata: { plan: 'pro' },
    });
    expect(a.status).toBe('invited');
    expect(a.invitationId).toBe(emu.current.instance.invitations[0]!.id);
    const b = addWaitlistEntry(emu.current.instance, 'tpl2@example.com', Date.now());
    await req('POST', '/invitations', { email_address: 'tpl2@example.com' });
    expect(b.status).toBe('pending'); // the ordinary template does not touch the waitlist
    emu.current.behaviour.waitlistTemplateMovesEntry = false;
    const c = addWaitlistEntry(emu.current.instance, 'tpl3@example.com', Date.now());
    await req('POST', '/invitations/bulk', [{ email_address: 'tpl3@example.com', template_slug: 'waitlist_invitation' }]);
    expect(c.status).toBe('pending');
  });
});

describe('waitlist pacing variants', () => {
  const inviteAll = async (n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const e = addWaitlistEntry(emu.current.instance, `pace${i}@example.com`, Date.now());
      statuses.push((await req('POST', `/waitlist_entries/${e.id}/invite`, {})).status);
    }
    return statuses;
  };
  it('invite draws only the general limit by default', async () => {
    emu.current.rateLimits.configure({ enabled: true, limits: { 'invitations.create': 2, general: 1000 } });
    expect(await inviteAll(4)).toEqual([200, 200, 200, 200]);
  });
  it('invite also draws the invitation budget in its variant (429 past it)', async () => {
    emu.current.behaviour.waitlistInviteBudget = 'invitations';
    emu.current.rateLimits.configure({ enabled: true, limits: { 'invitations.create': 2, general: 1000 } });
    const s = await inviteAll(3);
    expect(s).toEqual([200, 200, 429]);
  });
  it('reject and lists draw the general limit', async () => {
    emu.current.rateLimits.configure({ enabled: true, limits: { general: 2 } });
    expect((await req('GET', '/waitlist_entries')).status).toBe(200);
    expect((await req('GET', '/waitlist_entries')).status).toBe(200);
    expect((await req('GET', '/waitlist_entries')).status).toBe(429);
  });
});

describe('the client’s waitlist calls', () => {
  it('send spec-valid bodies and read the answers into entries (with their invitation)', async () => {
    const e = emu.current;
    const sent: { method: string; path: string; body: unknown }[] = [];
    const spy: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      sent.push({
        method: String(init?.method),
        path: url.pathname + url.search,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      });
      return fetch(input, init);
    };
    const client = createClerkClient({ baseUrl: e.apiUrl, secretKey: e.instance.secretKey, fetch: spy });
    const added = await client.createWaitlistEntriesBulk([
      { emailAddress: 'c1@client.test', notify: false },
      { emailAddress: 'c2@client.test', notify: true },
    ]);
    expect(added.map((x) => [x.emailAddress, x.status, x.isLocked])).toEqual([
      ['c1@client.test', 'pending', false],
      ['c2@client.test', 'pending', false],
    ]);
    const invited = await client.inviteWaitlistEntry(added[0]!.id, { ignoreExisting: true });
    expect(invited.status).toBe('invited');
    expect(invited.invitation?.id).toMatch(/^inv_/);
    expect((await client.rejectWaitlistEntry(added[1]!.id)).status).toBe('rejected');
    const page = await client.listWaitlistEntries({ query: added[0]!.id, limit: 500, status: 'invited' });
    expect(page).toMatchObject({ totalCount: 1, data: [{ id: added[0]!.id, status: 'invited' }] });
    expect(sent.map((x) => `${x.method} ${x.path}`)).toEqual([
      'POST /v1/waitlist_entries/bulk',
      `POST /v1/waitlist_entries/${added[0]!.id}/invite`,
      `POST /v1/waitlist_entries/${added[1]!.id}/reject`,
      `GET /v1/waitlist_entries?limit=500&status=invited&query=${added[0]!.id}`,
    ]);
    assertRequestMatchesSpec('POST', '/waitlist_entries/bulk', sent[0]!.body);
    assertRequestMatchesSpec('POST', '/waitlist_entries/{waitlist_entry_id}/invite', sent[1]!.body);
  });
});
