/**
 * An unknown run or profile is an error, not "ok, nothing" (issue 20, item 10): runs:tally, runs:links and
 * runs:rowIds with an unknown run, and history:sync with an unknown profile, answered ok with empty results.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('unknown ids', () => {
  it('runs:tally, runs:links and runs:rowIds of an unknown run: run_not_found', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const runId = randomUUID();
    const gone = {
      ok: false,
      error: {
        code: 'run_not_found',
        message: 'That run no longer exists: it was deleted from the history meanwhile (by retention, or with its profile).',
      },
    };
    expect(await dispatch(s.handlers, 'runs:tally', { runId, rows: [0] })).toEqual(gone);
    expect(await dispatch(s.handlers, 'runs:links', { runId })).toEqual(gone);
    expect(await dispatch(s.handlers, 'runs:rowIds', { runId })).toEqual(gone);
  });

  it('history:sync of an unknown profile: profile_not_found', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    expect(await dispatch(s.handlers, 'history:sync', { profileId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'profile_not_found' },
    });
    // The Sandbox, which has no run yet, is known: nothing to sync is an answer there.
    expect(await dispatch(s.handlers, 'history:sync', { profileId: 'sandbox' })).toMatchObject({ ok: true, value: { runs: 0 } });
  });
});
