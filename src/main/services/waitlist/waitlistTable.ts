/** The decoders of the waitlist tables' rows (`waitlist_entries`, `waitlist_syncs`, migration 12). */
import { z } from 'zod';
import { WAITLIST_STATUSES, type WaitlistEntryView } from '../../../shared/domain/waitlist/types.ts';
import { col, column, decoder } from '../db/decode.ts';

const status = z.enum(WAITLIST_STATUSES);

/** An entry as the window shows it. */
export const entryRow = decoder(
  'waitlist_entries',
  z
    .object({
      id: col.text,
      email: col.text,
      status,
      is_locked: col.int,
      invitation_id: col.textOrNull,
      created_at: col.int,
      updated_at: col.int,
    })
    .transform((r): WaitlistEntryView => ({
      id: r.id,
      email: r.email,
      status: r.status,
      isLocked: r.is_locked === 1,
      invitationId: r.invitation_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
);

/** An entry with the key it was found by (a pasted list or a sheet's emails). */
export const keyedEntryRow = column('waitlist_entries', 'email_key', col.text);

/** How many entries are in one status. */
export const statusCount = decoder('waitlist_entries', z.object({ status, n: col.int }));

/** How many entries a filter selects. */
export const entryCount = column('waitlist_entries', 'n', col.int);

/** An instance's last whole sync: when, and how many entries Clerk listed. */
export const syncRow = decoder(
  'waitlist_syncs',
  z.object({ synced_at: col.int, total: col.int }).transform((r) => ({ at: r.synced_at, total: r.total })),
);
