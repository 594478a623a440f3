/** The Invitations page's channel parsers (issue 25): filters with limits, ids of Clerk's shapes. */
import { z } from 'zod';
import { INVENTORY_STATUSES, type BulkAction, type InventoryFilter, type InventoryStatus } from '../domain/inventory/types.ts';

const profileId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a profile id');
const invitationId = z
  .string()
  .max(100)
  .regex(/^(inv|orginv)_[A-Za-z0-9]+$/, 'must be a Clerk invitation id (inv_… or orginv_…)');
const days = z.number().int().min(0).max(3650);
const action = z.enum(['revoke', 'resend', 'remind']);
/** Every invitation of an instance may be selected: far more than a sheet's rows. */
export const MAX_SELECTION = 1_000_000;

/** Keys whose value is undefined are left out (exactOptionalPropertyTypes). */
const defined = <T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;

const filterShape = {
  search: z.string().max(320).optional(),
  status: z
    .array(z.enum(INVENTORY_STATUSES as [InventoryStatus, ...InventoryStatus[]]))
    .max(4)
    .optional(),
  kind: z.enum(['app', 'org']).optional(),
  organizationId: z
    .string()
    .regex(/^org_[A-Za-z0-9]+$/, 'must be an organization id (org_…)')
    .max(100)
    .optional(),
  olderThanDays: days.optional(),
  expiringWithinDays: days.optional(),
  origin: z.enum(['ours', 'outside']).optional(),
};
export const inventoryFilter = z
  .object(filterShape)
  .strict()
  .transform((v) => defined(v) as InventoryFilter);

const ruleId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a rule id');

export const inventoryParsers = {
  'inventory:list': z
    .object({
      ...filterShape,
      profileId,
      offset: z.number().int().min(0).max(MAX_SELECTION).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict()
    .transform((v) => defined(v) as InventoryFilter & { profileId: string; offset?: number; limit?: number }),
  'inventory:sync': z.object({ profileId }).strict(),
  'inventory:progress': z.object({ profileId }).strict(),
  'inventory:ids': z.object({ profileId, filter: inventoryFilter }).strict(),
  'inventory:export': z
    .object({ profileId, ids: z.array(invitationId).max(MAX_SELECTION).optional(), filter: inventoryFilter.optional() })
    .strict()
    .transform((v) => defined(v) as { profileId: string; ids?: string[]; filter?: InventoryFilter }),
  'inventory:review': z.object({ profileId, ids: z.array(invitationId).min(1).max(MAX_SELECTION), action }).strict(),
  'inventory:act': z
    .object({ profileId, ids: z.array(invitationId).min(1).max(MAX_SELECTION), action, confirmName: z.string().max(200).optional() })
    .strict()
    .transform((v) => defined(v) as { profileId: string; ids: string[]; action: BulkAction; confirmName?: string }),
  'reminders:list': z.object({ profileId }).strict(),
  'reminders:save': z
    .object({
      id: ruleId.optional(),
      profileId,
      runId: ruleId.optional(),
      afterDays: z.number().int('Days must be a whole number').min(1, 'At least 1 day').max(365, 'At most 365 days'),
      maxReminders: z.number().int('Reminders must be a whole number').min(1, 'At least once').max(10, 'At most 10 reminders'),
      enabled: z.boolean(),
    })
    .strict()
    .transform(
      (v) => defined(v) as { id?: string; profileId: string; runId?: string; afterDays: number; maxReminders: number; enabled: boolean },
    ),
  'reminders:delete': z.object({ profileId, id: ruleId }).strict(),
  'reminders:apply': z.object({ profileId, ruleId, confirmName: z.string().max(200) }).strict(),
  'inventory:insights': z
    .object({ profileId, runId: ruleId.optional(), metadataKey: z.string().max(100).optional() })
    .strict()
    .transform((v) => defined(v) as { profileId: string; runId?: string; metadataKey?: string }),
};
