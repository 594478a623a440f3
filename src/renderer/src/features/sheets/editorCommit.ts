/**
 * Enter or Tab in the grid's cell editor commits what its textarea shows, even when Glide's editor state never took
 * it. Glide commits the value its editor last rendered (its state, updated by React's input events); in CI the
 * textarea held a typed address, focused, and Enter committed nothing at all. The text and the cell are noted as the
 * key goes down; if Glide then finishes the edit with no value, the noted text is committed to the noted cell.
 */
import type { GridCell, Item } from '@glideapps/glide-data-grid';
import { useCallback, useEffect, useRef } from 'react';

type Noted = { cell: Item; text: string };

export function useEditorCommit(
  /** The cell being edited (the grid's current cell), in the grid's columns. */
  editing: Item | undefined,
  /** Commits text to a cell, as a typed edit (one undo step); a no-op when the cell holds it already. */
  commit: (cell: Item, text: string) => void,
): (newValue: GridCell | undefined, movement: Item) => void {
  const noted = useRef<Noted | null>(null);
  const editingRef = useRef(editing);
  useEffect(() => {
    editingRef.current = editing;
  }, [editing]);

  useEffect(() => {
    const portal = document.getElementById('portal');
    if (!portal) return;
    const note = (e: KeyboardEvent) => {
      const editor = e.target;
      if (!(editor instanceof HTMLTextAreaElement)) return;
      const finishes = e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey);
      const cell = finishes ? editingRef.current : undefined;
      noted.current = cell ? { cell, text: editor.value } : null;
    };
    portal.addEventListener('keydown', note, true);
    return () => portal.removeEventListener('keydown', note, true);
  }, []);

  // Glide's onFinishedEditing: called once per edit, after any commit of its own.
  return useCallback(
    (newValue, movement) => {
      const n = noted.current;
      noted.current = null;
      // Glide committed (newValue), or the edit was cancelled (Escape, a click elsewhere: no Enter or Tab noted).
      if (newValue !== undefined || !n || (movement[0] === 0 && movement[1] === 0)) return;
      commit(n.cell, n.text);
    },
    [commit],
  );
}
