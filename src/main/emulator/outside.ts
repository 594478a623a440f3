/**
 * Invitations made outside Invite Desk (Clerk's Dashboard, scripts, colleagues), seeded by the thousand: application
 * and organization invitations spread over past weeks, some accepted, expired or revoked. Deterministic for a seed, so
 * tests and the benchmark see the same instance every time. A control for tests, the benchmark and the Sandbox.
 */
import { newId } from './ids.ts';
import { addOrg, type EmuInstance, type EmuInvitation, type EmuOrgInvitation } from './store.ts';

const DAY = 86_400_000;

export type OutsideSeed = {
  count: number;
  /**
   * Share of organization invitations, spread over the organizations without a membership limit (pending invitations
   * take seats: a capped organization is left alone); one is made when there is none.
   */
  orgShare?: number;
  /** Shares of each final state (the rest stay pending; some pending ones are past their expiry: expired). */
  accepted?: number;
  revoked?: number;
  expired?: number;
  /** Invitations are created over this many days before `now`. */
  spanDays?: number;
  /** Email domains to draw from. */
  domains?: string[];
  /** Public metadata keys drawn on each (`{ team: … }` by default). */
  teams?: string[];
  seed?: number;
};

export type OutsideSummary = { app: number; org: number; byStatus: Record<'pending' | 'accepted' | 'revoked' | 'expired', number> };

/** mulberry32: a small seeded generator (the same instance for the same seed). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_DOMAINS = ['globex.example', 'initech.example', 'umbrella.example', 'hooli.example', 'stark.example', 'wayne.example'];
const DEFAULT_TEAMS = ['sales', 'support', 'eng', 'ops'];

export function seedOutsideInvitations(instance: EmuInstance, now: number, seed: OutsideSeed): OutsideSummary {
  const random = rng(seed.seed ?? 25);
  const orgShare = seed.orgShare ?? 0.3;
  const accepted = seed.accepted ?? 0.35;
  const revoked = seed.revoked ?? 0.08;
  const expired = seed.expired ?? 0.12;
  const span = (seed.spanDays ?? 60) * DAY;
  const domains = seed.domains ?? DEFAULT_DOMAINS;
  const teams = seed.teams ?? DEFAULT_TEAMS;
  let orgs = [...instance.orgs.values()].filter((o) => o.maxAllowedMemberships === 0);
  if (orgs.length === 0 && orgShare > 0) orgs = [addOrg(instance, { name: 'Outside Org', maxAllowedMemberships: 0 }, now - span)];
  const summary: OutsideSummary = { app: 0, org: 0, byStatus: { pending: 0, accepted: 0, revoked: 0, expired: 0 } };
  // Oldest first, as Clerk would have made them (the lists' ties then keep this order).
  const times = Array.from({ length: seed.count }, () => now - Math.floor(random() * span)).sort((a, b) => a - b);
  const tag = newId('x', 6).slice(2).toLowerCase();
  times.forEach((createdAt, i) => {
    const roll = random();
    const state =
      roll < accepted ? 'accepted' : roll < accepted + revoked ? 'revoked' : roll < accepted + revoked + expired ? 'expired' : 'pending';
    const days = 30;
    // An expired one: its 30 days are over (made long enough ago, or given a shorter life).
    const expiresAt = state === 'expired' ? Math.min(createdAt + days * DAY, now - 1 - Math.floor(random() * DAY)) : createdAt + days * DAY;
    // Pending means still valid: one made over 30 days ago got a longer life (Clerk allows up to 365 days).
    const live = state === 'pending' && expiresAt <= now ? now + Math.ceil(random() * 29) * DAY : expiresAt;
    const inv: EmuInvitation = {
      id: newId('inv'),
      emailAddress: `outside.${tag}.${i}@${domains[Math.floor(random() * domains.length)]}`,
      publicMetadata: { team: teams[Math.floor(random() * teams.length)] },
      status: state === 'expired' ? 'pending' : state,
      ticket: newId('tkt', 32).slice(4),
      expiresAt: state === 'pending' ? live : expiresAt,
      createdAt,
      updatedAt: state === 'pending' || state === 'expired' ? createdAt : Math.min(now, createdAt + Math.floor(random() * 5 * DAY)),
      emailsSent: 1,
    };
    summary.byStatus[state] += 1;
    if (orgs.length > 0 && random() < orgShare) {
      const org = orgs[Math.floor(random() * orgs.length)]!;
      const orgInv: EmuOrgInvitation = {
        ...inv,
        id: newId('orginv'),
        organizationId: org.id,
        role: 'org:member',
        inviterId: null,
        privateMetadata: {},
      };
      instance.orgInvitations.push(orgInv);
      summary.org += 1;
    } else {
      instance.invitations.push(inv);
      summary.app += 1;
    }
  });
  return summary;
}
