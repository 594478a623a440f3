/**
 * A revoke sends no email: on a development instance past its monthly email cap, revoked rows must not say
 * "Invitation created, but Clerk sent no email" (the note is for invitations created without their email).
 */
import { describe, expect, it } from 'vitest';
import { createRunEngine } from '../../../src/main/services/runs/engine.ts';
import { fakeClerk } from '../../helpers/fakeClerk.ts';
import { memoryRunStore } from '../../helpers/memoryRunStore.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { newRun } from '../../helpers/newRun.ts';

const run = (id: string, op: 'create' | 'revoke', emails: string[], revokeIds: string[] = []) =>
  newRun(
    id,
    emails.map((e, i) => ({ ...appRequest(e, { notify: true }), ...(revokeIds[i] ? { revokeInvitationId: revokeIds[i] } : {}) })),
    { op, profileName: 'Dev', windowMs: 10_000 },
  );

describe('development email cap notes', () => {
  it('name the invitations created past the cap, never the revoked ones', async () => {
    const store = memoryRunStore();
    const clerk = fakeClerk();
    const engine = createRunEngine({ store, clientFor: async () => clerk.client, emit: () => {}, limits: { 'app.single': 0 } });
    const emails = Array.from({ length: 105 }, (_, i) => `cap${i}@dev.test`);
    await engine.launch(run('create', 'create', emails));
    await engine.settled('create');
    expect((await store.runs.get('create'))?.counts.sent).toBe(105);
    const ids = clerk.invitations.slice(0, 3).map((i) => i.id);
    await engine.launch(run('revoke', 'revoke', emails.slice(0, 3), ids));
    await engine.settled('revoke');
    expect((await store.runs.get('revoke'))?.counts.sent).toBe(3);
    expect(store.messages('revoke')).toEqual([null, null, null]);
    expect(store.messages('create').filter((m) => m?.startsWith('Invitation created, but Clerk sent no email'))).toHaveLength(5);
  });

  it('the note is written with the row: a process killed right after the row is journaled sent does not lose it', async () => {
    const store = memoryRunStore();
    const clerk = fakeClerk();
    const engine = createRunEngine({ store, clientFor: async () => clerk.client, emit: () => {}, limits: { 'app.single': 0 } });
    const emails = Array.from({ length: 105 }, (_, i) => `cap${i}@dev.test`);
    await engine.launch(run('first', 'create', emails.slice(0, 100)));
    await engine.settled('first');
    // The next run's rows are past the cap; the process is killed right after they are journaled sent.
    let killed = () => {};
    const kill = new Promise<void>((resolve) => (killed = resolve));
    const markSent = store.journal.markSent.bind(store.journal);
    store.journal.markSent = async (...args) => {
      await markSent(...args);
      killed();
      return new Promise<void>(() => {}); // the process is gone: nothing after this write happens
    };
    void engine.launch(run('past', 'create', emails.slice(100)));
    await kill;
    expect(store.messages('past').every((m) => m?.startsWith('Invitation created, but Clerk sent no email'))).toBe(true);
  });
});
