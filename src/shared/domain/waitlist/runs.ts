/** Waitlist runs in words and lanes: their names in the runs list, the lane each takes, what each pace assumes. */
import { CLERK_LIMITS, GENERAL_LANE, type Lane } from '../send/limits.ts';
import type { WaitlistPace } from '../sheet/validate.ts';
import type { WaitlistAction, WaitlistSelection } from './types.ts';

/** Invites on the invitation budget: 100 an hour (the single-invitation endpoint's ledger, which they would share). */
export const WAITLIST_BUDGET_LANE: Lane = CLERK_LIMITS['app.single'];
/** Adds: up to 50 addresses a call, on the general limit. */
export const WAITLIST_BULK_LANE: Lane = { ...GENERAL_LANE, itemsPerCall: 50 };

export const waitlistPlanLane = (action: WaitlistAction, pace: WaitlistPace): Lane =>
  action === 'add' ? WAITLIST_BULK_LANE : action === 'invite' && pace === 'invitations' ? WAITLIST_BUDGET_LANE : GENERAL_LANE;

export const PACE_NOTE: Record<WaitlistPace, string> = {
  invitations:
    'Paced at 100 invites an hour: Clerk may count each waitlist invite against its hourly invitation budget (unknown), so this pace never draws a 429 either way.',
  general:
    'Paced on Clerk’s general limit (90 requests per 10 s), which is all Clerk documents for the waitlist. If Clerk also counts invites against the 100-an-hour invitation budget, it will answer 429 after 100 and the run waits as Clerk asks.',
};

/** The pace of rejects and adds: the general limit is all they draw. */
export const GENERAL_NOTE = 'Paced on Clerk’s general limit (90 requests per 10 s, leaving room for the app’s other calls).';

const VERB: Record<WaitlistAction, string> = { invite: 'invite', reject: 'reject', add: 'add' };

function describe(sel: WaitlistSelection): string {
  switch (sel.kind) {
    case 'filter': {
      const f = sel.filter;
      const parts = [f.status ?? 'all', f.search ? `“${f.search}”` : ''].filter(Boolean);
      return parts.join(' ');
    }
    case 'ids':
      return 'ticked';
    case 'emails':
      return 'pasted list';
    case 'sheet':
      return 'sheet';
  }
}

/** The run's name in the runs list: “Waitlist: invite 200 (pending “@acme.com”)”. */
export const waitlistRunName = (action: WaitlistAction, n: number, sel: WaitlistSelection): string =>
  `Waitlist: ${VERB[action]} ${n.toLocaleString('en')} (${describe(sel)})`;

/** What a run's sent rows are, in the runs list and its detail (“200 invited”). */
export function doneWord(op: string): string {
  switch (op) {
    case 'revoke':
      return 'revoked';
    case 'repair':
      return 'repaired';
    case 'waitlist_invite':
      return 'invited';
    case 'waitlist_reject':
      return 'rejected';
    case 'waitlist_add':
      return 'added';
    default:
      return 'sent';
  }
}

/** Runs whose rows are waitlist entries rejected or added: no invitation to revoke or resend. */
export const isEntryRun = (op: string): boolean => op === 'waitlist_reject' || op === 'waitlist_add';
