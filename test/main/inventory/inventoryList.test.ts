/**
 * The Invitations page's reads (issue 25, item 1): search by email or domain, each filter, “sent by run …” or made
 * outside Invite Desk, a window at a time, every shown row's id, and the CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrg } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { inventoryFixture } from '../../helpers/inventoryFixture.ts';

const DAY = 86_400_000;
const emu = useEmulator({ rateLimits: { enabled: false } });
let f: ReturnType<typeof inventoryFixture>;
let ours: string[];

beforeAll(async () => {
  const instance = emu.current.addInstance({ environment: 'production' });
  addOrg(instance, { name: 'Open Org', maxAllowedMemberships: 0 }, Date.now());
  emu.current.seedOutside({ count: 1200, domains: ['acme.com', 'eu.acme.com', 'globex.example'] }, instance);
  f = inventoryFixture(emu.current, instance);
  await f.service.sync('p1');
  // A run of ours sent 50 of them (its rows hold their ids); a revoke run's rows never count as “sent by”.
  ours = instance.invitations.slice(0, 50).map((x) => x.id);
  f.db
    .exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at, op)
             VALUES ('run1', 'p1', 'Prod', 'production', '${instance.id}', 'app', 'Spring campaign', '{}', 'finished', 1, 1, 'create'),
                    ('run2', 'p1', 'Prod', 'production', '${instance.id}', 'app', 'Cleanup', '{}', 'finished', 1, 2, 'revoke')`);
  const row = f.db.prepare(
    "INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, invitation_id, updated_at) VALUES (?, ?, ?, 'x@y', 'x@y', '{}', 'sent', ?, 0)",
  );
  ours.forEach((id, i) => row.run('run1', i, i, id));
  row.run('run2', 0, 0, instance.invitations[60]!.id);
  // Recorded after the copy held them (the run ran beside the first sync): the next sync links them.
  await f.service.sync('p1');
});
afterAll(() => f.close());

const list = (q: object = {}) => f.service.list({ profileId: 'p1', limit: 1000, ...q });

describe('the Invitations page’s reads', () => {
  it('shows newest first, a window at a time, with the whole count', () => {
    const all = list();
    expect(all.all).toBe(1200);
    expect(all.total).toBe(1200);
    const window = list({ offset: 100, limit: 20 });
    expect(window.rows.map((r) => r.id)).toEqual(all.rows.slice(100, 120).map((r) => r.id));
    const times = all.rows.map((r) => r.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('searches by domain (subdomains included) or by part of an address', () => {
    const acme = list({ search: '@acme.com' }).rows;
    expect(acme.length).toBeGreaterThan(0);
    expect(acme.every((r) => /@(eu\.)?acme\.com$/.test(r.email))).toBe(true);
    expect(acme.some((r) => r.email.endsWith('@eu.acme.com'))).toBe(true);
    expect(list({ search: 'globex.example' }).rows.every((r) => r.email.endsWith('@globex.example'))).toBe(true);
    const one = list().rows[7]!;
    expect(list({ search: one.email.toUpperCase() }).rows.map((r) => r.id)).toEqual([one.id]);
    expect(list({ search: '100%_' }).total).toBe(0); // LIKE's wildcards are literal
  });

  it('filters by status, kind, organization, age and expiry within N days', () => {
    const now = Date.now();
    const revoked = list({ status: ['revoked'] });
    expect(revoked.total).toBeGreaterThan(0);
    expect(revoked.rows.every((r) => r.status === 'revoked')).toBe(true);
    const org = list({ kind: 'org' });
    expect(org.rows.every((r) => r.kind === 'org' && r.organizationName === 'Open Org')).toBe(true);
    expect(list({ organizationId: org.rows[0]!.organizationId! }).total).toBe(org.total);
    expect(list({ olderThanDays: 30 }).rows.every((r) => r.createdAt <= now - 30 * DAY)).toBe(true);
    const soon = list({ expiringWithinDays: 7 }).rows;
    expect(soon.length).toBeGreaterThan(0);
    expect(soon.every((r) => r.status === 'pending' && r.expiresAt! > now && r.expiresAt! <= now + 7 * DAY + 1000)).toBe(true);
    const combined = list({ status: ['pending'], kind: 'app', olderThanDays: 10 });
    expect(combined.rows.every((r) => r.status === 'pending' && r.kind === 'app')).toBe(true);
  });

  it('says which run sent an invitation, and tells ours from those made outside', () => {
    const mine = list({ origin: 'ours' });
    expect(mine.total).toBe(50);
    expect(new Set(mine.rows.map((r) => r.id))).toEqual(new Set(ours));
    expect(mine.rows.every((r) => r.runId === 'run1' && r.runName === 'Spring campaign')).toBe(true);
    const outside = list({ origin: 'outside' });
    expect(outside.total).toBe(1150);
    expect(outside.rows.every((r) => r.runId === null)).toBe(true);
  });

  it('gives every shown row’s id, and exports a selection or a filter as CSV', () => {
    const filter = { status: ['accepted' as const], kind: 'app' as const };
    const ids = f.service.ids('p1', filter);
    expect(ids.length).toBe(list(filter).total);
    const csv = f.service.exportCsv('p1', { filter: { origin: 'ours' } }).csv;
    expect(csv.startsWith('\ufeff')).toBe(true); // Excel reads accents right
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('email,status,kind,organization,role,created_at,expires_at,sent_by,invitation_id,public_metadata');
    expect(lines).toHaveLength(51);
    expect(lines[1]).toContain('run “Spring campaign”');
    expect(() => f.service.exportCsv('p1', { ids: [] })).toThrow(/No invitation is selected/);
  });

  it('insights: the acceptance curve, pending by age, expiring soon, by domain and by a metadata key add up; per run too', () => {
    const all = { rows: [...list().rows, ...list({ offset: 1000 }).rows] };
    expect(all.rows).toHaveLength(1200);
    const now = Date.now();
    const ins = f.service.insights({ profileId: 'p1' });
    expect(ins.total).toBe(1200);
    expect(ins.curve.reduce((n, d) => n + d.sent, 0)).toBe(1200);
    const accepted = all.rows.filter((r) => r.status === 'accepted').length;
    expect(ins.curve.at(-1)!.acceptedTotal).toBe(accepted);
    const live = all.rows.filter((r) => r.status === 'pending' && r.expiresAt! > now).length;
    expect(ins.pendingByAge.reduce((n, b) => n + b.count, 0)).toBe(live);
    expect(ins.expiring.reduce((n, d) => n + d.count, 0)).toBe(list({ expiringWithinDays: 14 }).total);
    expect(ins.byDomain.reduce((n, d) => n + d.total, 0)).toBe(1200);
    expect(ins.metadataKeys).toEqual(['team']);
    expect(ins.byMetadata.map((m) => m.label).sort()).toEqual(['eng', 'ops', 'sales', 'support']);
    expect(ins.byMetadata.reduce((n, m) => n + m.accepted, 0)).toBe(accepted);
    expect(f.service.insights({ profileId: 'p1', runId: 'run1' }).total).toBe(50);
    expect(ins.runs).toEqual([{ id: 'run1', name: 'Spring campaign' }]); // the revoke run sent nothing
  });
});
