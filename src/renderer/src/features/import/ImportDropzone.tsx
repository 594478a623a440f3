/** Choose a file, drop one, or paste cells: everything is read here, offline. */
import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { checkFileSize } from '../../../../shared/domain/import/parseImport.ts';
import { openImport, warmImportWorker, type ImportSession, type ParseProgress, type ParseRequest } from './parseFile.ts';
import { sniffFile } from '../../../../shared/domain/import/sniff.ts';

/** What the bytes are (not what the name says): a workbook, or anything else (text, or a file the parse refuses). */
function isWorkbook(bytes: ArrayBuffer, name: string): boolean {
  try {
    return sniffFile(new Uint8Array(bytes), name).kind === 'xlsx';
  } catch {
    return false;
  }
}

export function ImportDropzone({ onParsed }: { onParsed: (session: ImportSession, request: ParseRequest) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<ParseProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  // Once the first screen is up (idle), not during its start.
  useEffect(() => {
    const idle = requestIdleCallback(warmImportWorker, { timeout: 2000 });
    return () => cancelIdleCallback(idle);
  }, []);

  const run = async (req: ParseRequest) => {
    setError(null);
    setProgress({ stage: 'Starting', fraction: 0.05 });
    try {
      // Only a workbook offers its other sheets afterwards, read again from a copy of its bytes; a text file's bytes
      // go to the parse alone (freed once decoded: a 64 MB file is not held twice).
      const copy: ParseRequest = req.kind === 'file' && isWorkbook(req.bytes, req.name) ? { ...req, bytes: req.bytes.slice(0) } : req;
      const t = performance.now();
      const session = await openImport(req, setProgress);
      performance.measure('import:parse (worker)', { start: t, end: performance.now() });
      setProgress(null);
      onParsed(session, copy);
    } catch (e) {
      setProgress(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const readFile = async (file: File) => {
    // A file over the limit is refused before it is read into memory at all.
    try {
      checkFileSize(file.name, file.size);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    const t = performance.now();
    const bytes = await file.arrayBuffer();
    performance.measure('import:read the file', { start: t, end: performance.now() });
    await run({ kind: 'file', name: file.name, bytes });
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void readFile(file);
  };
  const onPaste = (e: ClipboardEvent) => {
    const text = e.clipboardData.getData('text/plain');
    if (text.trim()) {
      e.preventDefault();
      void run({ kind: 'text', name: 'Pasted cells', text });
    }
  };

  return (
    <div
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      data-testid="import-dropzone"
      tabIndex={0}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      onPaste={onPaste}
    >
      <h3>Import people to invite</h3>
      <p className="muted">
        Drop a CSV, TSV or Excel (.xlsx) file here, choose one, or paste cells copied from a spreadsheet. Nothing leaves this computer.
      </p>
      <div className="actions center">
        <button type="button" className="primary" onClick={() => input.current?.click()} data-testid="import-choose">
          Choose a file…
        </button>
        <button type="button" onClick={() => setPasting((p) => !p)} data-testid="import-paste-toggle">
          Paste cells…
        </button>
      </div>
      <input
        ref={input}
        type="file"
        hidden
        accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values"
        data-testid="import-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void readFile(f);
          e.target.value = '';
        }}
      />
      {pasting && (
        <div className="paste-box">
          <textarea
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            placeholder="Paste rows here (Ctrl+V), first row = headers"
            rows={6}
            data-testid="import-paste-text"
          />
          <button
            type="button"
            disabled={!pasted.trim()}
            onClick={() => void run({ kind: 'text', name: 'Pasted cells', text: pasted })}
            data-testid="import-paste-go"
          >
            Use these rows
          </button>
        </div>
      )}
      {progress && (
        <div
          className="progress"
          role="progressbar"
          aria-label="Reading the file"
          aria-valuenow={Math.round(progress.fraction * 100)}
          data-testid="import-progress"
        >
          <div className="progress-bar" style={{ width: `${Math.round(progress.fraction * 100)}%` }} />
          <span>{progress.stage}…</span>
        </div>
      )}
      {error && (
        <div className="form-error" role="alert" data-testid="import-error">
          {error}
        </div>
      )}
    </div>
  );
}
