/** One open sheet: toolbar, grid, and the side panel (problems, metadata, settings). */
import { CompactSelection, type DataEditorRef, type GridSelection } from '@glideapps/glide-data-grid';
import { useMemo, useRef, useState } from 'react';
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
import { computeView, selectedDocRows, type Filter, type Sort } from './view.ts';

type Tab = 'problems' | 'metadata' | 'settings';
const SAVE_LABEL = { saved: 'All changes saved', pending: 'Saving…', saving: 'Saving…', error: 'Not saved' } as const;

export function SheetEditor() {
  const doc = useSheet((s) => s.doc)!;
  const validation = useSheet((s) => s.validation);
  const { apply, undo, redo, close, undoStack, redoStack, save, saveError } = useSheet();
  const toast = useUi((s) => s.toast);
  const grid = useRef<DataEditorRef>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<Sort>(null);
  const [selection, setSelection] = useState<GridSelection>(emptySelection);
  const [tab, setTab] = useState<Tab>('problems');
  const [finding, setFinding] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const profile = useActiveProfile();

  const view = useMemo(() => computeView(doc, validation, filter, sort), [doc, validation, filter, sort]);
  const current = selection.current ? { row: selection.current.cell[1], col: selection.current.cell[0] - 1 } : null;
  const currentDocRow = current ? (view[current.row] ?? null) : null;
  const selectedRows = useMemo(() => selectedDocRows(selection, view), [selection, view]);

  const jump = (docRow: number, col: number | null) => {
    let vr = view.indexOf(docRow);
    if (vr < 0) {
      setFilter('all');
      setSort(null);
      vr = docRow;
    }
    const c = (col ?? 0) + 1;
    setSelection({ ...emptySelection, current: { cell: [c, vr], range: { x: c, y: vr, width: 1, height: 1 }, rangeStack: [] } });
    // After React applies the selection: focusing first would let the grid pick its default cell instead.
    requestAnimationFrame(() => {
      grid.current?.scrollTo(c, vr);
      grid.current?.focus();
    });
  };

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
    else if (k === 'f' || k === 'h') setFinding(true);
    else return;
    e.preventDefault();
  };

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
          <button type="button" onClick={close} data-testid="sheet-close" title="All sheets">
            ← Sheets
          </button>
          <SheetName
            key={doc.name}
            saved={doc.name}
            onRename={(after) => apply({ kind: 'name', label: 'Rename sheet', before: doc.name, after })}
          />
          <div className="toolbar-status">
            <span className={`save-state save-${save}`} data-testid="save-state" title={saveError ?? ''}>
              {SAVE_LABEL[save]}
              {saveError ? `: ${saveError}` : ''}
            </span>
            <span className="counts" data-testid="sheet-counts">
              {(validation?.validCount ?? 0).toLocaleString()} ready · {(validation?.invalidCount ?? 0).toLocaleString()} with problems ·{' '}
              {plural(validation?.duplicateCount ?? 0, 'duplicate')}
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
          <button type="button" onClick={() => insertRow(0)} title="Insert a row above the selected cell">
            Insert row
          </button>
          <button type="button" onClick={deleteRows} disabled={!selectedRows.length} data-testid="delete-rows">
            Delete {selectedRows.length > 1 ? `${selectedRows.length} rows` : 'row'}
          </button>
          <button type="button" onClick={() => setFinding((f) => !f)} title="Find and replace (Ctrl+F)" data-testid="find-toggle">
            Find
          </button>
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} aria-label="Show" data-testid="filter">
            <option value="all">All rows</option>
            <option value="problems">Problems only</option>
            <option value="duplicates">Duplicates only</option>
          </select>
          <button type="button" onClick={() => exportSheetCsv(doc)} data-testid="export-csv">
            Export CSV
          </button>
          <button
            type="button"
            className="primary"
            disabled={!profile || !validation?.validCount}
            onClick={() => setReviewing(true)}
            data-testid="send-open"
          >
            Send…
          </button>
        </div>
      </div>
      {reviewing && profile && <ReviewDialog sheetId={doc.id} profileId={profile.id} onClose={() => setReviewing(false)} />}
      {finding && <FindReplace view={view} current={current} onFound={(vr, c) => jump(view[vr]!, c)} onClose={() => setFinding(false)} />}
      <div className="editor-body">
        <SheetGrid ref={grid} view={view} sort={sort} onSort={setSort} selection={selection} onSelection={setSelection} />
        <aside className="side">
          <div className="tabs" role="tablist">
            {(['problems', 'metadata', 'settings'] as Tab[]).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                className={tab === t ? 'tab active' : 'tab'}
                onClick={() => setTab(t)}
                data-testid={`tab-${t}`}
              >
                {t === 'problems' ? `Problems (${validation?.problems.length ?? 0})` : t === 'metadata' ? 'Metadata' : 'Settings'}
              </button>
            ))}
          </div>
          {tab === 'problems' && <ProblemsPanel onJump={jump} />}
          {tab === 'metadata' && (
            <div className="panel">
              {selectedRows.length > 1 ? <BulkMetadata rows={selectedRows} /> : <RowMetadata row={currentDocRow} />}
            </div>
          )}
          {tab === 'settings' && <SettingsPanel />}
        </aside>
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
