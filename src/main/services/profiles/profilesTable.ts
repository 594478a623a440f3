/** The decoders of the `profiles` and `settings` tables' rows. */
import { z } from 'zod';
import type { ProfileView } from '../../../shared/domain/profile.ts';
import { col, column, decoder } from '../db/decode.ts';

export type ProfileRow = Omit<ProfileView, 'isSandbox'>;

export const profileRow = decoder(
  'profiles',
  z
    .object({
      id: col.text,
      name: col.text,
      environment: z.enum(['development', 'production']),
      instance_id: col.text,
      fingerprint: col.text,
      base_url: col.text,
      created_at: col.int,
      updated_at: col.int,
    })
    .transform((r): ProfileRow => ({
      id: r.id,
      name: r.name,
      environment: r.environment,
      instanceId: r.instance_id,
      fingerprint: r.fingerprint,
      baseUrl: r.base_url,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
);

/** A profile's fields an update keeps when the patch leaves them out. */
export const profileNameRow = decoder('profiles', z.object({ name: col.text, fingerprint: col.text }));

export const settingRow = column('settings', 'value', col.text);

/** A member's own setting in the team database (its `settings` twin there is per member). */
export const memberSettingRow = column('member_settings', 'value', col.text);
