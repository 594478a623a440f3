/**
 * Modal dialog focus, as desktop dialogs behave: focus moves in when it opens, Tab and Shift+Tab stay inside,
 * Escape closes it, and focus goes back where it was when it closes (if that element is still there).
 */
import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

export function focusablesIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getAttribute('aria-hidden') !== 'true' && el.getClientRects().length > 0,
  );
}

/** Focuses the dialog's `[data-autofocus]` element, else its first focusable one, else the dialog itself. */
export function focusInitial(root: HTMLElement | null): void {
  if (!root) return;
  const target = root.querySelector<HTMLElement>('[data-autofocus]:not([disabled])') ?? focusablesIn(root)[0] ?? root;
  target.focus();
}

export function useDialog(ref: RefObject<HTMLElement | null>, onClose: () => void): void {
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = ref.current;
    focusInitial(root);
    const onKey = (e: KeyboardEvent) => {
      if (!root) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = focusablesIn(root);
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) {
        e.preventDefault();
        return;
      }
      const at = document.activeElement;
      const inside = at instanceof Node && root.contains(at);
      if (e.shiftKey && (!inside || at === first)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (!inside || at === last)) {
        e.preventDefault();
        first.focus();
      }
    };
    // Capture: Escape must close the dialog before anything under it (a grid, a find bar) reacts to it.
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      if (back?.isConnected) back.focus();
    };
  }, [ref]);
}
