/** One open sheet: toolbar, grid, and the side panel (problems, metadata, settings). */
import { CompactSelection, type DataEditorRef, type GridSelection } from '@glideapps/glide-data-grid';
import { focusGridCell } from './focusGrid.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useActiveProfile } from '../../store/profiles.ts';
import { plural } from '../../../../shared/plural.ts';
import { useSheet } from '../../store/sheet.ts';
import { ReviewDialog } from '../runs/ReviewDialog.tsx';
import { useUi } from '../../store/ui.ts';
import { exportSheetCsv } from './exportCsv.ts';
import { FindReplace } from './FindReplace.tsx';
import { BulkMetadata, RowMetadata } from './MetadataPanel.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { emptySelection, SheetGrid } from './SheetGrid.tsx';
import { useOrgRoles } from './useOrgRoles.ts';
import { Splitter } from './Splitter.tsx';
import { useSidePanel } from './useSidePanel.ts';
import { computeView, selectedDocRows, type Filter, type Sort } from './view.ts';
import { SaveConflict } from './SaveConflict.tsx';

type Tab = 'problems' | 'metadata' | 'settings';
const TABS: readonly Tab[] = ['problems', 'metadata', 'settings'];
const SAVE_LABEL = { saved: 'All changes saved', pending: 'Saving…', saving: 'Saving…', error: 'Not saved' } as const;

export function SheetEditor() {
  const doc = useSheet((s) => s.doc)!;
  const validation = useSheet((s) => s.validation);
  const { apply, undo, redo, close, undoStack, redoStack, save, saveError, saveConflict } = useSheet();
  const toast = useUi((s) => s.toast);
  const grid = useRef<DataEditorRef>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<Sort>(null);
  const [selection, setSelection] = useState<GridSelection>(emptySelection);
  const [tab, setTab] = useState<Tab>('problems');
  const [finding, setFinding] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [findFocus, setFindFocus] = useState(0);
  const sendButton = useRef<HTMLButtonElement>(null);
  const profile = useActiveProfile();
  useOrgRoles(doc.settings, profile?.id ?? null);
  const side = useSidePanel();

  const view = useMemo(() => computeView(doc, validation, filter, sort), [doc, validation, filter, sort]);
  const current = selection.current ? { row: selection.current.cell[1], col: selection.current.cell[0] - 1 } : null;
  const currentDocRow = current ? (view[current.row] ?? null) : null;
  const selectedRows = useMemo(() => selectedDocRows(selection, view), [selection, view]);

  const jump = (docRow: number, col: number | null) => {
    if (docRow < 0) {
      // A problem of the whole sheet is fixed in its settings.
      side.setFolded(false);
      return setTab('settings');
    }
    let vr = view.indexOf(docRow);
    if (vr < 0) {
      setFilter('all');
      setSort(null);
      vr = docRow;
    }
    const c = (col ?? 0) + 1;
    setSelection({ ...emptySelection, current: { cell: [c, vr], range: { x: c, y: vr, width: 1, height: 1 }, rangeStack: [] } });
    // After React applies the selection (focusing first would let the grid pick its default cell instead), and again
    // each frame until the grid, laid out, holds it.
    focusGridCell(grid, c, vr);
  };

  // Ctrl/Cmd+F (or H) opens our Find & Replace wherever focus is: in the grid, a panel, a JSON editor, the toolbar.
  // Capture, so neither the grid nor CodeMirror opens a find box of its own first.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if ((k !== 'f' && k !== 'h') || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      e.stopPropagation();
      setFinding(true);
      setFindFocus((n) => n + 1);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  // A sheet just created or opened: focus goes to the next thing to do, the first problem to fix, else Send….
  const firstProblem = validation ? (validation.problems.find((p) => p.row >= 0) ?? null) : undefined;
  const focusedFor = useRef<string | null>(null);
  useEffect(() => {
    if (firstProblem === undefined || focusedFor.current === doc.id) return;
    focusedFor.current = doc.id;
    // After the grid's first paint, so it takes the selection rather than picking its default cell.
    // Only where focus was lost (the Create or Open button is gone): never over what the user already started.
    requestAnimationFrame(() => {
      if (document.activeElement !== document.body && document.activeElement !== null) return;
      if (firstProblem) jump(firstProblem.row, firstProblem.col);
      else sendButton.current?.focus();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per sheet, when its first validation is in
  }, [doc.id, firstProblem === undefined]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const el = e.target as HTMLElement;
    if (
      el.closest('.cm-editor') ||
      (el.tagName === 'INPUT' && !el.closest('[data-testid="sheet-grid"]')) ||
      el.tagName === 'TEXTAREA' ||
      el.tagName === 'SELECT'
    )
      return;
    const mod = e.ctrlKey || e.metaKey;
    if (!mod) return;
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) undo();
    else if ((k === 'z' && e.shiftKey) || k === 'y') redo();
    else return;
    e.preventDefault();
  };

  // The tabs are one Tab stop; the arrow keys (and Home/End) move between them and select, as WAI-ARIA's tabs do.
  const onTabKey = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    setTab(TABS[next]!);
    e.currentTarget.querySelectorAll<HTMLButtonElement>('[role=tab]')[next]?.focus();
  };

  const v = validation;
  const countsText = `${(v?.validCount ?? 0).toLocaleString()} ready · ${
    v?.waitingCount ? `${v.waitingCount.toLocaleString()} waiting for the sheet’s settings · ` : ''
  }${(v?.invalidCount ?? 0).toLocaleString()} with problems · ${plural(v?.duplicateCount ?? 0, 'duplicate')}`;
  const sendWhy = !profile
    ? 'Pick a profile to send with (the header’s switcher)'
    : !v
      ? 'Checking the sheet…'
      : v.validCount > 0
        ? null
        : v.waitingCount > 0
          ? 'Nothing to send yet: the sheet lacks a setting (see Problems, marked Sheet)'
          : v.invalidCount > 0
            ? 'Nothing to send yet: every row has a problem to fix (see Problems)'
            : 'Nothing to send: the sheet has no rows';

  const insertRow = (offset: 0 | 1) => {
    const at = currentDocRow === null ? doc.rows.length : currentDocRow + offset;
    apply({ kind: 'insert', label: 'Insert row', index: at, rows: [Array<string>(doc.columns.length).fill('')] });
  };
  const deleteRows = () => {
    if (selectedRows.length === 0) return;
    apply({
      kind: 'delete',
      label: `Delete ${plural(selectedRows.length, 'row')}`,
      entries: selectedRows.map((index) => ({ index, row: doc.rows[index]! })),
    });
    setSelection({ columns: CompactSelection.empty(), rows: CompactSelection.empty() });
    toast('info', `Deleted ${plural(selectedRows.length, 'row')}. Ctrl+Z brings them back.`);
  };

  return (
    <section className="editor" data-testid="sheet-editor" onKeyDown={onKeyDown}>
      <div className="toolbar">
        <div className="toolbar-title">
          <button
            type="button"
            onClick={() =>
              saveConflict ? toast('error', 'Your edits to this sheet are not saved: reload it or save yours as a copy first.') : close()
            }
            data-testid="sheet-close"
            title="All sheets"
          >
            ← Sheets
          </button>
          <SheetName
            key={doc.name}
            saved={doc.name}
            onRename={(after) => apply({ kind: 'name', label: 'Rename sheet', before: doc.name, after })}
          />
          <div className="toolbar-status" title={countsText}>
            <span className={`save-state save-${save}`} data-testid="save-state" title={saveError ?? ''}>
              {SAVE_LABEL[save]}
              {saveError ? `: ${saveError}` : ''}
            </span>
            <span className="counts" data-testid="sheet-counts">
              {countsText}
            </span>
          </div>
        </div>
        <div className="toolbar-actions">
          <button
            type="button"
            onClick={undo}
            disabled={!undoStack.length}
            title={`Undo ${undoStack.at(-1)?.label ?? ''} (Ctrl+Z)`}
            data-testid="undo"
          >
            Undo
          </button>
          <button
            type="button"
            onClick={redo}
            disabled={!redoStack.length}
            title={`Redo ${redoStack.at(-1)?.label ?? ''} (Ctrl+Shift+Z)`}
            data-testid="redo"
          >
            Redo
          </button>
          {/* Short labels, full names for the ear and on hover: the toolbar is one row from 1024 px (issue 21 #5). */}
          <button type="button" onClick={() => insertRow(0)} title="Insert a row above the selected cell" aria-label="Insert row">
            + Row
          </button>
          <button
            type="button"
            onClick={deleteRows}
            disabled={!selectedRows.length}
            aria-label={`Delete ${plural(Math.max(1, selectedRows.length), 'row')}`}
            title={`Delete ${plural(Math.max(1, selectedRows.length), 'row')} (Ctrl+Z brings them back)`}
            data-testid="delete-rows"
          >
            Delete{selectedRows.length > 1 ? ` ${selectedRows.length.toLocaleString()}` : ''}
          </button>
          <button type="button" onClick={() => setFinding((f) => !f)} title="Find and replace (Ctrl+F)" data-testid="find-toggle">
            Find
          </button>
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} aria-label="Show" data-testid="filter">
            <option value="all">All rows</option>
            <option value="problems">Problems</option>
            <option value="duplicates">Duplicates</option>
          </select>
          <button type="button" onClick={() => exportSheetCsv(doc)} title="Export the sheet as CSV" data-testid="export-csv">
            Export
          </button>
          {/* A disabled Send… says why, on hover and to a screen reader (a disabled button gets no hover itself). */}
          <span className="send-wrap" title={sendWhy ?? undefined}>
            <button
              type="button"
              className="primary"
              disabled={sendWhy !== null}
              onClick={() => setReviewing(true)}
              aria-describedby={sendWhy ? 'send-why' : undefined}
              data-testid="send-open"
              ref={sendButton}
            >
              Send…
            </button>
            {sendWhy && (
              <span id="send-why" className="visually-hidden" data-testid="send-why">
                {sendWhy}
              </span>
            )}
          </span>
        </div>
      </div>
      {saveConflict && <SaveConflict message={saveError ?? ''} />}
      {reviewing && profile && <ReviewDialog sheetId={doc.id} profileId={profile.id} onClose={() => setReviewing(false)} />}
      {finding && (
        <FindReplace
          view={view}
          current={current}
          focusToken={findFocus}
          onFound={(vr, c) => jump(view[vr]!, c)}
          onClose={() => {
            setFinding(false);
            grid.current?.focus();
          }}
        />
      )}
      <div
        className="editor-body"
        style={{ gridTemplateColumns: side.folded ? 'minmax(0, 1fr) auto' : `minmax(0, 1fr) auto ${side.width}px` }}
      >
        <SheetGrid ref={grid} view={view} sort={sort} onSort={setSort} selection={selection} onSelection={setSelection} />
        {side.folded ? (
          <aside className="side side-folded">
            <button type="button" onClick={() => side.setFolded(false)} data-testid="side-unfold" title="Show the side panel">
              ◂ Problems ({validation?.problems.length ?? 0}) · Metadata · Settings
            </button>
          </aside>
        ) : (
          <Splitter width={side.width} onWidth={side.setWidth} onFold={() => side.setFolded(true)} />
        )}
        {!side.folded && (
          <aside className="side">
            <div className="side-head">
              <div className="tabs" role="tablist" aria-label="Side panel" onKeyDown={onTabKey}>
                {TABS.map((t) => (
                  <button
                    key={t}
                    type="button"
                    role="tab"
                    aria-selected={tab === t}
                    tabIndex={tab === t ? 0 : -1}
                    className={tab === t ? 'tab active' : 'tab'}
                    onClick={() => setTab(t)}
                    data-testid={`tab-${t}`}
                  >
                    {t === 'problems' ? `Problems (${validation?.problems.length ?? 0})` : t === 'metadata' ? 'Metadata' : 'Settings'}
                  </button>
                ))}
              </div>
              <button
                type="button"
                className="side-fold"
                onClick={() => side.setFolded(true)}
                aria-label="Fold the side panel"
                title="Fold the side panel (the grid takes the window)"
                data-testid="side-fold"
              >
                ▸
              </button>
            </div>
            {tab === 'problems' && <ProblemsPanel onJump={jump} />}
            {tab === 'metadata' && (
              <div className="panel">
                {selectedRows.length > 1 ? <BulkMetadata rows={selectedRows} /> : <RowMetadata row={currentDocRow} />}
              </div>
            )}
            {tab === 'settings' && <SettingsPanel />}
          </aside>
        )}
      </div>
    </section>
  );
}

function SheetName({ saved, onRename }: { saved: string; onRename: (name: string) => void }) {
  const [name, setName] = useState(saved);
  return (
    <input
      className="sheet-name"
      value={name}
      aria-label="Sheet name"
      data-testid="sheet-name"
      maxLength={120}
      onChange={(e) => setName(e.target.value)}
      onBlur={() => (name.trim() && name.trim() !== saved ? onRename(name.trim()) : setName(saved))}
      onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
    />
  );
}
