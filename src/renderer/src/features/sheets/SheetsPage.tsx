import { useEffect, useRef, useState } from 'react';
import { useActiveProfile } from '../../store/profiles.ts';
import { lastOpenSheet, useSheet } from '../../store/sheet.ts';
import { useSheets } from '../../store/sheets.ts';
import { useUi } from '../../store/ui.ts';
import { ImportDropzone } from '../import/ImportDropzone.tsx';
import { MappingStep } from '../import/MappingStep.tsx';
import { openImport, type ImportSession, type ParseRequest } from '../import/parseFile.ts';
import { SheetList } from './SheetList.tsx';

// The grid (Glide) and the editor's panels are the bulk of the renderer: a chunk of their own, fetched while the
// app is idle (AppShell) and again when a mapping step is shown. Not lazy(): a loaded module still suspends once
// through it, and React keeps a Suspense fallback on screen for at least 300 ms.
type EditorModule = typeof import('./SheetEditor.tsx');
let editorModule: EditorModule | null = null;
const loadEditor = (): Promise<EditorModule> => import('./SheetEditor.tsx').then((m) => (editorModule = m));

type Imported = { session: ImportSession; request: ParseRequest };

export function SheetsPage() {
  const doc = useSheet((s) => s.doc);
  const open = useSheet((s) => s.open);
  const openLocal = useSheet((s) => s.openLocal);
  const { sheets, loaded, load } = useSheets();
  const active = useActiveProfile();
  const toast = useUi((s) => s.toast);
  const [imported, setImportedState] = useState<Imported | null>(null);
  const [Editor, setEditor] = useState<EditorModule | null>(editorModule);
  useEffect(() => {
    // Needed as soon as a sheet is open (a reload reopens the last one).
    if (doc && !Editor) void loadEditor().then(setEditor, (e: Error) => toast('error', `The sheet editor did not load: ${e.message}`));
  }, [doc, Editor, toast]);
  // The parsed file lives in its worker until the import is done with (created, cancelled, replaced, page left).
  const live = useRef<ImportSession | null>(null);
  const setImported = (next: Imported | null) => {
    if (live.current && live.current !== next?.session) live.current.close();
    live.current = next?.session ?? null;
    // The sheet opens right after Create: have the grid's code ready by then.
    if (next) void loadEditor().then(setEditor, () => {});
    setImportedState(next);
  };
  useEffect(() => () => live.current?.close(), []);

  useEffect(() => {
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

  if (doc) {
    if (Editor) return <Editor.SheetEditor />;
    return (
      <div className="loading" data-testid="sheet-loading">
        Opening {doc.name}…
      </div>
    );
  }
  return (
    <section className="page" data-testid="page-sheets">
      <h1>Sheets</h1>
      {active && (
        <p className="lead">
          Invitations from these sheets will go to <strong>{active.name}</strong> ({active.isSandbox ? 'sandbox' : active.environment}).
          {active.isSandbox && (
            <span data-testid="sandbox-explained">
              {' '}
              The Sandbox is a pretend Clerk inside Invite Desk: try anything, nothing reaches Clerk or anyone’s inbox, and it is emptied
              when the app quits. Add your own Clerk instance under Profiles to send for real.
            </span>
          )}
        </p>
      )}
      {imported ? (
        <MappingStep
          key={`${imported.session.preview.fileName}:${imported.session.preview.sheetName ?? ''}`}
          session={imported.session}
          onCancel={() => setImported(null)}
          onCreated={(doc, checked) => {
            setImported(null);
            void openLocal(doc, checked);
          }}
          onPickSheet={(sheetName) => {
            if (imported.request.kind !== 'file') return;
            const req = { ...imported.request, bytes: imported.request.bytes.slice(0), sheetName };
            void openImport({ ...req, bytes: req.bytes.slice(0) }, () => {}).then(
              (session) => setImported({ session, request: req }),
              (e: Error) => toast('error', e.message),
            );
          }}
        />
      ) : (
        <ImportDropzone onParsed={(session, request) => setImported({ session, request })} />
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
