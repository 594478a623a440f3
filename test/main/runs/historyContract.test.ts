/**
 * The history and rows ports' contract, run against this computer's SQLite and a team's PostgreSQL: what the history,
 * the review, the follow-ups, status sync, retention and the Runs screen read. Every store is seeded the same way,
 * through the port (create, claim, mark, cancel, state), so one answer is expected of both.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import type { Storage } from '../../../src/main/services/runs/engine/ports.ts';
import { sqliteStorage } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { OUTCOME_UNKNOWN } from '../../../src/main/services/runs/journalTypes.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import type { RunOp } from '../../../src/shared/domain/send/limits.ts';
import type { RunOptions, RunState } from '../../../src/shared/domain/send/types.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dir = makeTempDir();
const pools: { end(): Promise<void> }[] = [];
afterAll(async () => {
  dir.remove();
  await Promise.all(pools.map((p) => p.end()));
});
const makers: [string, () => Promise<Storage>][] = [
  ['SQLite', async () => sqliteStorage(openDatabase(join(dir.path, `${randomUUID()}.sqlite`)))],
  [
    'PostgreSQL (team workspace)',
    async () => {
      const pool = await freshPgPool(4);
      pools.push(pool);
      await migratePg(pool);
      return pgStorage(pool);
    },
  ],
];

type Outcome = { sent: string; url?: string; inv?: string; expiresAt?: number } | { failed: string } | 'unknown' | 'inflight';
type Seed = {
  id: string;
  /** The run's creation time; its rows are claimed at `at + 1`, answered at `at + 2`, the run ended at `at + 3`. */
  at: number;
  emails: string[];
  op?: RunOp;
  profileId?: string;
  instanceId?: string;
  organizationId?: string | null;
  parentRunId?: string;
  skip?: number;
  /** Per row, the invitation a revoke run revokes. */
  revoke?: string[];
  outcomes?: Record<number, Outcome>;
  /** The rows left queued are cancelled. */
  cancel?: boolean;
  end?: RunState;
  options?: RunOptions;
};

/** A run made, sent and ended through the port, as the engine would. */
async function seed(s: Storage, o: Seed): Promise<void> {
  const instanceId = o.instanceId ?? 'ins_1';
  await s.runs.create(
    {
      id: o.id,
      profileId: o.profileId ?? 'p1',
      profileName: `Profile ${o.profileId ?? 'p1'}`,
      environment: 'development',
      instanceId,
      kind: 'app',
      op: o.op ?? 'create',
      organizationId: o.organizationId ?? null,
      organizationName: o.organizationId ? 'Acme' : null,
      sheetId: null,
      sheetName: `sheet ${o.id}`,
      options: o.options ?? { settings: null, columns: [] },
      windowMs: 3_600_000,
      createdAt: o.at,
      parentRunId: o.parentRunId ?? null,
      rows: [
        ...o.emails.map((email, i) => ({
          sheetRow: i + 2,
          email,
          request: appRequest(email, o.revoke?.[i] ? { revokeInvitationId: o.revoke[i] } : {}),
        })),
        ...Array.from({ length: o.skip ?? 0 }, (_, i) => ({
          sheetRow: 900 + i,
          email: `skip${i}@x.test`,
          request: null,
          skipReason: 'not ready',
        })),
      ],
    },
    o.at,
    'A',
  );
  for (const [k, out] of Object.entries(o.outcomes ?? {})) {
    const idx = Number(k);
    const request = await s.journal.claim(o.id, instanceId, 'app.single', [idx], o.at + 1, 'A');
    if (out === 'inflight') continue;
    if (out === 'unknown') {
      await s.journal.markUnknown(o.id, [idx], o.at + 1, o.at + 1);
      await s.journal.markFailed(o.id, [{ idx, code: OUTCOME_UNKNOWN, message: 'Clerk did not say' }], o.at + 2);
    } else if ('sent' in out)
      await s.journal.markSent(
        o.id,
        [{ idx, invitationId: out.inv ?? `inv_${o.id}_${idx}`, status: out.sent, url: out.url ?? null, expiresAt: out.expiresAt ?? null }],
        o.at + 2,
      );
    else await s.journal.markFailed(o.id, [{ idx, code: out.failed, message: 'Clerk refused it' }], o.at + 2);
    await s.journal.finishRequest(request, 'ok', o.at + 2);
  }
  if (o.cancel) await s.journal.cancelQueued(o.id, o.at + 2);
  await s.runs.setState(o.id, o.end ?? 'finished', o.at + 3);
}

const sent = (status = 'pending', more: { url?: string; inv?: string; expiresAt?: number } = {}): Outcome => ({ sent: status, ...more });
const refused: Outcome = { failed: 'form_param_format_invalid' };

describe.each(makers)('history and rows contract: %s', (_name, make) => {
  it('list: every run newest first; a waitlist or repair run reads back its op, as get does', async () => {
    const s = await make();
    await seed(s, { id: 'r1', at: 10, emails: ['a@x.test', 'b@x.test'], skip: 1, outcomes: { 0: sent() }, end: 'paused' });
    await seed(s, { id: 'w1', at: 20, op: 'waitlist_invite', emails: ['c@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'm1', at: 30, op: 'repair', emails: ['a@x.test'], outcomes: { 0: sent('accepted') } });
    await seed(s, { id: 'v1', at: 40, op: 'revoke', emails: ['a@x.test'], revoke: ['inv_r1_0'], end: 'cancelled' });
    await seed(s, { id: 'w2', at: 50, op: 'waitlist_reject', emails: ['d@x.test'], end: 'interrupted' });
    const list = await s.history.list();
    expect(list.map((r) => [r.id, r.op])).toEqual([
      ['w2', 'waitlist_reject'],
      ['v1', 'revoke'],
      ['m1', 'repair'],
      ['w1', 'waitlist_invite'],
      ['r1', 'create'],
    ]);
    expect(list[4]).toEqual({
      id: 'r1',
      profileId: 'p1',
      profileName: 'Profile p1',
      environment: 'development',
      instanceId: 'ins_1',
      kind: 'app',
      op: 'create',
      organizationId: null,
      organizationName: null,
      sheetName: 'sheet r1',
      state: 'paused',
      pauseReason: null,
      counts: { queued: 1, inflight: 0, sent: 1, failed: 0, skipped: 1, cancelled: 0, total: 3 },
      createdAt: 10,
      startedAt: 10,
      finishedAt: null,
      syncedAt: null,
      parentRunId: null,
    });
    expect(list[3]).toMatchObject({ state: 'finished', finishedAt: 23, counts: { sent: 1, total: 1 } });
    for (const run of list) expect(await s.runs.get(run.id)).toEqual(run);
  });

  it('optionsOf: the options the run was made with, decoded; null for a run that does not exist', async () => {
    const s = await make();
    const options: RunOptions = {
      settings: null,
      columns: [
        { id: 'c1', header: 'Email', target: { kind: 'field', field: 'email' } },
        { id: 'c2', header: 'Team', target: { kind: 'meta', scope: 'public', path: 'team', type: 'string' } },
      ],
    };
    await seed(s, { id: 'r1', at: 10, emails: ['a@x.test'], options });
    expect(await s.history.optionsOf('r1')).toEqual(options);
    expect(await s.history.optionsOf('nope')).toBeNull();
  });

  it('rows: every row in order, or those changed since; requests: what each row carried, null for a skipped one', async () => {
    const s = await make();
    await seed(s, {
      id: 'r1',
      at: 10,
      emails: ['a@x.test', 'B@x.test', 'c@x.test'],
      skip: 1,
      outcomes: { 1: sent('pending', { url: 'https://acc/b', expiresAt: 99.5 }) },
    });
    const rows = await s.history.rows('r1');
    expect(rows).toEqual([
      {
        idx: 0,
        sheetRow: 2,
        email: 'a@x.test',
        state: 'queued',
        invitationId: null,
        invitationStatus: null,
        url: null,
        errorCode: null,
        message: null,
        attempts: 0,
        expiresAt: null,
      },
      {
        idx: 1,
        sheetRow: 3,
        email: 'B@x.test',
        state: 'sent',
        invitationId: 'inv_r1_1',
        invitationStatus: 'pending',
        url: 'https://acc/b',
        errorCode: null,
        message: null,
        attempts: 1,
        expiresAt: 99.5,
      },
      {
        idx: 2,
        sheetRow: 4,
        email: 'c@x.test',
        state: 'queued',
        invitationId: null,
        invitationStatus: null,
        url: null,
        errorCode: null,
        message: null,
        attempts: 0,
        expiresAt: null,
      },
      {
        idx: 3,
        sheetRow: 900,
        email: 'skip0@x.test',
        state: 'skipped',
        invitationId: null,
        invitationStatus: null,
        url: null,
        errorCode: null,
        message: 'not ready',
        attempts: 0,
        expiresAt: null,
      },
    ]);
    expect((await s.history.rows('r1', 12)).map((r) => r.idx)).toEqual([1]);
    expect(await s.history.rows('r1', 13)).toEqual([]);
    expect(await s.history.requests('r1')).toEqual(
      new Map([
        [0, appRequest('a@x.test')],
        [1, appRequest('B@x.test')],
        [2, appRequest('c@x.test')],
        [3, null],
      ]),
    );
    expect(await s.history.rows('nope')).toEqual([]);
  });

  it('takenLater (create): sent later, sending now (first), or maybe sent, by a create or waitlist-invite run of the instance and organization', async () => {
    const s = await make();
    const emails = ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test', 'f@x.test', 'g@x.test', 'h@x.test'];
    const outcomes = { 0: sent(), 1: refused, 2: sent('expired'), 3: 'unknown', 4: refused, 5: refused, 6: refused, 7: refused } as const;
    await seed(s, { id: 'r1', at: 10, emails, outcomes });
    await seed(s, { id: 'r0', at: 5, emails: ['e@x.test'], outcomes: { 0: sent() } }); // earlier: holds nothing
    await seed(s, { id: 'r2', at: 20, emails: ['A@x.test'], outcomes: { 0: sent() } }); // the email's key, any case
    await seed(s, { id: 'r3', at: 30, op: 'waitlist_invite', emails: ['c@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'r4', at: 40, emails: ['d@x.test'], outcomes: { 0: 'unknown' } });
    await seed(s, { id: 'r5', at: 50, op: 'repair', emails: ['f@x.test'], outcomes: { 0: sent() } }); // invites nobody
    await seed(s, { id: 'r6', at: 60, profileId: 'p2', instanceId: 'ins_2', emails: ['g@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'r7', at: 70, organizationId: 'org_1', emails: ['g@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'r10', at: 95, emails: ['b@x.test'], outcomes: { 0: sent() } });
    // Made after r10 sent b, though created before it: b is held by both, the run sending it first.
    await seed(s, { id: 'r8', at: 80, emails: ['b@x.test', 'a@x.test'], end: 'paused' }); // queued: sending
    await seed(s, { id: 'r9', at: 8, parentRunId: 'r1', emails: ['h@x.test'], outcomes: { 0: sent() } }); // its follow-up
    expect(await s.history.takenLater('r1', 'create')).toEqual(
      new Map([
        [0, { runId: 'r8', sheetName: 'sheet r8', sending: true }],
        [1, { runId: 'r8', sheetName: 'sheet r8', sending: true }],
        [2, { runId: 'r3', sheetName: 'sheet r3', sending: false }],
        [3, { runId: 'r4', sheetName: 'sheet r4', sending: false }],
        [7, { runId: 'r9', sheetName: 'sheet r9', sending: false }],
      ]),
    );
    expect(await s.history.takenLater('r1', 'revoke')).toEqual(new Map());
    // The Runs screen marks the same rows, and its follow-ups leave them out.
    const page = await s.rows.page('r1', { offset: 0, limit: 50 });
    expect(page.filter((r) => r.sentLater).map((r) => r.idx)).toEqual([0, 1, 2, 3, 7]);
    expect((await s.rows.changed('r1', 12)).filter((r) => r.sentLater).map((r) => r.idx)).toEqual([0, 1, 2, 3, 7]);
    expect(await s.rows.tally('r1')).toMatchObject({ failed: 3, expiredOrRevoked: 0 });
    await s.runs.setState('r8', 'finished', 100);
    await s.journal.cancelQueued('r8', 100);
    // Cancelled, r8 no longer holds a or b: the runs that sent them later do.
    const after = await s.history.takenLater('r1', 'create');
    expect(after.get(0)).toEqual({ runId: 'r2', sheetName: 'sheet r2', sending: false });
    expect(after.get(1)).toEqual({ runId: 'r10', sheetName: 'sheet r10', sending: false });
  });

  it('runs made in the same millisecond: listed, and named as holders, in one order on every store (by id)', async () => {
    const s = await make();
    await seed(s, { id: 'r1', at: 10, emails: ['a@x.test'], outcomes: { 0: refused } });
    for (const id of ['rc', 'ra', 'rb']) await seed(s, { id, at: 20, emails: ['a@x.test'], outcomes: { 0: sent() } });
    expect((await s.history.list()).map((r) => r.id)).toEqual(['ra', 'rb', 'rc', 'r1']);
    expect((await s.history.takenLater('r1', 'create')).get(0)?.runId).toBe('ra');
  });

  it('takenLater (revoke): an invitation another revoke run of the instance revoked or is revoking', async () => {
    const s = await make();
    await seed(s, { id: 'r1', at: 10, emails: ['a@x.test', 'b@x.test', 'c@x.test'], outcomes: { 0: sent(), 1: sent(), 2: sent() } });
    await seed(s, { id: 'v1', at: 20, op: 'revoke', emails: ['a@x.test'], revoke: ['inv_r1_0'], outcomes: { 0: sent('revoked') } });
    await seed(s, { id: 'v2', at: 30, op: 'revoke', emails: ['b@x.test'], revoke: ['inv_r1_1'], end: 'paused' });
    await seed(s, { id: 'v3', at: 40, op: 'revoke', emails: ['c@x.test'], revoke: ['inv_other'], outcomes: { 0: sent('revoked') } });
    await seed(s, {
      id: 'v4',
      at: 50,
      op: 'revoke',
      profileId: 'p2',
      instanceId: 'ins_2',
      emails: ['c@x.test'],
      revoke: ['inv_r1_2'],
      outcomes: { 0: sent('revoked') },
    });
    expect(await s.history.takenLater('r1', 'revoke')).toEqual(
      new Map([
        [0, { runId: 'v1', sheetName: 'sheet v1', sending: false }],
        [1, { runId: 'v2', sheetName: 'sheet v2', sending: true }],
      ]),
    );
    expect(await s.history.takenLater('r1', 'create')).toEqual(new Map());
    expect((await s.rows.tally('r1')).pending).toBe(1);
    expect((await s.rows.tally('v1')).pending).toBe(0);
  });

  it('historyOf: the latest invitation and its status; revoke wins, repairs and waitlist runs but invites ignored, unknown said', async () => {
    const s = await make();
    const emails = ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'g@x.test', 'h@x.test', 'Ana@x.test'];
    await seed(s, {
      id: 'r1',
      at: 10,
      emails,
      outcomes: { 0: sent(), 1: sent(), 2: 'unknown', 3: sent(), 4: sent('member'), 5: refused, 6: sent() },
    });
    await s.history.applyStatuses('r1', new Map([['inv_r1_0', { status: 'accepted', url: null }]]), 15);
    await seed(s, { id: 'v1', at: 20, op: 'revoke', emails: ['b@x.test'], revoke: ['inv_r1_1'], outcomes: { 0: sent('revoked') } });
    await seed(s, { id: 'm1', at: 30, op: 'repair', emails: ['d@x.test'], outcomes: { 0: sent('accepted') } });
    await seed(s, { id: 'w1', at: 40, op: 'waitlist_invite', emails: ['e@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'w2', at: 50, op: 'waitlist_reject', emails: ['f@x.test'], outcomes: { 0: sent('rejected') } });
    await seed(s, { id: 'w3', at: 55, op: 'waitlist_add', emails: ['f2@x.test'], outcomes: { 0: sent('pending') } });
    await seed(s, { id: 'o1', at: 60, profileId: 'p2', instanceId: 'ins_2', emails: ['j@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'o2', at: 70, organizationId: 'org_1', emails: ['k@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'r2', at: 80, emails: ['c@x.test'], outcomes: { 0: sent() } });
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'f2', 'g', 'h', 'ana', 'j', 'k', 'nobody'].map((k) => `${k}@x.test`);
    expect(await s.history.historyOf('ins_1', null, keys)).toEqual(
      new Map([
        ['a@x.test', { status: 'accepted', at: 10 }],
        ['b@x.test', { status: 'revoked', at: 10 }],
        ['c@x.test', { status: 'pending', at: 80 }],
        ['d@x.test', { status: 'pending', at: 10 }],
        ['e@x.test', { status: 'pending', at: 40 }],
        ['ana@x.test', { status: 'pending', at: 10 }],
      ]),
    );
    expect(await s.history.historyOf('ins_1', 'org_1', keys)).toEqual(new Map([['k@x.test', { status: 'pending', at: 70 }]]));
    expect(await s.history.historyOf('ins_2', null, keys)).toEqual(new Map([['j@x.test', { status: 'pending', at: 60 }]]));
    // Only unknown so far: said so (never "nothing sent").
    await seed(s, { id: 'r3', at: 90, emails: ['u@x.test'], outcomes: { 0: 'unknown' } });
    expect(await s.history.historyOf('ins_1', null, ['u@x.test'])).toEqual(new Map([['u@x.test', { status: 'unknown', at: 90 }]]));
  });

  it('searchEmail: a prefix of the address or of its domain, any case, newest runs first, each row once, limited', async () => {
    const s = await make();
    await seed(s, {
      id: 'r1',
      at: 10,
      emails: ['ana@acme.test', 'Bob@acme.test', 'a_b@x.test', 'ab@x.test', 'José@x.test', 'carl@acme.io'],
      outcomes: { 1: refused },
    });
    await seed(s, { id: 'r2', at: 20, emails: ['ana@other.test', 'anabel@acme.test'] });
    await seed(s, { id: 'r3', at: 30, profileId: 'p2', instanceId: 'ins_2', emails: ['zed@acme.test'] });
    const hits = async (q: string, limit?: number) => (await s.history.searchEmail(q, limit)).map((h) => `${h.runId}:${h.idx}:${h.email}`);
    expect(await hits('ana')).toEqual(['r2:0:ana@other.test', 'r2:1:anabel@acme.test', 'r1:0:ana@acme.test']);
    expect(await hits('ACME')).toEqual([
      'r3:0:zed@acme.test',
      'r2:1:anabel@acme.test',
      'r1:0:ana@acme.test',
      'r1:1:Bob@acme.test',
      'r1:5:carl@acme.io',
    ]);
    expect(await hits('@acme.t')).toEqual(['r3:0:zed@acme.test', 'r2:1:anabel@acme.test', 'r1:0:ana@acme.test', 'r1:1:Bob@acme.test']);
    expect(await hits('bob@')).toEqual(['r1:1:Bob@acme.test']);
    expect(await hits('a_')).toEqual(['r1:2:a_b@x.test']);
    expect(await hits('JOSÉ')).toEqual(['r1:4:José@x.test']);
    expect(await hits('o')).toEqual(['r2:0:ana@other.test']);
    expect(await hits('ACME', 2)).toEqual(['r3:0:zed@acme.test', 'r2:1:anabel@acme.test']);
    expect(await hits('')).toEqual([]);
    expect(await hits('@')).toEqual([]);
    expect(await hits('nobody')).toEqual([]);
    expect((await s.history.searchEmail('bob'))[0]).toEqual({
      runId: 'r1',
      sheetName: 'sheet r1',
      profileName: 'Profile p1',
      environment: 'development',
      runCreatedAt: 10,
      idx: 1,
      email: 'Bob@acme.test',
      state: 'failed',
      invitationId: null,
      invitationStatus: null,
      errorCode: 'form_param_format_invalid',
      message: 'Clerk refused it',
    });
  });

  it('searchEmail: runs made in the same millisecond come one after the other (by id), and a broad query pages the newest runs', async () => {
    const s = await make();
    await seed(s, { id: 'rb', at: 10, emails: ['ann@x.test', 'anna@x.test'] });
    await seed(s, { id: 'ra', at: 10, emails: ['ann@y.test', 'anna@y.test'] });
    const hits = async (q: string, limit?: number) => (await s.history.searchEmail(q, limit)).map((h) => `${h.runId}:${h.idx}`);
    expect(await hits('ann')).toEqual(['ra:0', 'ra:1', 'rb:0', 'rb:1']);
    // Over BROAD_SEARCH (2,000) hits: SQLite walks the runs newest first; the answer is the same.
    const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `user${i}.${tag}@z.test`);
    await seed(s, { id: 'big1', at: 20, emails: many(1200, 'one') });
    await seed(s, { id: 'big2', at: 30, emails: many(1200, 'two') });
    expect(await hits('user', 3)).toEqual(['big2:0', 'big2:1', 'big2:2']);
    const wide = await hits('user', 1205);
    expect(wide.slice(1198, 1203)).toEqual(['big2:1198', 'big2:1199', 'big1:0', 'big1:1', 'big1:2']);
    expect(await hits('user119', 4)).toEqual(['big2:119', 'big2:1190', 'big2:1191', 'big2:1192']);
  });

  it('applyStatuses: statuses and expiries from Clerk, a stored link never overwritten by null; counts changed rows; synced', async () => {
    const s = await make();
    await seed(s, {
      id: 'r1',
      at: 10,
      emails: ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test'],
      outcomes: { 0: sent('pending', { url: 'https://a/0' }), 1: sent(), 2: sent('pending', { expiresAt: 100 }), 3: sent(), 4: refused },
    });
    const statuses = new Map([
      ['inv_r1_0', { status: 'accepted', url: null }],
      ['inv_r1_1', { status: 'pending', url: 'https://b/1' }],
      ['inv_r1_2', { status: 'pending', url: null, expiresAt: 200 }],
      ['inv_r1_3', { status: 'pending', url: null }],
      ['inv_other', { status: 'revoked', url: null }],
    ]);
    expect(await s.history.applyStatuses('r1', statuses, 50)).toBe(2);
    const rows = await s.history.rows('r1');
    expect(rows.map((r) => [r.invitationStatus, r.url, r.expiresAt])).toEqual([
      ['accepted', 'https://a/0', null],
      ['pending', 'https://b/1', null],
      ['pending', null, 200],
      ['pending', null, null],
      [null, null, null],
    ]);
    // An expiry alone is not a change the live view re-reads.
    expect((await s.history.rows('r1', 50)).map((r) => r.idx)).toEqual([0, 1]);
    expect((await s.runs.get('r1'))?.syncedAt).toBe(50);
    expect(await s.history.applyStatuses('r1', statuses, 60)).toBe(0);
    expect((await s.runs.get('r1'))?.syncedAt).toBe(60);
    expect(await s.history.applyStatuses('r1', new Map([['inv_r1_0', { status: 'expired', url: 'https://a/new' }]]), 70)).toBe(1);
    expect((await s.history.rows('r1'))[0]).toMatchObject({ invitationStatus: 'expired', url: 'https://a/new' });
  });

  it('purge: ended runs before a time or of a profile, never one with rows in flight, to send, or of unknown outcome', async () => {
    const s = await make();
    await seed(s, { id: 'old1', at: 10, emails: ['a@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'old2', at: 20, emails: ['a@x.test', 'c@x.test'], outcomes: { 0: sent(), 1: 'unknown' } });
    await seed(s, { id: 'old3', at: 30, emails: ['d@x.test', 'e@x.test'], outcomes: { 0: sent() }, end: 'interrupted' });
    await seed(s, { id: 'old4', at: 40, emails: ['f@x.test', 'g@x.test'], outcomes: { 0: refused }, cancel: true, end: 'cancelled' });
    await seed(s, { id: 'old5', at: 50, emails: ['h@x.test'], outcomes: { 0: sent() }, end: 'interrupted' });
    await seed(s, { id: 'old6', at: 60, emails: ['i@x.test'], outcomes: { 0: 'inflight' } });
    await seed(s, { id: 'old7', at: 70, emails: ['j@x.test'], outcomes: { 0: sent() }, end: 'paused' });
    await seed(s, { id: 'new1', at: 200, emails: ['k@x.test'], outcomes: { 0: sent() } });
    await seed(s, { id: 'q1', at: 15, profileId: 'p2', instanceId: 'ins_2', emails: ['a@x.test'], outcomes: { 0: sent() } });
    expect(await s.history.purge({ before: 100, profileId: 'p2' })).toBe(1);
    expect(await s.history.purge({ before: 100 })).toBe(3);
    expect((await s.history.list()).map((r) => r.id)).toEqual(['new1', 'old7', 'old6', 'old3', 'old2']);
    expect(await s.history.rows('old1')).toEqual([]);
    expect(await s.history.requests('old4')).toEqual(new Map());
    expect(await s.history.searchEmail('f@')).toEqual([]);
    expect(await s.history.purge({ profileId: 'p1' })).toBe(1);
    expect((await s.history.list()).map((r) => r.id)).toEqual(['old7', 'old6', 'old3', 'old2']);
  });

  it('sentSince and sentRequest: what an instance’s create runs made, going or ended since a time; the request one carried', async () => {
    const s = await make();
    await seed(s, { id: 'old', at: 10, emails: ['a@x.test', 'b@x.test'], outcomes: { 0: sent(), 1: refused } });
    await seed(s, { id: 'new', at: 100, emails: ['c@x.test', 'd@x.test'], outcomes: { 0: sent(), 1: sent() } });
    await seed(s, { id: 'going', at: 200, emails: ['e@x.test', 'f@x.test'], outcomes: { 0: sent() }, end: 'paused' });
    await seed(s, {
      id: 'rev',
      at: 150,
      op: 'revoke',
      emails: ['c@x.test'],
      revoke: ['inv_new_0'],
      outcomes: { 0: sent('revoked', { inv: 'inv_new_0' }) },
    });
    await seed(s, { id: 'elsewhere', at: 120, instanceId: 'ins_2', emails: ['g@x.test'], outcomes: { 0: sent() } });
    const by = async (since: number) =>
      (await s.history.sentSince('ins_1', since)).sort((x, y) => x.invitationId.localeCompare(y.invitationId));
    expect(await by(0)).toEqual([
      { invitationId: 'inv_going_0', runId: 'going', sheetName: 'sheet going' },
      { invitationId: 'inv_new_0', runId: 'new', sheetName: 'sheet new' },
      { invitationId: 'inv_new_1', runId: 'new', sheetName: 'sheet new' },
      { invitationId: 'inv_old_0', runId: 'old', sheetName: 'sheet old' },
    ]);
    // Ended before the time: left out; a run still going (paused) is in.
    expect((await by(50)).map((x) => x.invitationId)).toEqual(['inv_going_0', 'inv_new_0', 'inv_new_1']);
    // A page at a time, by invitation id.
    expect((await s.history.sentSince('ins_1', 0, 'inv_going_0', 2)).map((x) => x.invitationId)).toEqual(['inv_new_0', 'inv_new_1']);
    expect((await s.history.sentSince('ins_1', 0, 'inv_new_1', 2)).map((x) => x.invitationId)).toEqual(['inv_old_0']);
    // The request of the create run, not of the revoke that later named the same invitation.
    expect(await s.history.sentRequest('inv_new_0')).toEqual(appRequest('c@x.test'));
    expect(await s.history.sentRequest('inv_going_0')).toEqual(appRequest('e@x.test'));
    expect(await s.history.sentRequest('inv_nobody')).toBeNull();
  });

  it('rows: pages, counts, positions and ids under every filter (member too); links; the follow-up tally over a run or a selection', async () => {
    const s = await make();
    const emails = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((e) => `${e}@x.test`).concat(['k@x.test']);
    await seed(s, {
      id: 'r1',
      at: 10,
      emails,
      skip: 1,
      cancel: true,
      end: 'cancelled',
      outcomes: {
        0: sent('pending', { url: 'https://a/0' }),
        1: sent('member'),
        2: refused,
        3: 'unknown',
        4: sent('expired', { url: 'https://e/4' }),
        6: sent('accepted', { url: 'https://g/6' }),
        8: sent('revoked'),
        9: refused,
        10: sent(),
      },
    });
    // Rows 5 and 7 (f, h) cancelled, 11 skipped. A later run sends h, i, j again; a revoke run revokes k's invitation.
    await seed(s, { id: 'r2', at: 20, emails: ['h@x.test', 'i@x.test', 'j@x.test'], outcomes: { 0: sent(), 1: sent(), 2: sent() } });
    await seed(s, { id: 'v1', at: 30, op: 'revoke', emails: ['k@x.test'], revoke: ['inv_r1_10'], outcomes: { 0: sent('revoked') } });

    expect(await s.rows.tally('r1')).toEqual({ failed: 1, unsent: 1, links: 3, pending: 1, expiredOrRevoked: 1, members: 1 });
    expect(await s.rows.tally('r1', [0, 1, 2, 5, 7])).toEqual({
      failed: 1,
      unsent: 1,
      links: 1,
      pending: 1,
      expiredOrRevoked: 0,
      members: 1,
    });
    expect(await s.rows.tally('r1', [])).toEqual({ failed: 0, unsent: 0, links: 0, pending: 0, expiredOrRevoked: 0, members: 0 });
    expect(await s.rows.tally('r2')).toEqual({ failed: 0, unsent: 0, links: 0, pending: 3, expiredOrRevoked: 0, members: 0 });
    expect(await s.rows.tally('v1')).toEqual({ failed: 0, unsent: 0, links: 0, pending: 0, expiredOrRevoked: 0, members: 0 });
    expect(await s.rows.links('r1')).toEqual(['https://a/0', 'https://e/4', 'https://g/6']);
    expect(await s.rows.links('r1', [6, 4, 7])).toEqual(['https://e/4', 'https://g/6']);

    const counts = Object.fromEntries(
      await Promise.all(
        (['all', 'queued', 'sent', 'failed', 'cancelled', 'skipped', 'member'] as const).map(async (f) => [f, await s.rows.count('r1', f)]),
      ),
    );
    expect(counts).toEqual({ all: 12, queued: 0, sent: 6, failed: 3, cancelled: 2, skipped: 1, member: 1 });
    expect(await s.rows.count('r1')).toBe(12);
    expect(await s.rows.ids('r1', 'sent')).toEqual([0, 1, 4, 6, 8, 10]);
    expect(await s.rows.ids('r1', 'member')).toEqual([1]);
    expect(await s.rows.ids('r1')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await s.rows.positionOf('r1', 6, 'sent')).toBe(3);
    expect(await s.rows.positionOf('r1', 2, 'sent')).toBeNull();
    expect(await s.rows.positionOf('r1', 1, 'member')).toBe(0);
    expect(await s.rows.positionOf('r1', 11)).toBe(11);
    expect(await s.rows.positionOf('r1', 99)).toBeNull();

    expect((await s.rows.page('r1', { state: 'sent', offset: 1, limit: 2 })).map((r) => r.idx)).toEqual([1, 4]);
    expect((await s.rows.page('r1', { state: 'member', offset: 0, limit: 10 })).map((r) => r.idx)).toEqual([1]);
    const all = await s.rows.page('r1', { state: 'all', offset: 0, limit: 100 });
    expect(all.filter((r) => r.sentLater).map((r) => r.idx)).toEqual([7, 8, 9]);
    expect(all[7]).toEqual({ ...(await s.history.rows('r1'))[7], sentLater: true });
    expect(all[4]).toEqual({
      idx: 4,
      sheetRow: 6,
      email: 'e@x.test',
      state: 'sent',
      invitationId: 'inv_r1_4',
      invitationStatus: 'expired',
      url: 'https://e/4',
      errorCode: null,
      message: null,
      attempts: 1,
      expiresAt: null,
    });

    // A row done with a note: the note is written with it (markSent), and the row reads as changed since then.
    await s.journal.markSent(
      'r1',
      [{ idx: 0, invitationId: 'inv_x', status: 'accepted', url: null, note: 'Already accepted: nothing to revoke' }],
      50,
    );
    expect(await s.rows.changed('r1', 50)).toEqual([expect.objectContaining({ idx: 0, message: 'Already accepted: nothing to revoke' })]);
    expect((await s.rows.changed('r1', 12)).map((r) => r.idx)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('pages: every row with its request, a page at a time, in order', async () => {
    const s = await make();
    await seed(s, {
      id: 'r1',
      at: 10,
      emails: ['a', 'b', 'c', 'd', 'e'].map((e) => `${e}@x.test`),
      skip: 2,
      outcomes: { 1: sent('pending', { url: 'https://b' }) },
    });
    const sizes: number[] = [];
    const got = [];
    for await (const page of s.rows.pages('r1', 3)) {
      sizes.push(page.length);
      got.push(...page);
    }
    expect(sizes).toEqual([3, 3, 1]);
    const rows = await s.history.rows('r1');
    const requests = await s.history.requests('r1');
    expect(got).toEqual(rows.map((r) => ({ ...r, request: requests.get(r.idx) })));
    expect(got.map((r) => r.request?.emailAddress ?? null)).toEqual([
      'a@x.test',
      'b@x.test',
      'c@x.test',
      'd@x.test',
      'e@x.test',
      null,
      null,
    ]);
    const exact: unknown[] = [];
    for await (const page of s.rows.pages('r1', 7)) exact.push(page.length);
    expect(exact).toEqual([7]);
  });
});
