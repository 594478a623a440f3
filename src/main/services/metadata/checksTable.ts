/** The decoders of `metadata_checks` rows (migration 13): what a metadata check found per accepted row of a run. */
import { z } from 'zod';
import { checkLabel, type CheckStatus, type RowCheck, type RowCheckView } from '../../../shared/domain/metadata/landed.ts';
import { col, decoder } from '../db/decode.ts';

export const CHECK_STATUSES = ['landed', 'missing', 'differs', 'no_account'] as const satisfies readonly CheckStatus[];
const status = z.enum(CHECK_STATUSES);
// What the check found, written by this app from a checked value (checksRepo.save): only its shape is checked here.
const result = z.custom<Pick<RowCheck, 'missing' | 'differs' | 'now'>>(
  (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  'is not a check result',
);

/** One checked row as the run's page shows it. */
export const checkRow = decoder(
  'metadata_checks',
  z
    .object({ idx: col.int, user_id: col.textOrNull, status, result: col.json(result), checked_at: col.int })
    .transform((r): RowCheckView => {
      const c = { status: r.status, userId: r.user_id, ...r.result };
      return { ...c, idx: r.idx, label: checkLabel(c), checkedAt: r.checked_at };
    }),
);

/** How many rows of a run are in one status, and when the last of them was checked. */
export const statusCount = decoder('metadata_checks', z.object({ status, n: col.int, at: col.int }));
