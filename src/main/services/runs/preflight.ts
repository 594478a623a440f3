/** The review's and the dry run's pre-flight: dev email cap (local count), org capacity and pending org invitations. */
import { emailKey } from '../../../shared/domain/email.ts';
import { DEV_MONTHLY_EMAILS, type Preflight, type RowRef } from '../../../shared/domain/send/preflight.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { orgRoles } from '../orgRoles.ts';
import type { JournalPort } from './engine/ports.ts';

export type PreflightInput = {
  environment: 'development' | 'production';
  instanceId: string;
  organizationId: string | null;
  rows: { sheetRow: number; email: string; request: RowRequest | null }[];
  now: number;
};

const isTest = (email: string) => /\+clerk_test@/i.test(email);
/** Clerk's month: the calendar month (UTC). */
export const monthStart = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

export async function preflight(
  journal: Pick<JournalPort, 'emailsSince'>,
  client: () => Promise<ClerkClient>,
  input: PreflightInput,
): Promise<Preflight> {
  const toSend = input.rows.filter((r): r is typeof r & { request: RowRequest } => r.request !== null);
  const ref = (r: { sheetRow: number; email: string }): RowRef => ({ row: r.sheetRow, email: r.email });
  let emailCap: Preflight['emailCap'] = null;
  if (input.environment === 'development') {
    const used = await journal.emailsSince(input.instanceId, monthStart(input.now));
    const emailing = toSend.filter((r) => r.request.notify && !isTest(r.email));
    const left = Math.max(0, DEV_MONTHLY_EMAILS - used);
    emailCap = {
      limit: DEV_MONTHLY_EMAILS,
      usedThisMonth: used,
      emailing: emailing.length,
      testAddresses: toSend.filter((r) => r.request.notify && isTest(r.email)).length,
      noEmail: emailing.slice(left).map(ref),
    };
  }
  const result: Preflight = { emailCap, orgCapacity: null, pendingOrg: [], unknownRoles: [], roleSet: null, error: null };
  if (!input.organizationId) return result;
  try {
    const c = await client();
    const org = await c.getOrganization(input.organizationId);
    const pending = new Map<string, { id: string; role: string }>();
    for (let offset = 0; ; offset += 500) {
      const page = await c.listOrganizationInvitations(input.organizationId, { status: 'pending', limit: 500, offset });
      for (const inv of page.data) pending.set(emailKey(inv.emailAddress), { id: inv.id, role: inv.role });
      if (page.data.length < 500) break;
    }
    // Roles the organization's set lacks: Clerk refuses those rows (role_not_found), and they take no seat.
    const { roles } = await orgRoles(c, org);
    const known = new Set(roles.map((r) => r.key));
    if (known.size > 0) {
      result.roleSet = [...known];
      result.unknownRoles = toSend.flatMap((r) =>
        r.request.role !== undefined && !known.has(r.request.role) ? [{ ...ref(r), role: r.request.role }] : [],
      );
    }
    const refused = new Set(result.unknownRoles.map((r) => r.row));
    result.pendingOrg = toSend.flatMap((r) => {
      const p = pending.get(emailKey(r.email));
      return p ? [{ ...ref(r), invitationId: p.id, role: p.role }] : [];
    });
    if (org.maxAllowedMemberships > 0) {
      const members = org.membersCount ?? 0;
      const pendingCount = org.pendingInvitationsCount ?? pending.size;
      const needSeat = toSend.filter((r) => !pending.has(emailKey(r.email)) && !refused.has(r.sheetRow));
      const fit = Math.max(0, org.maxAllowedMemberships - members - pendingCount);
      result.orgCapacity = {
        max: org.maxAllowedMemberships,
        members,
        pending: pendingCount,
        needSeat: needSeat.length,
        fit: Math.min(fit, needSeat.length),
        over: needSeat.slice(fit).map(ref),
      };
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  return result;
}
