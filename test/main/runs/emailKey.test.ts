/** Capitals beyond ASCII: `JOSÉ@…` sent, then `josé@…` imported, is one person to the review, the search and Clerk. */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { emailKey } from '../../../src/shared/domain/email.ts';
import type { HistoryHit, RunReview } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

// Two differ from their later spelling beyond ASCII (É/é, Å/å); the third only in an ASCII capital.
const SENT = ['JOSÉ@acme.test', 'ÅSA.Öst@acme.test', 'Zoë@acme.test'];
const LATER = ['josé@acme.test', 'åsa.öst@ACME.test', 'zoë@acme.test'];

describe('one email key for every comparison', () => {
  it('the review finds all 3 earlier invitations, nothing goes twice with ignore_existing, and search finds them by any case', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const sheet = async (name: string, rows: string[]) =>
      ok<{ id: string }>(
        await dispatch(s.handlers, 'sheets:create', {
          name,
          settings: { ...defaultSettings(), notify: false, ignoreExisting: true },
          columns,
          rows: rows.map((e) => [e]),
        }),
      ).id;
    const first = ok<{ runId: string }>(
      await dispatch(s.handlers, 'runs:start', { sheetId: await sheet('Caps', SENT), profileId: 'sandbox' }),
    );
    await s.engine.settled(first.runId);

    const later = await sheet('Small letters', LATER);
    const review = ok<RunReview>(await dispatch(s.handlers, 'runs:review', { sheetId: later, profileId: 'sandbox' }));
    expect(review.history.map((g) => [g.key, g.rows.length])).toEqual([['pending', 3]]);
    expect(review.toSend).toBe(0);
    expect(await dispatch(s.handlers, 'runs:start', { sheetId: later, profileId: 'sandbox' })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send' },
    });
    const emu = s.sandboxEmulator()!;
    const per = new Map<string, number>();
    for (const i of emu.instance.invitations) per.set(emailKey(i.emailAddress), (per.get(emailKey(i.emailAddress)) ?? 0) + 1);
    expect(LATER.map((e) => per.get(emailKey(e)))).toEqual([1, 1, 1]);

    const found = async (q: string) =>
      ok<HistoryHit[]>(await dispatch(s.handlers, 'history:search', { email: q }))
        .map((h) => h.email)
        .sort();
    expect(await found('josé')).toEqual(['JOSÉ@acme.test']);
    expect(await found('JOSÉ@ACME')).toEqual(['JOSÉ@acme.test']);
    // A combining accent typed (e + U+0301) is the same letter.
    expect(await found('jose\u0301@')).toEqual(['JOSÉ@acme.test']);
    expect(await found('åsa.ö')).toEqual(['ÅSA.Öst@acme.test']);
    expect(await found('ZOË')).toEqual(['Zoë@acme.test']);
  });
});
