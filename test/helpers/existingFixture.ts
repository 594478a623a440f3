/**
 * Sheets some of whose people already have an account in the emulator, sent through the real main services
 * (test/main/runs/existingUsers.test.ts, test/main/history/memberRows.test.ts).
 */
import { afterEach } from 'vitest';
import { addOrg, addUser } from '../../src/main/emulator/store.ts';
import type { ClerkEmulator } from '../../src/main/emulator/server.ts';
import { dispatch } from '../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../src/main/services/secrets/secretStore.ts';
import type { ReviewProgress, RunRowView } from '../../src/shared/domain/send/types.ts';
import { defaultSettings, type SheetColumn } from '../../src/shared/domain/sheet/types.ts';
import { makeServices } from './mainServices.ts';
import { ok } from './result.ts';

export const columns: SheetColumn[] = [
  { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
  { id: 'c1', header: 'team', target: { kind: 'meta', scope: 'public', path: 'team', type: 'string' } },
];

export function existingFixture(emu: { readonly current: ClerkEmulator }) {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    Object.assign(emu.current.behaviour, { existingUser: 'form_identifier_exists' });
    emu.current.faults.clear();
  });
  let n = 0;

  /** A sheet of `rows` addresses, of which those at `existing` positions have an account (created on 2024-03-03). */
  async function setup(kind: 'app' | 'org', rows: number, existing: (i: number) => boolean) {
    const e = emu.current;
    const tag = `s${++n}${Math.random().toString(36).slice(2, 6)}`;
    const progress: ReviewProgress[] = [];
    const s = makeServices(createMemorySecretStore(), (event, payload) => {
      if (event === 'runs:reviewProgress') progress.push(payload as ReviewProgress);
    });
    open.push(s);
    const profile = await s.profiles.add({ name: `Emu ${tag}`, secretKey: e.instance.secretKey, baseUrl: e.apiUrl });
    const org = addOrg(e.instance, { name: `Org ${tag}`, maxAllowedMemberships: 0 }, Date.now());
    const emails = Array.from({ length: rows }, (_, i) => `${tag}-p${i}@existing.test`);
    const users = new Map(
      emails.flatMap((m, i) => (existing(i) ? [[m, addUser(e.instance, { emailAddress: m, createdAt: Date.UTC(2024, 2, 3) })]] : [])),
    );
    const settings = { ...defaultSettings(kind), notify: true, ...(kind === 'org' ? { organizationId: org.id, role: 'org:member' } : {}) };
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', { name: tag, settings, columns, rows: emails.map((m) => [m, 'ops']) }),
    );
    const usersCalls = () => e.requests.filter((r) => r.method === 'GET' && r.path === '/v1/users').length;
    const args = { sheetId: sheet.id, profileId: profile.id };
    const rowsOf = async (runId: string) => {
      await s.engine.settled(runId);
      return ok<{ rows: RunRowView[]; progress: { state: string } }>(await dispatch(s.handlers, 'runs:get', { runId, limit: 500 }));
    };
    return { s, e, org, emails, users, args, usersCalls, rowsOf, progress, tag };
  }
  return { setup, ok };
}
