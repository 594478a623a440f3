/** The run engine's storage port on a team's PostgreSQL (the team workspace): what every member's app shares. */
import { pgJournalPort, pgQuotaPort } from '../../team/pgJournal.ts';
import { pgRunsPort } from '../../team/pgRuns.ts';
import type { PgPool } from '../../team/pgTypes.ts';
import { pgHistoryPort } from '../../team/pgHistoryPort.ts';
import { pgRowsPort } from '../../team/pgRows.ts';
import { pgRemindersPort } from '../../team/pgReminders.ts';
import { pgApprovalsPort } from '../../team/pgApprovals.ts';
import type { RunStore, Storage } from './ports.ts';

/** `clock`: 'database' (the app) or 'caller' (contract tests with fixed times); see pgRuns.ts. */
export function pgRunStore(pool: PgPool, o: { clock?: 'database' | 'caller' } = {}): RunStore {
  return { runs: pgRunsPort(pool, o), journal: pgJournalPort(pool, o), quota: pgQuotaPort(pool, o) };
}

/**
 * Everything a team workspace keeps of runs, in its PostgreSQL: what the engine drives with, what the history reads,
 * and the four-eyes approvals (used only when the workspace has the option on).
 */
export function pgStorage(pool: PgPool): Storage {
  return {
    ...pgRunStore(pool),
    history: pgHistoryPort(pool),
    rows: pgRowsPort(pool),
    approvals: pgApprovalsPort(pool),
    reminders: pgRemindersPort(pool),
  };
}
