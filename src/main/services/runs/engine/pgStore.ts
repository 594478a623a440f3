/** The run engine's storage port on a team's PostgreSQL (the team workspace): what every member's app shares. */
import { pgJournalPort, pgQuotaPort } from '../../team/pgJournal.ts';
import { pgRunsPort } from '../../team/pgRuns.ts';
import type { PgPool } from '../../team/pgTypes.ts';
import type { RunStore } from './ports.ts';

export function pgRunStore(pool: PgPool): RunStore {
  return { runs: pgRunsPort(pool), journal: pgJournalPort(pool), quota: pgQuotaPort(pool) };
}
