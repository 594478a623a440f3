/** The review and the dry run warn, with numbers, about what Clerk will do without an error. */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { preflightNotes, type Preflight } from '../../../src/shared/domain/send/preflight.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

describe('pre-flight', () => {
  it('development instances: invitation emails counted locally this month; the rows past 100 are named; +clerk_test exempt', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const sheet = async (name: string, rows: string[][]) =>
      ok<{ id: string }>(
        await dispatch(s.handlers, 'sheets:create', { name, settings: { ...defaultSettings(), notify: true }, columns, rows }),
      );
    const first = await sheet(
      'Earlier',
      Array.from({ length: 98 }, (_, i) => [`early${i}@cap.test`]),
    );
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: first.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);

    const next = await sheet('Next', [['n0@cap.test'], ['n1+clerk_test@cap.test'], ['n2@cap.test'], ['n3@cap.test'], ['n4@cap.test']]);
    const review = ok<{ preflight: Preflight }>(await dispatch(s.handlers, 'runs:review', { sheetId: next.id, profileId: 'sandbox' }));
    expect(review.preflight.emailCap).toEqual({
      limit: 100,
      usedThisMonth: 98,
      emailing: 4,
      testAddresses: 1,
      noEmail: [
        { row: 3, email: 'n3@cap.test' },
        { row: 4, email: 'n4@cap.test' },
      ],
    });
    const note = preflightNotes(review.preflight).find((n) => n.id === 'email-cap')!;
    expect(note.level).toBe('warn');
    expect(note.text).toMatch(
      /98 of 100 emails sent this month, this run would send 4\. 2 invitations will be created without an email \(rows 4, 5\)/,
    );
    expect(note.text).toMatch(/\+clerk_test addresses are exempt/);
    const dry = ok<{ preflight: Preflight }>(await dispatch(s.handlers, 'runs:dryRun', { sheetId: next.id, profileId: 'sandbox' }));
    expect(dry.preflight.emailCap?.noEmail).toHaveLength(2);

    // Sent anyway: Clerk answers 200 for all five, and the two rows past the cap say they got no email.
    const second = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: next.id, profileId: 'sandbox' }));
    await s.engine.settled(second.runId);
    const got = ok<{ rows: { email: string; state: string; message: string | null }[] }>(
      await dispatch(s.handlers, 'runs:get', { runId: second.runId }),
    );
    expect(got.rows.every((r) => r.state === 'sent')).toBe(true);
    expect(got.rows.filter((r) => r.message?.includes('Clerk sent no email')).map((r) => r.email)).toEqual(['n3@cap.test', 'n4@cap.test']);
  });

  it('organization capacity and pending org invitations: how many rows fit, said before anything is sent', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const { baseUrl, secretKey } = await s.profiles.secretFor('sandbox');
    const client = createClerkClient({ baseUrl, secretKey });
    const tiny = (await client.listOrganizations({ query: 'Tiny' })).data[0]!; // 5 seats, 1 admin
    await client.createOrganizationInvitation(tiny.id, { emailAddress: 'p3@cap.test', role: 'org:member', notify: false });
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Tiny team',
        settings: {
          ...defaultSettings('org'),
          organizationId: tiny.id,
          organizationName: 'Tiny Startup',
          role: 'org:admin',
          notify: false,
        },
        columns,
        rows: Array.from({ length: 8 }, (_, i) => [`p${i}@cap.test`]),
      }),
    );
    const review = ok<{ preflight: Preflight }>(await dispatch(s.handlers, 'runs:review', { sheetId: sheet.id, profileId: 'sandbox' }));
    expect(review.preflight.orgCapacity).toMatchObject({ max: 5, members: 1, pending: 1, needSeat: 7, fit: 3 });
    expect(review.preflight.orgCapacity!.over.map((r) => r.email)).toEqual(['p4@cap.test', 'p5@cap.test', 'p6@cap.test', 'p7@cap.test']);
    expect(review.preflight.pendingOrg).toMatchObject([{ row: 3, email: 'p3@cap.test', role: 'org:member' }]);
    const notes = preflightNotes(review.preflight);
    expect(notes.find((n) => n.id === 'org-capacity')?.text).toMatch(
      /1 member \+ 1 pending invitation of 5 allowed, so 3 of 7 new invitations fit\. 4 will fail .*rows 5, 6, 7, 8/,
    );
    expect(notes.find((n) => n.id === 'pending-org')?.text).toMatch(/role and metadata in this sheet are NOT applied/);
    const dry = ok<{ preflight: Preflight }>(await dispatch(s.handlers, 'runs:dryRun', { sheetId: sheet.id, profileId: 'sandbox' }));
    expect(dry.preflight.orgCapacity?.fit).toBe(3);
  });
});
