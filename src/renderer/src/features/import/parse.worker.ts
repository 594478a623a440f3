/// <reference lib="webworker" />
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import { buildRows, previewOf } from './importCore.ts';
import { runParse, type ToWorker, type WorkerMessage } from './parseFile.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
/** The parsed file, kept here until the window closes this worker (the sheet is created or the import dropped). */
let table: ImportedTable | null = null;

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === 'parse') {
      table = await runParse(m.req, (progress) => post({ type: 'progress', progress }));
      post({ type: 'parsed', preview: previewOf(table) });
    } else {
      if (!table) throw new Error('Nothing was parsed');
      const built = buildRows(table, m.headerRow, m.columns);
      // The cell lengths move to the window (no copy); the cells are one string.
      post({ type: 'built', built }, 'packed' in built ? [built.packed.lengths.buffer] : []);
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
