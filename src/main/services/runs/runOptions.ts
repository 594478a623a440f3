/** A run's stored options (JSON written by any app version) decoded into their type; what cannot be read is left out. */
import { z } from 'zod';
import type { RunOptions } from '../../../shared/domain/send/types.ts';
import { columnsSchema, settingsSchema } from '../../../shared/ipc/parse.ts';

const runOptions = z.object({
  // Keys this version does not know are dropped; settings of another shape (an older version's) read as none.
  settings: z.object(settingsSchema.shape).nullable().catch(null),
  columns: columnsSchema.catch([]),
});

export function decodeRunOptions(text: string | null | undefined): RunOptions | null {
  if (text === null || text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const r = runOptions.safeParse(value);
  return r.success ? r.data : null;
}
