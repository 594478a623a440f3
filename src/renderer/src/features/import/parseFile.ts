/**
 * Parses an import off the UI thread (Web Worker), with progress, and keeps the parsed table there: the window
 * gets a preview for the mapping step, then the packed rows when the sheet is created. Falls back to this thread
 * if workers fail.
 */
import { plural } from '../../../../shared/plural.ts';
import { parseDelimitedText } from '../../../../shared/domain/import/delimited.ts';
import { parseImportFile } from '../../../../shared/domain/import/parseImport.ts';
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import { leaveOutTotals } from '../../../../shared/domain/import/totals.ts';
import type { SheetColumn, SheetSettings } from '../../../../shared/domain/sheet/types.ts';
import { newFeed, type CheckFeed } from './checkTogether.ts';
import type { Choice, JobOut } from './importJobs.ts';
import { buildRows, previewOf, type BuiltRows, type ImportPreview } from './importCore.ts';

export type ParseRequest =
  { kind: 'file'; name: string; bytes: ArrayBuffer; sheetName?: string } | { kind: 'text'; name: string; text: string };
export type ParseProgress = { stage: string; fraction: number };

/** Window → worker, and back. */
/** After the rows, the worker checks them with these settings from the first one, until told to stop (checkTogether). */
export type CheckRequest = { settings: SheetSettings; unwrapEmails?: boolean };
export type ToWorker =
  | { type: 'parse'; req: ParseRequest }
  | { type: 'prepare'; choice: Choice }
  | { type: 'build'; choice: Choice }
  | { type: 'stop'; at: number };
export type WorkerMessage =
  { type: 'progress'; progress: ParseProgress } | { type: 'parsed'; preview: ImportPreview } | JobOut | { type: 'error'; message: string };

export const isXlsx = (name: string) => /\.xlsx$/i.test(name);

/** The parse itself; runs in the worker (or here, as a fallback). */
export async function runParse(req: ParseRequest, progress: (p: ParseProgress) => void): Promise<ImportedTable> {
  if (req.kind === 'text') {
    progress({ stage: 'Reading pasted cells', fraction: 0.3 });
    return leaveOutTotals(parseDelimitedText(req.text.replace(/\r?\n$/, ''), req.name, 'paste'));
  }
  progress({ stage: isXlsx(req.name) ? 'Unzipping workbook' : 'Detecting encoding and delimiter', fraction: 0.2 });
  // By what the bytes are (an .xlsx named .csv is still read; a PDF or an .xls is refused, saying what it is).
  const table = await parseImportFile(req.bytes, req.name, req.sheetName);
  progress({ stage: `Read ${plural(table.rows.length, 'row')}`, fraction: 0.9 });
  return table;
}

/** A parsed import: its preview now, every row on demand; close() lets the table go. */
export type ImportSession = {
  preview: ImportPreview;
  /** The rows; with `check`, the feed of the worker's checks from the first row (null: none, check all here). */
  build(headerRow: number, columns: SheetColumn[], check: CheckRequest): Promise<{ built: BuiltRows; feed: CheckFeed | null }>;
  /** The mapping step's current choice, so the worker can work on it ahead (see importJobs). */
  prepare(headerRow: number, columns: SheetColumn[], check: CheckRequest): void;
  close(): void;
};

/** The fallback: the same work on this thread. */
async function parseHere(req: ParseRequest, onProgress: (p: ParseProgress) => void): Promise<ImportSession> {
  let table: ImportedTable | null = await runParse(req, onProgress);
  return {
    preview: previewOf(table),
    build: async (headerRow, columns, check) => {
      if (!table) throw new Error('This import was closed: choose the file again');
      // One thread: the window checks every row itself.
      return { built: buildRows(table, headerRow, columns, check.unwrapEmails), feed: null };
    },
    prepare: () => {},
    close: () => (table = null),
  };
}

const newWorker = () => new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
/** A worker started while the import screen shows, its code loaded before a file is chosen. */
let spare: Worker | null = null;
export function warmImportWorker(): void {
  try {
    spare ??= newWorker();
  } catch {
    // openImport will say, or parse on this thread.
  }
}

export function openImport(req: ParseRequest, onProgress: (p: ParseProgress) => void): Promise<ImportSession> {
  let worker: Worker;
  try {
    worker = spare ?? newWorker();
    spare = null;
  } catch {
    return parseHere(req, onProgress);
  }
  return new Promise((resolve, reject) => {
    let closed = false;
    let waiting: { resolve: (b: BuiltRows) => void; reject: (e: Error) => void } | null = null;
    let feed: CheckFeed | null = null;
    const fail = (message: string) => {
      const w = waiting;
      waiting = null;
      w?.reject(new Error(message));
      // The window checks what the worker did not.
      if (feed) feed.done = true;
    };
    const session: ImportSession = {
      preview: null as unknown as ImportPreview,
      build: (headerRow, columns, check) => {
        if (closed) return Promise.reject(new Error('This import was closed: choose the file again'));
        if (waiting || (feed && !feed.done)) return Promise.reject(new Error('The rows are already being prepared'));
        const mine = newFeed((at) => worker.postMessage({ type: 'stop', at } satisfies ToWorker));
        feed = mine;
        const built = new Promise<BuiltRows>((res, rej) => (waiting = { resolve: res, reject: rej }));
        worker.postMessage({ type: 'build', choice: { headerRow, columns, ...check } } satisfies ToWorker);
        return built.then((b) => ({ built: b, feed: mine }));
      },
      prepare: (headerRow, columns, check) => {
        if (!closed) worker.postMessage({ type: 'prepare', choice: { headerRow, columns, ...check } } satisfies ToWorker);
      },
      close: () => {
        closed = true;
        worker.terminate();
        fail('This import was closed: choose the file again');
      },
    };
    let parsed = false;
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'parsed') {
        parsed = true;
        session.preview = m.preview;
        resolve(session);
      } else if (m.type === 'built') {
        const w = waiting;
        waiting = null;
        w?.resolve(m.built);
      } else if (m.type === 'checked') {
        if (feed && !feed.done) {
          feed.parts.push(m.checked);
          feed.covered = m.checked.to;
        }
      } else if (m.type === 'checked-end') {
        if (feed) feed.done = true;
      } else if (!parsed) {
        worker.terminate();
        reject(new Error(m.message));
      } else fail(m.message);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      // A worker that cannot even load: parse here instead of failing the import. One that died later: say so.
      if (!parsed) parseHere(req, onProgress).then(resolve, reject);
      else fail('The import stopped while preparing the rows: choose the file again');
    };
    worker.postMessage({ type: 'parse', req } satisfies ToWorker, req.kind === 'file' ? [req.bytes] : []);
  });
}
