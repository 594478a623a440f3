/** Find (next match, in view order) and replace all, as one undoable edit. */
import { plural } from '../../../../shared/plural.ts';
import { useEffect, useRef, useState } from 'react';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { setCellsOp } from './ops.ts';

export function FindReplace({
  view,
  current,
  onFound,
  onClose,
  focusToken,
}: {
  view: number[];
  current: { row: number; col: number } | null;
  onFound: (viewRow: number, col: number) => void;
  onClose: () => void;
  /** Changes each time Ctrl/Cmd+F is pressed: the Find box takes focus again, its text selected. */
  focusToken: number;
}) {
  const doc = useSheet((s) => s.doc)!;
  const apply = useSheet((s) => s.apply);
  const toast = useUi((s) => s.toast);
  const [find, setFind] = useState('');
  const [replace, setReplace] = useState('');
  const [matchCase, setMatchCase] = useState(false);
  const norm = (s: string) => (matchCase ? s : s.toLowerCase());
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusToken]);

  const next = () => {
    if (!find) return;
    const needle = norm(find);
    const width = doc.columns.length;
    const start = current ? current.row * width + current.col + 1 : 0;
    const total = view.length * width;
    for (let k = 0; k < total; k++) {
      const pos = (start + k) % total;
      const vr = Math.floor(pos / width);
      const c = pos % width;
      if (norm(doc.rows[view[vr]!]?.[c] ?? '').includes(needle)) return onFound(vr, c);
    }
    toast('info', `No cell contains “${find}”.`);
  };

  const replaceAll = () => {
    if (!find) return;
    const re = new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), matchCase ? 'g' : 'gi');
    const cells: { row: number; col: number; value: string }[] = [];
    for (const r of view) {
      const row = doc.rows[r]!;
      row.forEach((v, c) => {
        if (re.test(v)) cells.push({ row: r, col: c, value: v.replace(re, replace) });
        re.lastIndex = 0;
      });
    }
    const op = setCellsOp(doc, cells, `Replace “${find}” in ${plural(cells.length, 'cell')}`);
    apply(op);
    toast('info', op ? `${op.label}. Ctrl+Z undoes it.` : `No cell contains “${find}”.`);
  };

  return (
    <div className="find-bar" data-testid="find-bar" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <input
        ref={input}
        value={find}
        onChange={(e) => setFind(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && next()}
        placeholder="Find"
        aria-label="Find"
        data-testid="find-input"
      />
      <input
        value={replace}
        onChange={(e) => setReplace(e.target.value)}
        placeholder="Replace with"
        aria-label="Replace with"
        data-testid="replace-input"
      />
      <label className="check">
        <input type="checkbox" checked={matchCase} onChange={(e) => setMatchCase(e.target.checked)} /> Match case
      </label>
      <button type="button" onClick={next} data-testid="find-next">
        Find next
      </button>
      <button type="button" onClick={replaceAll} data-testid="replace-all">
        Replace all
      </button>
      <button type="button" onClick={onClose} aria-label="Close find">
        ×
      </button>
    </div>
  );
}
