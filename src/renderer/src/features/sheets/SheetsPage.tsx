import { lazy, Suspense, useEffect, useState } from 'react';
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { lastOpenSheet, useSheet } from '../../store/sheet.ts';
import { subscribeSheets, useSheets } from '../../store/sheets.ts';
import { useUi } from '../../store/ui.ts';
import { ImportDropzone } from '../import/ImportDropzone.tsx';
import { MappingStep } from '../import/MappingStep.tsx';
import { parseInWorker, type ParseRequest } from '../import/parseFile.ts';
import { SheetList } from './SheetList.tsx';

// The grid (Glide) and the editor's panels are the bulk of the renderer: loaded when a sheet opens.
const SheetEditor = lazy(() => import('./SheetEditor.tsx').then((m) => ({ default: m.SheetEditor })));

export function SheetsPage() {
  const doc = useSheet((s) => s.doc);
  const open = useSheet((s) => s.open);
  const openLocal = useSheet((s) => s.openLocal);
  const { sheets, loaded, load } = useSheets();
  const active = useActiveProfile();
  const toast = useUi((s) => s.toast);
  const [imported, setImported] = useState<{ table: ImportedTable; request: ParseRequest } | null>(null);

  useEffect(() => {
    subscribeSheets();
    void load().then(() => {
      // Pick up where the user left off (a reload or a crash must not lose the open sheet).
      const last = lastOpenSheet();
      if (last && !useSheet.getState().doc) void open(last);
    });
  }, [load, open]);

  const openSheet = async (id: string) => {
    const error = await open(id);
    if (error) toast('error', error);
  };

  if (doc)
    return (
      <Suspense
        fallback={
          <div className="loading" data-testid="sheet-loading">
            Opening {doc.name}…
          </div>
        }
      >
        <SheetEditor />
      </Suspense>
    );
  return (
    <section className="page" data-testid="page-sheets">
      <h1>Sheets</h1>
      {active && (
        <p className="lead">
          Invitations from these sheets will go to <strong>{active.name}</strong> ({active.isSandbox ? 'sandbox' : active.environment}).
        </p>
      )}
      {imported ? (
        <MappingStep
          key={`${imported.table.fileName}:${imported.table.sheetName ?? ''}`}
          table={imported.table}
          onCancel={() => setImported(null)}
          onCreated={(doc) => {
            setImported(null);
            void openLocal(doc);
          }}
          onPickSheet={(sheetName) => {
            if (imported.request.kind !== 'file') return;
            const req = { ...imported.request, bytes: imported.request.bytes.slice(0), sheetName };
            void parseInWorker({ ...req, bytes: req.bytes.slice(0) }, () => {}).then(
              (table) => setImported({ table, request: req }),
              (e: Error) => toast('error', e.message),
            );
          }}
        />
      ) : (
        <ImportDropzone onParsed={(table, request) => setImported({ table, request })} />
      )}
      {loaded && sheets.length === 0 && !imported && (
        <p className="muted center" data-testid="sheets-empty">
          No sheets yet. Import a file above: you can fix it here, spreadsheet-style, before anything is sent.
        </p>
      )}
      <SheetList sheets={sheets} onOpen={(id) => void openSheet(id)} />
    </section>
  );
}
