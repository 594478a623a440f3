/**
 * The waitlist endpoints (spec lines 8721–8960): list with paging and filters, create one (an email already there
 * comes back as it is), bulk 1–50 (duplicates within one call refused), invite (a real application invitation),
 * reject and delete (pending only); a locked entry answers 409 to every action. All on the general limit; `/invite`
 * also draws the invitation budget in one variant (behaviour.waitlistInviteBudget).
 */
import { EmuError, errors, validationError } from './errors.ts';
import { newId } from './ids.ts';
import { eq, page, r, type Ctx, type Route } from './routeKit.ts';
import { invitationJson } from './serialize.ts';
import { effectiveStatus, type EmuInstance, type EmuInvitation, type EmuWaitlistEntry } from './store.ts';
import { checkItem, normalizeEmail, type CheckedItem } from './validate.ts';

export const WAITLIST_BULK_MAX = 50;
const STATUSES = ['pending', 'invited', 'completed', 'rejected'] as const;
type Status = (typeof STATUSES)[number];

/** How the invite makes its invitation: the app-invitation create of routes.ts (checks, emails, the dev cap). */
export type InviteWith = (ctx: Ctx, item: CheckedItem) => EmuInvitation;

const invitationOf = (i: EmuInstance, e: EmuWaitlistEntry) =>
  e.invitationId ? i.invitations.find((x) => x.id === e.invitationId) : undefined;

/** What a reader sees: an invited entry whose invitation was accepted is completed. */
export function entryStatus(i: EmuInstance, e: EmuWaitlistEntry): Status {
  if (e.status === 'invited' && invitationOf(i, e)?.status === 'accepted') return 'completed';
  return e.status;
}

export const isLocked = (e: EmuWaitlistEntry, now: number) => e.lockedUntil !== null && now < e.lockedUntil;

export function waitlistEntryJson(c: { instance: EmuInstance; now: number; baseUrl: string }, e: EmuWaitlistEntry) {
  const inv = invitationOf(c.instance, e);
  return {
    object: 'waitlist_entry',
    id: e.id,
    email_address: e.emailAddress,
    status: entryStatus(c.instance, e),
    is_locked: isLocked(e, c.now),
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    invitation: inv ? invitationJson(inv, c.baseUrl, c.now, { listed: true }) : null,
  };
}

/** Adds an entry (tests, the Sandbox's seed); an email already there returns the existing one. */
export function addWaitlistEntry(i: EmuInstance, email: string, now: number, notified = false): EmuWaitlistEntry {
  const found = i.waitlist.find((x) => eq(x.emailAddress, email));
  if (found) return found;
  const e: EmuWaitlistEntry = {
    id: newId('wle'),
    emailAddress: normalizeEmail(email),
    status: 'pending',
    lockedUntil: null,
    invitationId: null,
    notified,
    actions: 0,
    createdAt: now,
    updatedAt: now,
  };
  i.waitlist.push(e);
  return e;
}

const conflict = () =>
  new EmuError(409, [
    {
      code: 'waitlist_entry_locked',
      message: 'locked',
      long_message: 'This waitlist entry is being processed in a batch action and is unavailable for other actions.',
    },
  ]);
const notAllowed = (code: string, long: string) => new EmuError(400, [{ code, message: 'not allowed', long_message: long }]);

function entryOf(c: Ctx): EmuWaitlistEntry {
  const e = c.instance.waitlist.find((x) => x.id === c.params['id']);
  if (!e) throw errors.notFound();
  if (isLocked(e, c.now)) throw conflict();
  return e;
}

/** One `{email_address, notify}`: only those keys, a valid address, a boolean (or null) notify. */
function checkEntry(body: unknown, ctx: Ctx): { email: string; notify: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.bodyInvalid();
  const o = body as Record<string, unknown>;
  const problems = Object.keys(o)
    .filter((k) => k !== 'email_address' && k !== 'notify')
    .map((k) => errors.unknown(k));
  const checked = checkItem({ email_address: o['email_address'], notify: o['notify'] }, ['email_address', 'notify'], false);
  problems.push(...checked.problems);
  if (problems.length > 0 || !checked.item) throw validationError(problems);
  const notify = o['notify'] === true || o['notify'] === false ? o['notify'] : ctx.behaviour.waitlistNotifyDefault;
  return { email: checked.item.emailAddress, notify };
}

function sortEntries(c: Ctx, list: EmuWaitlistEntry[]): EmuWaitlistEntry[] {
  const spec = c.query.get('order_by') ?? '-created_at';
  const field = spec.replace(/^[+-]/, '');
  const invitedAt = (e: EmuWaitlistEntry) => invitationOf(c.instance, e)?.createdAt ?? 0;
  const key: Record<string, (e: EmuWaitlistEntry) => string | number> = {
    created_at: (e) => e.createdAt,
    email_address: (e) => e.emailAddress,
    invited_at: invitedAt,
  };
  const get = key[field];
  if (!get) throw validationError([errors.value('order_by', 'is not a valid ordering.')]);
  const sign = spec.startsWith('-') ? -1 : 1;
  // Ties keep insertion order, so paging is stable.
  return list
    .map((e, i) => [e, i] as const)
    .sort(([a, ia], [b, ib]) => {
      const va = get(a);
      const vb = get(b);
      return (va < vb ? -1 : va > vb ? 1 : 0) * sign || ia - ib;
    })
    .map(([e]) => e);
}

/** An invitation made with `template_slug: waitlist_invitation` moves its email's entry to invited (one variant). */
export function linkWaitlistInvitations(c: Ctx, made: { inv: EmuInvitation; item: CheckedItem }[]): void {
  if (!c.behaviour.waitlistTemplateMovesEntry) return;
  for (const { inv, item } of made) {
    if (item.raw['template_slug'] !== 'waitlist_invitation') continue;
    const e = c.instance.waitlist.find((x) => eq(x.emailAddress, inv.emailAddress));
    if (!e || e.status === 'invited') continue;
    e.status = 'invited';
    e.invitationId = inv.id;
    e.updatedAt = c.now;
  }
}

export function waitlistRoutes(inviteWith: InviteWith): Route[] {
  return [
    r('GET', '/waitlist_entries', 'general', (c) => {
      const status = c.query.get('status');
      if (status !== null && !(STATUSES as readonly string[]).includes(status))
        throw validationError([errors.value('status', 'is not a valid status.')]);
      const q = (c.query.get('query') ?? '').trim().toLowerCase();
      const found = c.instance.waitlist.filter(
        (e) =>
          (status === null || entryStatus(c.instance, e) === status) &&
          (q === '' || e.emailAddress.toLowerCase().includes(q) || e.id.toLowerCase() === q),
      );
      return page(
        sortEntries(c, found).map((e) => waitlistEntryJson(c, e)),
        c.query,
      );
    }),
    r('POST', '/waitlist_entries', 'general', (c) => {
      const { email, notify } = checkEntry(c.body, c);
      return waitlistEntryJson(c, addWaitlistEntry(c.instance, email, c.now, notify));
    }),
    r('POST', '/waitlist_entries/bulk', 'general', (c) => {
      if (!Array.isArray(c.body)) throw errors.bodyInvalid();
      if (c.body.length === 0) throw validationError([errors.missing('waitlist_entries')]);
      if (c.body.length > WAITLIST_BULK_MAX)
        throw new EmuError(422, [
          {
            code: 'form_param_array_size_exceeded',
            message: 'too many items',
            long_message: `You can add at most ${WAITLIST_BULK_MAX} waitlist entries in one request.`,
            meta: { param_name: 'waitlist_entries' },
          },
        ]);
      const items = c.body.map((b) => checkEntry(b, c));
      const firstOf = (it: { email: string }) => items.findIndex((o) => eq(o.email, it.email));
      const repeated = [...new Set(items.filter((it, i) => firstOf(it) !== i).map((it) => items[firstOf(it)]!.email))];
      if (repeated.length)
        throw new EmuError(400, [
          {
            code: 'duplicate_record',
            message: 'duplicate email addresses',
            long_message: `Duplicate email addresses in the same request: ${repeated.join(', ')}`,
            meta: { email_addresses: repeated },
          },
        ]);
      return items.map((it) => waitlistEntryJson(c, addWaitlistEntry(c.instance, it.email, c.now, it.notify)));
    }),
    {
      ...r('POST', '/waitlist_entries/:id/invite', 'general', (c) => {
        const e = entryOf(c);
        const body = (c.body ?? {}) as Record<string, unknown>;
        if (typeof body !== 'object' || Array.isArray(body)) throw errors.bodyInvalid();
        const unknown = Object.keys(body).filter((k) => k !== 'ignore_existing');
        if (unknown.length) throw validationError(unknown.map((k) => errors.unknown(k)));
        const st = entryStatus(c.instance, e);
        if (st === 'invited' || st === 'completed')
          throw notAllowed('waitlist_entry_already_invited', `This waitlist entry is already ${st}.`);
        const checked = checkItem(
          { email_address: e.emailAddress, ignore_existing: body['ignore_existing'] ?? undefined, template_slug: 'waitlist_invitation' },
          ['email_address', 'ignore_existing', 'template_slug'],
          false,
        );
        if (!checked.item) throw validationError(checked.problems);
        const inv = inviteWith(c, checked.item);
        e.status = 'invited';
        e.invitationId = inv.id;
        e.updatedAt = c.now;
        e.actions++;
        return waitlistEntryJson(c, e);
      }),
      alsoBucket: (b) => (b.waitlistInviteBudget === 'invitations' ? 'invitations.create' : null),
    },
    r('POST', '/waitlist_entries/:id/reject', 'general', (c) => {
      const e = entryOf(c);
      const st = entryStatus(c.instance, e);
      if (st === 'rejected') throw notAllowed('waitlist_entry_already_rejected', 'This waitlist entry is already rejected.');
      if (st === 'completed') throw notAllowed('waitlist_entry_completed', 'This person already signed up.');
      // Rejecting an invited entry takes its pending invitation back.
      const inv = invitationOf(c.instance, e);
      if (inv && effectiveStatus(inv, c.now) === 'pending') {
        inv.status = 'revoked';
        inv.updatedAt = c.now;
      }
      e.status = 'rejected';
      e.updatedAt = c.now;
      e.actions++;
      return waitlistEntryJson(c, e);
    }),
    r('DELETE', '/waitlist_entries/:id', 'general', (c) => {
      const e = entryOf(c);
      if (entryStatus(c.instance, e) !== 'pending')
        throw notAllowed('waitlist_entry_not_pending', 'Only pending waitlist entries can be deleted.');
      c.instance.waitlist = c.instance.waitlist.filter((x) => x !== e);
      return { object: 'waitlist_entry', id: e.id, deleted: true };
    }),
  ];
}
