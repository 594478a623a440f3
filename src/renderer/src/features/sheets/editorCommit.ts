/**
 * Enter or Tab in the grid's cell editor commits what its textarea shows. Glide commits the value its editor last
 * rendered (its state, updated by React's input events); in CI the textarea held a typed address, focused, and Enter
 * committed nothing. As the key goes down, before Glide sees it: the textarea's value is handed to React again (a no-op
 * when React has it; else React renders it before the key reaches the editor), and the text and the cell are noted;
 * if Glide then finishes the edit with no value (React believed it had the text), the noted text is committed there.
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
      if (finishes) editor.dispatchEvent(new Event('input', { bubbles: true }));
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
