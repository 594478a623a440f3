/** Invitations made outside Invite Desk for given people, and a profile's copy of them synced to its end (team tests). */
import { expect } from 'vitest';
import type { EmuInstance } from '../../src/main/emulator/store.ts';
import type { InventoryProgress } from '../../src/shared/domain/inventory/types.ts';
import type { Channel } from '../../src/shared/ipc/contract.ts';
import { ok } from './result.ts';

const DAY = 86_400_000;

/** Pending application invitations for `emails`, made `ageMs` ago in Clerk (the Dashboard, a script); their ids. */
export function pendingMadeElsewhere(instance: EmuInstance, emails: string[], ageMs: number): string[] {
  const at = Date.now() - ageMs;
  const made = emails.map((email, i) => ({
    id: `inv_${email.replace(/[^a-z0-9]/g, '')}${i}`,
    emailAddress: email,
    publicMetadata: {},
    status: 'pending' as const,
    ticket: `t${i}`,
    expiresAt: at + 30 * DAY,
    createdAt: at,
    updatedAt: at,
    emailsSent: 1,
  }));
  instance.invitations.push(...made);
  return made.map((x) => x.id);
}

/** A sync of a profile's copy of the instance's invitations, to its end (the channel answers as it starts). */
export async function syncInvitations(call: (c: Channel, a?: unknown) => Promise<{ ok: boolean }>, profileId: string): Promise<void> {
  ok(await call('inventory:sync', { profileId }));
  await expect
    .poll(async () => ok<InventoryProgress | null>(await call('inventory:progress', { profileId }))?.state, { timeout: 30_000 })
    .toBe('done');
}
