/**
 * The engine against Clerk's real error codes (API.md's corrections): classified by HTTP status and what the
 * error names, so codes it has never seen still do the right thing.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { ClerkApiError } from '../../../src/main/services/clerk/errors.ts';
import { classify } from '../../../src/main/services/runs/classify.ts';
import type { QueuedRow } from '../../../src/main/services/runs/runsRepo.ts';
import { appRequest, engineOnEmulator } from '../../helpers/runFixture.ts';

const WINDOW = 60_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = () => engineOnEmulator(cleanups);
const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}@errors.test`);
const posts = (e: { requests: { method: string }[] }) => e.requests.filter((r) => r.method === 'POST').length;

describe('inviter errors stop the run after one request, whichever code Clerk uses', () => {
  for (const [label, who] of [
    ['not_a_member_in_organization', 'stranger'],
    ['missing_organization_permission', 'member'],
  ] as const) {
    it(`403 ${label}: paused after one request, no batch split, rows still queued`, async () => {
      const { emulator, fx } = await setup();
      const i = emulator.instance;
      const admin = addUser(i, { emailAddress: 'admin@errors.test' });
      const member = addUser(i, { emailAddress: 'member@errors.test' });
      const stranger = addUser(i, { emailAddress: 'stranger@errors.test' });
      const org = addOrg(i, { name: 'Org', maxAllowedMemberships: 0, admins: [admin.id] }, Date.now());
      org.members.set(member.id, 'org:member');
      const inviter = who === 'member' ? member.id : stranger.id;
      const rows = emails(20, 'v').map((e) => appRequest(e, { organizationId: org.id, role: 'org:member', inviterUserId: inviter }));
      const id = fx.createRun(rows, { kind: 'org', windowMs: WINDOW, instanceId: i.id });
      await fx.engine.start(id);
      await fx.engine.settled(id);
      const run = fx.repo.get(id)!;
      expect(run.state).toBe('paused');
      expect(run.pauseReason).toMatch(/inviter/i);
      expect(run.counts).toMatchObject({ queued: 20, failed: 0, sent: 0 });
      expect(posts(emulator)).toBe(1);
    });
  }
});

describe('revokes', () => {
  it('a revoke run with a deleted invitation finishes, with that row failed and the others revoked', async () => {
    const { emulator, fx } = await setup();
    const created = emails(4, 'r').map((e) => appRequest(e));
    const a = fx.createRun(created, { windowMs: WINDOW, instanceId: emulator.instance.id });
    await fx.engine.start(a);
    await fx.engine.settled(a);
    const sent = fx.repo.rows(a);
    // One invitation is deleted in Clerk (or belongs to nobody any more): revoking it answers 404 resource_not_found.
    emulator.instance.invitations = emulator.instance.invitations.filter((x) => x.id !== sent[1]!.invitationId);
    const id = randomUUID();
    fx.repo.create(
      {
        id,
        profileId: 'p1',
        profileName: 'T',
        environment: 'development',
        instanceId: emulator.instance.id,
        kind: 'app',
        organizationId: null,
        organizationName: null,
        sheetId: null,
        sheetName: 'revoke',
        op: 'revoke',
        options: { settings: null, columns: [] },
        windowMs: 10_000,
        createdAt: Date.now(),
        rows: sent.map((r, i) => ({ sheetRow: i, email: r.email, request: { ...created[i]!, revokeInvitationId: r.invitationId! } })),
      },
      Date.now(),
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const run = fx.repo.get(id)!;
    expect(run.state).toBe('finished');
    expect(run.counts).toMatchObject({ sent: 3, failed: 1 });
    expect(fx.repo.rows(id)[1]).toMatchObject({
      state: 'failed',
      errorCode: 'resource_not_found',
      message: expect.stringMatching(/no such invitation/),
    });
  });
});

describe('what an error names', () => {
  it('a blocked address (meta.identifiers) fails alone; the other nine go in the next call', async () => {
    const { emulator, fx } = await setup();
    emulator.instance.blockedEmails.add('b3@errors.test');
    const id = fx.createRun(
      emails(10, 'b').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const rows = fx.repo.rows(id);
    expect(rows.find((r) => r.email === 'b3@errors.test')).toMatchObject({ state: 'failed', errorCode: 'not_allowed_access' });
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(9);
    expect(emulator.requests.filter((r) => r.path.endsWith('/bulk'))).toHaveLength(2);
  });

  it('an unknown role (2024: 404 naming param "role") fails the rows, not the run', async () => {
    const { emulator, fx } = await setup();
    const org = addOrg(emulator.instance, { name: 'Org', maxAllowedMemberships: 0 }, Date.now());
    const id = fx.createRun(
      emails(3, 'o').map((e) => appRequest(e, { organizationId: org.id, role: 'org:owner' })),
      { kind: 'org', windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)).toMatchObject({ state: 'finished', counts: { failed: 3 } });
    expect(fx.repo.rows(id)[0]!.message).toMatch(/role “org:owner”/);
  });

  it('existing users with ignore_existing go on the single lane (bulk cannot bypass them): the lane does not decide', async () => {
    const { emulator, fx } = await setup();
    addUser(emulator.instance, { emailAddress: 'x2@errors.test' });
    const id = fx.createRun(
      emails(5, 'x').map((e) => appRequest(e, { ignoreExisting: true })),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)!.counts).toMatchObject({ sent: 5, failed: 0 });
  });
});

describe('classification of codes the engine has never seen', () => {
  const rows = (n: number): QueuedRow[] =>
    Array.from({ length: n }, (_, i) => ({
      idx: i,
      email: `q${i}@x.test`,
      request: appRequest(`q${i}@x.test`),
      attempts: 1,
      split: 10,
      notBefore: 0,
      unknownSince: null,
    }));
  const err = (status: number, items: { code: string; meta?: Record<string, unknown> }[]) =>
    new ClerkApiError({
      status,
      errors: items.map((x) => ({ code: x.code, message: x.code, longMessage: x.code, meta: x.meta ?? {} })),
      retryAfterSeconds: null,
      traceId: null,
    });
  it('by status: 401 stops, an unknown 403 stops, a 429 with any code waits, an unknown 422 unnamed splits', () => {
    expect(classify(err(401, [{ code: 'key_revoked_somehow' }]), 'create', rows(10), true).kind).toBe('stop');
    expect(classify(err(403, [{ code: 'inviter_suspended' }]), 'create', rows(10), true).kind).toBe('stop');
    expect(classify(err(429, [{ code: 'slow_down' }]), 'create', rows(10), true).kind).toBe('rate_limited');
    expect(classify(err(422, [{ code: 'something_new' }]), 'create', rows(10), true).kind).toBe('split');
    expect(classify(err(422, [{ code: 'something_new' }]), 'create', rows(1), false).kind).toBe('rows');
  });
  it('reads every element of errors[] and every place that names a row', () => {
    const d = classify(
      err(400, [
        { code: 'duplicate_record', meta: { email_addresses: ['q1@x.test'] } },
        { code: 'not_allowed_access', meta: { identifiers: ['Q4@x.test'] } },
        { code: 'form_param_format_invalid', meta: { param_name: 'invitations[7].email_address' } },
      ]),
      'create',
      rows(10),
      true,
    );
    expect(d.kind).toBe('rows');
    if (d.kind !== 'rows') return;
    expect(d.duplicates.map((f) => [f.row.idx, f.code])).toEqual([[1, 'duplicate_record']]);
    expect(d.fail.map((f) => [f.row.idx, f.code])).toEqual([
      [4, 'not_allowed_access'],
      [7, 'form_param_format_invalid'],
    ]);
  });
});
