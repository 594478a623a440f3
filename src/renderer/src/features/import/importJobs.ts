/**
 * The worker's part of Create, begun ahead: as soon as the mapping step shows (and again whenever its choice
 * changes) the worker normalizes, packs and checks the rows for that choice, so that when Create is pressed with
 * it (the usual case) the rows and most of their checks are ready. A newer choice drops the older work between
 * chunks; Create with another choice starts afresh. Work is handed over once (its buffers move to the window).
 */
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import type { SheetColumn, SheetSettings } from '../../../../shared/domain/sheet/types.ts';
import { checkRows, type CheckedRows } from '../../../../shared/domain/sheet/validate.ts';
import { CHECK_CHUNK } from './checkTogether.ts';
import { normalizedRows, packBuilt, type BuiltRows } from './importCore.ts';

export type Choice = { headerRow: number; columns: SheetColumn[]; settings: SheetSettings; unwrapEmails?: boolean };
export type JobOut =
  | { type: 'built'; built: BuiltRows }
  | { type: 'checked'; checked: CheckedRows }
  | { type: 'checked-end'; covered: number }
  | { type: 'error'; message: string };

type Job = {
  key: string;
  built: BuiltRows | null;
  parts: CheckedRows[];
  covered: number;
  finished: boolean;
  dropped: boolean;
  /** Create asked for this job: what it makes goes to the window as it comes. */
  handedOver: boolean;
  /** Why it stopped, if it broke (said when handed over: work ahead fails quietly). */
  error: string | null;
};

const keyOf = (c: Choice) => JSON.stringify([c.headerRow, c.columns, c.settings, c.unwrapEmails === true]);

export function createJobs(deps: {
  table: () => ImportedTable | null;
  post: (m: JobOut, transfer: Transferable[]) => void;
  pause: () => Promise<void>;
  chunk?: number;
}) {
  const chunk = deps.chunk ?? CHECK_CHUNK;
  let job: Job | null = null;
  /** The window checks from the end: no chunk of ours starts at or past the row it has reached. */
  let stopAt = Infinity;

  const send = (m: JobOut) => {
    if (m.type === 'built') deps.post(m, 'packed' in m.built ? [m.built.packed.lengths.buffer] : []);
    else if (m.type === 'checked') deps.post(m, [m.checked.ready.buffer, m.checked.keyLengths.buffer]);
    else deps.post(m, []);
  };
  const handOver = (j: Job) => {
    j.handedOver = true;
    if (j.built) send({ type: 'built', built: j.built });
    for (const p of j.parts) send({ type: 'checked', checked: p });
    if (j.finished) send({ type: 'checked-end', covered: j.covered });
    if (j.error !== null) send({ type: 'error', message: j.error });
  };

  async function run(j: Job, choice: Choice): Promise<void> {
    try {
      await work(j, choice);
    } catch (e) {
      j.error = e instanceof Error ? e.message : String(e);
      if (j.handedOver && !j.dropped) send({ type: 'error', message: j.error });
    }
  }

  async function work(j: Job, choice: Choice): Promise<void> {
    const table = deps.table();
    if (!table) throw new Error('Nothing was parsed');
    const rows = normalizedRows(table, choice.headerRow, choice.columns, choice.unwrapEmails);
    j.built = packBuilt(rows, table);
    if (j.handedOver) send({ type: 'built', built: j.built });
    await deps.pause();
    const sheet = { columns: choice.columns, settings: choice.settings, rows };
    while (!j.dropped && j.covered < rows.length && !(j.handedOver && j.covered >= stopAt)) {
      const end = Math.min(j.covered + chunk, rows.length, j.handedOver ? stopAt : Infinity);
      const part = checkRows(sheet, j.covered, end);
      j.covered = end;
      if (j.handedOver) send({ type: 'checked', checked: part });
      else j.parts.push(part);
      await deps.pause();
    }
    if (j.dropped) return;
    j.finished = true;
    if (j.handedOver) send({ type: 'checked-end', covered: j.covered });
  }

  const start = (choice: Choice, handedOver: boolean): Promise<void> => {
    if (job) job.dropped = true;
    const j: Job = { key: keyOf(choice), built: null, parts: [], covered: 0, finished: false, dropped: false, handedOver, error: null };
    job = j;
    return run(j, choice);
  };

  return {
    /** The mapping step's current choice: work on it ahead (drops work on an older one). */
    prepare(choice: Choice): Promise<void> {
      if (job && !job.handedOver && job.key === keyOf(choice)) return Promise.resolve();
      return start(choice, false);
    },
    /** Create: hand over the work done ahead for this choice, and the rest as it is done; or start it now. */
    build(choice: Choice): Promise<void> {
      stopAt = Infinity;
      const j = job;
      if (j && !j.handedOver && !j.dropped && j.error === null && j.key === keyOf(choice)) {
        handOver(j);
        return Promise.resolve();
      }
      return start(choice, true);
    },
    stop(at: number) {
      stopAt = at;
    },
  };
}
