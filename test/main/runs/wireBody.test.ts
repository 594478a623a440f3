/**
 * Issue 13: the review and the sheet preview show each row's body under Clerk's wire names, exactly as sent. The
 * engine's requests are captured on the wire and compared with wireBody, the function the previews use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addOrg } from '../../../src/main/emulator/store.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { wireBody } from '../../../src/shared/domain/send/wire.ts';
import type { RunReview } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { appRequest, engineOnEmulator } from '../../helpers/runFixture.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('wire bodies', () => {
  it('the engine sends, single and bulk, application and organization, exactly wireBody of each row', async () => {
    const bodies: unknown[] = [];
    const capture: typeof fetch = (input, init) => {
      if (init?.method === 'POST' && typeof init.body === 'string') bodies.push(JSON.parse(init.body));
      return fetch(input, init);
    };
    const { emulator, fx } = await engineOnEmulator(cleanups, { fetch: capture });
    const org = addOrg(emulator.instance, { name: 'Wire Co' }, Date.now());
    const app = [
      appRequest('a@wire.test', { notify: true, expiresInDays: 7, redirectUrl: 'https://x.test/welcome', templateSlug: 'invitation' }),
      ...Array.from({ length: 11 }, (_, i) => appRequest(`b${i}@wire.test`, { publicMetadata: { n: i } })),
    ];
    const orgRows = [
      appRequest('o1@wire.test', { organizationId: org.id, role: 'org:member', privateMetadata: { seat: 3 } }),
      appRequest('o2@wire.test', { organizationId: org.id, role: 'org:admin' }),
    ];
    for (const [rows, kind] of [
      [app, 'app'],
      [orgRows, 'org'],
    ] as const) {
      const id = fx.createRun([...rows], { kind, windowMs: 60_000, instanceId: emulator.instance.id });
      await fx.engine.start(id);
      await fx.engine.settled(id);
      expect(fx.repo.get(id)!.counts.sent).toBe(rows.length);
    }
    const sent = bodies.flatMap((b) => (Array.isArray(b) ? b : [b]));
    const expected = [...app.map((r) => wireBody(r, 'app')), ...orgRows.map((r) => wireBody(r, 'org'))];
    const byEmail = (xs: unknown[]) =>
      [...xs].sort((x, y) =>
        String((x as { email_address: string }).email_address).localeCompare((y as { email_address: string }).email_address),
      );
    expect(byEmail(sent)).toEqual(byEmail(expected));
    expect(wireBody(app[0]!, 'app')).toEqual({
      email_address: 'a@wire.test',
      public_metadata: { source: 'test' },
      redirect_url: 'https://x.test/welcome',
      notify: true,
      ignore_existing: false,
      expires_in_days: 7,
      template_slug: 'invitation',
    });
  });

  it('the review says what the invitations will say, under wire names, with the first row exactly as sent', async () => {
    const s = makeServices(createMemorySecretStore());
    cleanups.push(() => s.close());
    const columns: SheetColumn[] = [
      { id: 'e', header: 'Email', target: { kind: 'field', field: 'email' } },
      { id: 't', header: 'public.team', target: { kind: 'meta', scope: 'public', path: 'team', type: 'string' } },
      { id: 'x', header: 'Expires', target: { kind: 'field', field: 'expires_in_days' } },
    ];
    const created = await dispatch(s.handlers, 'sheets:create', {
      name: 'Review',
      settings: { ...defaultSettings(), notify: false, ignoreExisting: true, redirectUrl: 'https://app.test/in', expiresInDays: '14' },
      columns,
      rows: [
        ['ana@review.test', 'Ops', ''],
        ['bo@review.test', '', '3'],
        ['cy@review.test', 'Eng', ''],
      ],
    });
    if (!created.ok) throw new Error(created.error.message);
    const r = await dispatch(s.handlers, 'runs:review', { sheetId: (created.value as { id: string }).id, profileId: 'sandbox' });
    if (!r.ok) throw new Error(r.error.message);
    const what = (r.value as RunReview).what;
    expect(Object.fromEntries(what.facts.map((f) => [f.wire, f.value]))).toEqual({
      notify: 'no',
      ignore_existing: 'yes',
      expires_in_days: 'varies by row: 14 days (2), 3 days (1)',
      redirect_url: '“https://app.test/in”',
      template_slug: 'not sent: invitation',
      public_metadata: 'keys team (2 rows)',
    });
    expect(what.sample).toEqual({
      sheetRow: 0,
      body: {
        email_address: 'ana@review.test',
        public_metadata: { team: 'Ops' },
        redirect_url: 'https://app.test/in',
        notify: false,
        ignore_existing: true,
        expires_in_days: 14,
      },
    });
  });
});
