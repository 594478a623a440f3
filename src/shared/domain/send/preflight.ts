/**
 * Pre-flight: what Clerk will do with a run that it will not say by an error (API.md's corrections). Shown in
 * the review and the dry run, with numbers, before anything is sent.
 */
import { noun, plural } from '../../plural.ts';

export const DEV_MONTHLY_EMAILS = 100;

export type RowRef = { row: number; email: string };

export type Preflight = {
  /** Development instances: Clerk sends at most 100 invitation emails a calendar month, then creates silently. */
  emailCap: {
    limit: number;
    /** Emails this app sent from this instance this month (others, e.g. the Dashboard's, are not known here). */
    usedThisMonth: number;
    /** Rows of this run that would send an email (notify on, not a +clerk_test address). */
    emailing: number;
    /** `+clerk_test` addresses: never emailed, never counted. */
    testAddresses: number;
    /** Rows past the cap: the invitation is created, the email is not sent. */
    noEmail: RowRef[];
  } | null;
  /** Organization runs: members + pending invitations against `max_allowed_memberships`. */
  orgCapacity: {
    max: number;
    members: number;
    pending: number;
    /** Rows that need a new seat (rows with a pending invitation reuse it). */
    needSeat: number;
    fit: number;
    /** Rows that will fail with organization_membership_quota_exceeded. */
    over: RowRef[];
  } | null;
  /** Emails with a pending invitation to this organization: Clerk reuses it, without the new role or metadata. */
  pendingOrg: (RowRef & { invitationId: string; role: string })[];
  /** Rows whose role the organization's role set lacks: Clerk refuses them with role_not_found. */
  unknownRoles: (RowRef & { role: string })[];
  /** The organization's role keys, when known. */
  roleSet: string[] | null;
  /** Why the Clerk-side checks could not be made (offline, key refused); the local ones still are. */
  error: string | null;
};

const rows = (r: RowRef[]) => {
  const shown = r.slice(0, 8).map((x) => x.row + 1);
  return `${noun(r.length, 'row')} ${shown.join(', ')}${r.length > 8 ? ` and ${r.length - 8} more` : ''}`;
};

export type PreflightNote = {
  id: 'email-cap' | 'org-capacity' | 'unknown-roles' | 'pending-org' | 'preflight-error';
  level: 'warn' | 'info';
  text: string;
};

/**
 * Rows the pre-flight says Clerk will refuse (no seat left in the organization, a role its set lacks), each with the
 * reason: the review's default is to leave them out, and a run started that way skips them saying why.
 */
export function predictedFailures(p: Preflight): Map<number, string> {
  const out = new Map<number, string>();
  for (const r of p.unknownRoles)
    out.set(r.row, `Not sent: role “${r.role}” is not in the organization’s role set (${(p.roleSet ?? []).join(', ')})`);
  const o = p.orgCapacity;
  if (o)
    for (const r of o.over)
      out.set(
        r.row,
        `Not sent: the organization had room for ${plural(o.fit, 'more member')} (${o.members} members + ${o.pending} pending of ${o.max}); raise its limit in Clerk, then send this row`,
      );
  return out;
}

/** The pre-flight in words, warnings first. */
export function preflightNotes(p: Preflight): PreflightNote[] {
  const out: PreflightNote[] = [];
  const c = p.emailCap;
  if (c && c.noEmail.length > 0) {
    out.push({
      id: 'email-cap',
      level: 'warn',
      text:
        `Development instance email cap: ${c.usedThisMonth} of ${c.limit} emails sent this month, this run would send ${c.emailing}. ` +
        `${plural(c.noEmail.length, 'invitation')} will be created without an email (${rows(c.noEmail)}); Clerk reports no error. ` +
        `Copy their accept links from the run, turn “notify” off, or use a production instance.` +
        (c.testAddresses ? ` ${c.testAddresses} +clerk_test addresses are exempt.` : ' +clerk_test addresses are exempt.'),
    });
  } else if (c && c.emailing > 0) {
    out.push({
      id: 'email-cap',
      level: 'info',
      text: `Development instance email cap: ${c.usedThisMonth} of ${c.limit} emails sent this month; this run sends ${c.emailing}, within the cap.`,
    });
  }
  const o = p.orgCapacity;
  if (o && o.over.length > 0) {
    out.push({
      id: 'org-capacity',
      level: 'warn',
      text:
        `Organization capacity: ${plural(o.members, 'member')} + ${plural(o.pending, 'pending invitation')} of ${o.max} allowed, so ${o.fit} of ${plural(o.needSeat, 'new invitation')} fit. ` +
        `${o.over.length} will fail with “membership quota exceeded” (${rows(o.over)}): raise the limit in Clerk first, or send only the rows that fit.`,
    });
  } else if (o) {
    out.push({
      id: 'org-capacity',
      level: 'info',
      text: `Organization capacity: ${plural(o.members, 'member')} + ${o.pending} pending of ${o.max} allowed; ${o.needSeat === 1 ? 'the new invitation fits' : `all ${plural(o.needSeat, 'new invitation')} fit`}.`,
    });
  }
  if (p.unknownRoles.length > 0) {
    const u = p.unknownRoles;
    const named = [...new Set(u.map((r) => `“${r.role}”`))].slice(0, 4).join(', ');
    out.push({
      id: 'unknown-roles',
      level: 'warn',
      text:
        `${plural(u.length, 'row')} ${u.length === 1 ? 'has a role' : 'have roles'} the organization’s role set lacks (${named}; ${rows(u)}): ` +
        `Clerk would refuse ${u.length === 1 ? 'it' : 'them'} (role_not_found). Its roles: ${(p.roleSet ?? []).join(', ')}.`,
    });
  }
  if (p.pendingOrg.length > 0) {
    out.push({
      id: 'pending-org',
      level: 'warn',
      text:
        `${plural(p.pendingOrg.length, 'email')} already ${p.pendingOrg.length === 1 ? 'has' : 'have'} a pending invitation to this organization (${rows(p.pendingOrg)}). ` +
        `Clerk reuses it and sends its email again: the role and metadata in this sheet are NOT applied. Revoke those first to change them.`,
    });
  }
  if (p.error) out.push({ id: 'preflight-error', level: 'warn', text: `Could not check with Clerk: ${p.error}` });
  return out;
}
