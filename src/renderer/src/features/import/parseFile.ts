/** Parses an import off the UI thread (Web Worker), with progress; falls back to this thread if workers fail. */
import { plural } from '../../../../shared/plural.ts';
import { parseDelimitedText } from '../../../../shared/domain/import/delimited.ts';
import { parseImportFile } from '../../../../shared/domain/import/parseImport.ts';
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';

export type ParseRequest =
  { kind: 'file'; name: string; bytes: ArrayBuffer; sheetName?: string } | { kind: 'text'; name: string; text: string };
export type ParseProgress = { stage: string; fraction: number };
export type WorkerMessage =
  { type: 'progress'; progress: ParseProgress } | { type: 'done'; table: ImportedTable } | { type: 'error'; message: string };

export const isXlsx = (name: string) => /\.xlsx$/i.test(name);

/** The parse itself; runs in the worker (or here, as a fallback). */
export async function runParse(req: ParseRequest, progress: (p: ParseProgress) => void): Promise<ImportedTable> {
  if (req.kind === 'text') {
    progress({ stage: 'Reading pasted cells', fraction: 0.3 });
    return parseDelimitedText(req.text.replace(/\r?\n$/, ''), req.name, 'paste');
  }
  progress({ stage: isXlsx(req.name) ? 'Unzipping workbook' : 'Detecting encoding and delimiter', fraction: 0.2 });
  // By what the bytes are (an .xlsx named .csv is still read; a PDF or an .xls is refused, saying what it is).
  const table = await parseImportFile(req.bytes, req.name, req.sheetName);
  progress({ stage: `Read ${plural(table.rows.length, 'row')}`, fraction: 0.9 });
  return table;
}

export function parseInWorker(req: ParseRequest, onProgress: (p: ParseProgress) => void): Promise<ImportedTable> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return runParse(req, onProgress);
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.progress);
      else {
        worker.terminate();
        if (m.type === 'done') resolve(m.table);
        else reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      e.preventDefault();
      // A worker that cannot even load: parse here instead of failing the import.
      runParse(req, onProgress).then(resolve, reject);
    };
    worker.postMessage(req, req.kind === 'file' ? [req.bytes] : []);
  });
}
