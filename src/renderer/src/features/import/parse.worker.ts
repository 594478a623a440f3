/// <reference lib="webworker" />
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import { defaultChoice, previewOf } from './importCore.ts';
import { createJobs } from './importJobs.ts';
import { runParse, type ToWorker, type WorkerMessage } from './parseFile.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
/** The parsed file, kept here until the window closes this worker (the sheet is created or the import dropped). */
let table: ImportedTable | null = null;
const jobs = createJobs({
  table: () => table,
  post,
  // A timer, not a MessageChannel: Chromium runs our own port's message before the window's queued "stop".
  pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
});

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === 'stop') jobs.stop(m.at);
    else if (m.type === 'parse') {
      table = await runParse(m.req, (progress) => post({ type: 'progress', progress }));
      post({ type: 'parsed', preview: previewOf(table) });
      // The mapping step starts from this choice: begin on its rows now (its own prepare then finds them going).
      void jobs.prepare(defaultChoice(table));
    } else if (m.type === 'prepare') void jobs.prepare(m.choice);
    else await jobs.build(m.choice);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
