/** Issue 13: a sheet-level problem is listed once, and still refuses to send every row it concerns. */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('sheet-level problems', () => {
  it('an organization sheet with no organization picked is reviewed as nothing to send, and refused', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const created = await dispatch(s.handlers, 'sheets:create', {
      name: 'No org',
      settings: { ...defaultSettings(), kind: 'org', role: 'org:member' },
      columns: [{ id: 'e', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: [['ana@acme.test'], ['bo@acme.test']],
    });
    if (!created.ok) throw new Error(created.error.message);
    const sheetId = (created.value as { id: string }).id;
    const review = await dispatch(s.handlers, 'runs:review', { sheetId, profileId: 'sandbox' });
    expect(review).toMatchObject({
      ok: true,
      value: {
        toSend: 0,
        skipped: [{ reason: expect.stringMatching(/^Pick an organization/), rows: [0, 1] }],
        what: { facts: [], sample: null },
      },
    });
    expect(await dispatch(s.handlers, 'runs:start', { sheetId, profileId: 'sandbox' })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send' },
    });
  });
});
