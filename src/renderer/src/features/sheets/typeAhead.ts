/**
 * Keys typed while the grid's cell editor is still opening, kept and handed to it once it is there. Glide loads its
 * editor lazily: on a session's first edit it takes a moment to appear, and each key typed meanwhile used to restart
 * the edit with that key alone ("broken.address@…" became "oken.address@…").
 */
import type { CellActivatedEventArgs, GridKeyEventArgs, Item } from '@glideapps/glide-data-grid';
import { useCallback, useEffect, useRef } from 'react';

/** Keys the editor acts on that we replay after the text, in order (Enter commits, Tab moves, Escape cancels). */
const FINISHERS = new Set(['Enter', 'Tab', 'Escape']);
const editorOf = (portal: HTMLElement | null) => portal?.querySelector<HTMLTextAreaElement>('textarea') ?? null;

export function useTypeAhead(firstEditableCol: number): {
  onCellActivated: (cell: Item, event: CellActivatedEventArgs) => void;
  onKeyDown: (e: GridKeyEventArgs) => void;
} {
  /** Keys pressed since an edit began and before its editor appeared; null when no edit is opening. */
  const pending = useRef<{ key: string; shift: boolean }[] | null>(null);
  const observer = useRef<MutationObserver | null>(null);

  const stop = useCallback(() => {
    observer.current?.disconnect();
    observer.current = null;
    pending.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const deliver = useCallback(
    (editor: HTMLTextAreaElement) => {
      const keys = pending.current ?? [];
      stop();
      editor.focus(); // the editor's own caret stays: after a typed first key, or over the selected old value
      let i = 0;
      for (; i < keys.length && !FINISHERS.has(keys[i]!.key); i++) {
        const k = keys[i]!.key;
        // execCommand keeps the textarea's undo history and fires the input event React listens to.
        if (k === 'Backspace') document.execCommand('delete');
        else document.execCommand('insertText', false, k);
      }
      const finisher = keys[i];
      if (!finisher) return;
      // After React has taken the inserted text into the editor's state (the input event's update is flushed).
      setTimeout(() =>
        editor.dispatchEvent(
          new KeyboardEvent('keydown', { key: finisher.key, shiftKey: finisher.shift, bubbles: true, cancelable: true }),
        ),
      );
    },
    [stop],
  );

  const onCellActivated = useCallback(
    ([col]: Item) => {
      const portal = document.getElementById('portal');
      if (col < firstEditableCol || !portal || editorOf(portal)) return;
      pending.current = [];
      observer.current?.disconnect();
      // A MutationObserver runs before the next key event is handled: the kept keys land before any later one.
      observer.current = new MutationObserver(() => {
        const editor = editorOf(portal);
        if (editor) deliver(editor);
      });
      observer.current.observe(portal, { childList: true, subtree: true });
      // Never keep keys for good: if no editor came (the grid refused the edit), the grid has them again.
      setTimeout(() => {
        if (!editorOf(portal)) stop();
      }, 5000);
    },
    [firstEditableCol, deliver, stop],
  );

  const onKeyDown = useCallback((e: GridKeyEventArgs) => {
    if (pending.current === null || e.ctrlKey || e.metaKey) return;
    if (e.key.length !== 1 && e.key !== 'Backspace' && !FINISHERS.has(e.key)) return;
    pending.current.push({ key: e.key, shift: e.shiftKey });
    e.cancel();
    e.preventDefault();
    e.stopPropagation();
  }, []);

  return { onCellActivated, onKeyDown };
}
