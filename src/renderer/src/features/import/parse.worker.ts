/// <reference lib="webworker" />
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import { checkFromTheStart } from './checkTogether.ts';
import { normalizedRows, packBuilt, previewOf } from './importCore.ts';
import { runParse, type ToWorker, type WorkerMessage } from './parseFile.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
/** The parsed file, kept here until the window closes this worker (the sheet is created or the import dropped). */
let table: ImportedTable | null = null;
/** The window checks from the end: no chunk of ours starts at or past the row it has reached. */
let stopAt = Infinity;

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === 'stop') stopAt = m.at;
    else if (m.type === 'parse') {
      table = await runParse(m.req, (progress) => post({ type: 'progress', progress }));
      post({ type: 'parsed', preview: previewOf(table) });
    } else {
      if (!table) throw new Error('Nothing was parsed');
      const rows = normalizedRows(table, m.headerRow, m.columns);
      const built = packBuilt(rows, table);
      // The cell lengths move to the window (no copy); the cells are one string.
      post({ type: 'built', built }, 'packed' in built ? [built.packed.lengths.buffer] : []);
      // Then this worker checks rows from the first one down while the window checks from the last one up.
      if (m.check) {
        stopAt = Infinity;
        const covered = await checkFromTheStart(
          { columns: m.columns, settings: m.check.settings, rows },
          () => stopAt,
          (checked) => post({ type: 'checked', checked }, [checked.ready.buffer, checked.keyLengths.buffer]),
          // A timer, not a MessageChannel: Chromium runs our own port's message before the window's queued "stop".
          () => new Promise((resolve) => setTimeout(resolve, 0)),
        );
        post({ type: 'checked-end', covered });
      }
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
