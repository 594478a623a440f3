/**
 * The decoders of the local invitation copy's rows (`inventory`, `inventory_sync`, migration 14), and of the counts and
 * buckets the Invitations page and its Insights charts read from it.
 */
import { z } from 'zod';
import type { InventoryRow, InventoryStatus } from '../../../shared/domain/inventory/types.ts';
import { col, column, decoder } from '../db/decode.ts';

const status = z.enum(['pending', 'accepted', 'revoked', 'expired'] satisfies InventoryStatus[]);

/** One invitation as the page shows it, with the run that sent it (a linked run whose name is gone reads "a run"). */
export const inventoryRow = decoder(
  'inventory',
  z
    .object({
      id: col.text,
      kind: z.enum(['app', 'org']),
      email: col.text,
      status,
      organization_id: col.textOrNull,
      organization_name: col.textOrNull,
      role: col.textOrNull,
      // Kept as the JSON text Clerk's metadata was stored as: the page shows it and a resend sends it as it is.
      public_metadata: col.text,
      expires_at: col.intOrNull,
      created_at: col.int,
      updated_at: col.int,
      run_id: col.textOrNull,
      run_name: col.textOrNull,
    })
    .transform((r): InventoryRow => ({
      id: r.id,
      kind: r.kind,
      email: r.email,
      status: r.status,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      role: r.role,
      publicMetadata: r.public_metadata,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      runId: r.run_id,
      runName: r.run_id === null ? null : (r.run_name ?? 'a run'),
    })),
);

/** An invitation's private metadata as stored (JSON text), for a resend. */
export const privateMetadataRow = column('inventory', 'private_metadata', col.text);

export const idRow = column('inventory', 'id', col.text);

export const organizationRow = decoder('inventory', z.object({ id: col.text, name: col.text }));

/** A `count(*) AS n` over the copy. */
export const countRow = column('inventory', 'n', col.int);

/** A `min(…)` or `max(…) AS t` over the copy: null when nothing matched. */
export const timeRow = column('inventory', 't', col.intOrNull);

/** Where a profile's copy stands: the instance it is of, and when a whole sync last finished. */
export const syncStateRow = decoder(
  'inventory_sync',
  z
    .object({ instance_id: col.text, synced_at: col.intOrNull, complete: col.int })
    .transform((r) => ({ instanceId: r.instance_id, syncedAt: r.synced_at, complete: r.complete === 1 })),
);

export const syncInstanceRow = column('inventory_sync', 'instance_id', col.text);

/** An Insights bucket (a Unix day, or an age in days) and how many invitations fall in it. */
export const bucketRow = decoder(
  'inventory',
  z.object({ d: col.int, n: col.int }).transform((r) => [r.d, r.n] as const),
);

/** Acceptance of one domain or one metadata value (any JSON value, shown as text; none: "(none)"). */
export const rateRow = decoder(
  'inventory',
  z
    .object({
      label: z
        .union([z.string(), z.number(), z.bigint()])
        .nullish()
        .transform((v) => (v === null || v === undefined ? '(none)' : String(v))),
      total: col.int,
      accepted: col.int,
    })
    .transform((r) => ({ label: r.label, total: r.total, accepted: r.accepted })),
);

/** A key of the copy's public metadata (an array's index reads as its number). */
export const metadataKeyRow = column('inventory', 'k', z.union([z.string(), z.number(), z.bigint()]).transform(String));

/** A run that sent some of the copy's invitations, for the Insights run picker. */
export const insightRunRow = decoder(
  'inventory',
  z.object({ run_id: col.text, run_name: col.textOrNull }).transform((r) => ({ id: r.run_id, name: r.run_name ?? 'a run' })),
);
