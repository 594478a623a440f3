/**
 * The spreadsheet: Glide Data Grid (virtualized canvas, range selection, fill handle, copy/paste, search).
 * Column 0 is the read-only row status; columns 1… are the sheet's columns. Rows go through the view
 * (filter/sort), so every edit maps display rows back to document rows.
 */
import {
  CompactSelection,
  DataEditor,
  GridCellKind,
  type DataEditorRef,
  type EditListItem,
  type GridCell,
  type GridColumn,
  type GridSelection,
  type GridMouseEventArgs,
  type Item,
} from '@glideapps/glide-data-grid';
import '@glideapps/glide-data-grid/dist/index.css';
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { normalizeCell } from '../../../../shared/domain/sheet/mapping.ts';
import { targetLabel, type ColumnTarget } from '../../../../shared/domain/sheet/types.ts';
import { ColumnMapMenu } from './ColumnMapMenu.tsx';
import { loadWidths, saveWidths } from './columnWidths.ts';
import { gridThemes, useColorScheme } from '../../lib/theme.ts';
import { useSheet } from '../../store/sheet.ts';
import { setCellsOp } from './ops.ts';
import { useEditorCommit } from './editorCommit.ts';
import { useTypeAhead } from './typeAhead.ts';
import { statusText, type Sort } from './view.ts';

type Props = {
  view: number[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selection: GridSelection;
  onSelection: (s: GridSelection) => void;
};

export const emptySelection: GridSelection = { columns: CompactSelection.empty(), rows: CompactSelection.empty() };

export const SheetGrid = forwardRef<DataEditorRef, Props>(function SheetGrid({ view, sort, onSort, selection, onSelection }, ref) {
  const doc = useSheet((s) => s.doc)!;
  const validation = useSheet((s) => s.validation);
  const apply = useSheet((s) => s.apply);
  const [tip, setTip] = useState<{ text: string; x: number; y: number; kind: 'error' | 'status' } | null>(null);
  const resizedAt = useRef(0);
  const [menu, setMenu] = useState<{ col: number; at: { x: number; y: number } } | null>(null);
  // Widths dragged by the user, per sheet (the status column's too), remembered on this computer.
  const [widths, setWidths] = useState<Record<string, number>>(() => loadWidths(doc.id));
  useEffect(() => {
    setWidths(loadWidths(doc.id));
  }, [doc.id]);
  const scheme = useColorScheme();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tokens are re-read when the OS colour scheme changes
  const themes = useMemo(() => gridThemes(), [scheme]);
  const typeAhead = useTypeAhead(1); // column 0, the status, is read-only

  const columns = useMemo<GridColumn[]>(
    () => [
      { id: 'status', title: 'Status', width: widths['status'] ?? 220 },
      ...doc.columns.map((c, i) => ({
        id: c.id,
        title: `${c.header}${sort?.col === i ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}`,
        width: widths[c.id] ?? (c.target.kind === 'field' && c.target.field === 'email' ? 240 : 160),
        group: targetLabel(c.target),
        // The ▾ changes what the column is sent as, after Create, keeping its cells.
        hasMenu: true,
      })),
    ],
    [doc.columns, sort, widths],
  );

  const getCellContent = useCallback(
    ([col, row]: Item): GridCell => {
      const r = view[row];
      const cells = r === undefined ? undefined : doc.rows[r];
      if (col === 0) {
        const s = r === undefined ? { text: '', ok: null } : statusText(validation, r, cells);
        return {
          kind: GridCellKind.Text,
          data: s.text,
          displayData: s.ok === true ? '✓ Ready' : s.ok === false ? `✗ ${s.text}` : s.text,
          allowOverlay: false,
          readonly: true,
          ...(s.ok === true ? { themeOverride: themes.ok } : s.ok === false ? { themeOverride: themes.bad } : {}),
        };
      }
      const text = cells?.[col - 1] ?? '';
      const error = r === undefined ? undefined : validation?.cellErrors.get(r)?.get(col - 1);
      return {
        kind: GridCellKind.Text,
        data: text,
        displayData: text.replace(/\n/g, ' ⏎ '),
        allowOverlay: true,
        ...(error ? { themeOverride: themes.invalid } : {}),
      };
    },
    [doc.rows, view, validation, themes],
  );

  // Display row → document row; rows past the view's end are new rows appended to the sheet.
  const docRow = useCallback((row: number) => view[row] ?? doc.rows.length + (row - view.length), [view, doc.rows.length]);

  const onCellsEdited = useCallback(
    (items: readonly EditListItem[]) => {
      const cells = items
        .filter((it) => it.location[0] > 0 && it.value.kind === GridCellKind.Text)
        .map((it) => {
          const col = it.location[0] - 1;
          return { row: docRow(it.location[1]), col, value: normalizeCell(doc.columns[col]?.target, (it.value as { data: string }).data) };
        });
      apply(setCellsOp(doc, cells, items.length > 1 ? `Edit ${items.length} cells` : 'Edit cell'));
      return true;
    },
    [apply, doc, docRow],
  );

  // What the editor shows is what Enter or Tab commits, even if Glide's editor state missed it (editorCommit.ts).
  const onFinishedEditing = useEditorCommit(
    selection.current?.cell,
    useCallback(
      ([col, row]: Item, text: string) => {
        const r = docRow(row);
        if (col < 1 || (doc.rows[r]?.[col - 1] ?? '') === text) return;
        onCellsEdited([{ location: [col, row], value: { kind: GridCellKind.Text, data: text, displayData: text, allowOverlay: true } }]);
      },
      [doc.rows, docRow, onCellsEdited],
    ),
  );

  const onPaste = useCallback(
    ([col, row]: Item, pasted: readonly (readonly string[])[]) => {
      const cells: { row: number; col: number; value: string }[] = [];
      // Spreadsheets end what they copy with a line break: that is no empty row to paste over the next one.
      const values = pasted.length > 1 && pasted.at(-1)!.every((c) => c === '') ? pasted.slice(0, -1) : pasted;
      // One value pasted over a selection of several cells fills every one of them, as a spreadsheet does.
      const range = selection.current?.range;
      const one = values.length === 1 && values[0]!.length === 1 ? values[0]![0]! : null;
      if (one !== null && range && range.width * range.height > 1) {
        for (let y = range.y; y < range.y + range.height; y++)
          for (let x = Math.max(1, range.x); x < range.x + range.width; x++)
            cells.push({ row: docRow(y), col: x - 1, value: normalizeCell(doc.columns[x - 1]?.target, one) });
        apply(setCellsOp(doc, cells, `Paste into ${cells.length} cells`));
        return false;
      }
      values.forEach((line, dy) =>
        line.forEach((value, dx) => {
          const c = col + dx - 1;
          if (c >= 0 && c < doc.columns.length)
            cells.push({ row: docRow(row + dy), col: c, value: normalizeCell(doc.columns[c]?.target, value) });
        }),
      );
      apply(setCellsOp(doc, cells, `Paste ${values.length} × ${values[0]?.length ?? 0}`));
      return false; // handled: the op above is one undo step, and it can grow the sheet
    },
    [apply, doc, docRow, selection],
  );

  const onRowAppended = useCallback(() => {
    apply({ kind: 'insert', label: 'Add row', index: doc.rows.length, rows: [Array<string>(doc.columns.length).fill('')] });
  }, [apply, doc.rows.length, doc.columns.length]);

  // The reason a cell is invalid, on hover; over the Status column, the row's whole reason (the cell cuts it).
  const onItemHovered = useCallback(
    (args: GridMouseEventArgs) => {
      if (args.kind !== 'cell') return setTip(null);
      const r = view[args.location[1]];
      const at = { x: args.bounds.x, y: args.bounds.y + args.bounds.height };
      if (args.location[0] === 0) {
        const s = r === undefined ? null : statusText(validation, r, doc.rows[r]);
        return setTip(s && s.ok !== true && s.text ? { text: s.text, ...at, kind: 'status' } : null);
      }
      const error = r === undefined ? undefined : validation?.cellErrors.get(r)?.get(args.location[0] - 1);
      setTip(error ? { text: error, ...at, kind: 'error' } : null);
    },
    [view, validation, doc.rows],
  );
  const remap = (col: number, target: ColumnTarget) => {
    const c = doc.columns[col]!;
    setMenu(null);
    if (JSON.stringify(c.target) === JSON.stringify(target)) return;
    const after = doc.columns.map((x, i) => (i === col ? { ...x, target } : x));
    apply({ kind: 'columns', label: `Send “${c.header}” as ${targetLabel(target)}`, before: doc.columns, after });
  };

  // The rows the canvas shows, on the wrapper (no re-render): the grid draws them in the same commit, so tests
  // and the bench know the sheet is on screen without waiting for Glide's accessibility table (debounced 200 ms).
  const wrap = useRef<HTMLDivElement>(null);
  const onVisibleRegion = useCallback((r: { y: number; height: number }) => {
    wrap.current?.setAttribute('data-rows-shown', `${r.y}-${r.y + r.height}`);
  }, []);
  return (
    <div
      className="grid-wrap"
      data-testid="sheet-grid"
      ref={wrap}
      onMouseLeave={() => setTip(null)}
      // The columns' widths as drawn (the canvas has no DOM to measure): for tests and the bench, like data-rows-shown.
      data-widths={columns.map((c) => ('width' in c ? c.width : 0)).join(',')}
    >
      {tip && (
        <div
          className={`cell-tip${tip.kind === 'status' ? ' cell-tip-status' : ''}`}
          role="tooltip"
          data-testid="cell-tip"
          style={{ left: tip.x, top: tip.y + 4 }}
        >
          {tip.text}
        </div>
      )}
      <DataEditor
        ref={ref}
        columns={columns}
        rows={view.length}
        getCellContent={getCellContent}
        onCellsEdited={onCellsEdited}
        onFinishedEditing={onFinishedEditing}
        onPaste={onPaste}
        getCellsForSelection={true}
        fillHandle={true}
        keybindings={{ downFill: true, rightFill: true, search: false, selectAll: true, clear: true }}
        rowMarkers="both"
        smoothScrollX
        smoothScrollY
        width="100%"
        height="100%"
        freezeColumns={1}
        gridSelection={selection}
        onGridSelectionChange={onSelection}
        trailingRowOptions={{ hint: 'Add row…', sticky: true, tint: true }}
        onRowAppended={onRowAppended}
        onItemHovered={onItemHovered}
        onCellActivated={typeAhead.onCellActivated}
        onColumnResize={(column, size) => {
          resizedAt.current = Date.now();
          if (column.id) setWidths((w) => ({ ...w, [column.id!]: size }));
        }}
        onColumnResizeEnd={(column, size) => column.id && saveWidths(doc.id, { ...widths, [column.id]: size })}
        onHeaderMenuClick={(col, bounds) => {
          // The end of a drag on a column's edge is no click on its ▾.
          if (col > 0 && Date.now() - resizedAt.current > 400) setMenu({ col: col - 1, at: { x: bounds.x, y: bounds.y + bounds.height } });
        }}
        onKeyDown={(e) => {
          // Alt+↓ on a cell: its column's “Send as” menu, the header's ▾ for the keyboard (as Excel opens a filter).
          if (e.altKey && e.key === 'ArrowDown' && !e.ctrlKey && !e.metaKey && e.location && e.location[0] > 0) {
            e.cancel();
            e.preventDefault();
            const b = e.bounds;
            setMenu({ col: e.location[0] - 1, at: { x: b?.x ?? 0, y: (b?.y ?? 0) + (b?.height ?? 0) } });
            return;
          }
          typeAhead.onKeyDown(e);
        }}
        onVisibleRegionChanged={onVisibleRegion}
        onHeaderClicked={(col) => {
          if (col < 1) return;
          const c = col - 1;
          onSort(sort?.col !== c ? { col: c, dir: 'asc' } : sort.dir === 'asc' ? { col: c, dir: 'desc' } : null);
        }}
        theme={themes.grid}
      />
      {menu && (
        <ColumnMapMenu
          columns={doc.columns}
          col={menu.col}
          at={menu.at}
          onApply={(t) => remap(menu.col, t)}
          onClose={() => setMenu(null)}
        />
      )}
    </div>
  );
});
