/**
 * Keyboard for lists (sheets, runs, history hits, problems): one Tab stop for the whole list (roving tabindex),
 * ArrowUp/ArrowDown/Home/End move between items, Enter (or Space) opens the focused one.
 */
import { useRef, useState, type KeyboardEvent } from 'react';

export type ListItemProps<T extends HTMLElement> = {
  tabIndex: 0 | -1;
  ref: (el: T | null) => void;
  onFocus: () => void;
  onKeyDown: (e: KeyboardEvent<T>) => void;
};

/** The index a key moves to from `at` in a list of `count`, or null when the key is not a move. */
export function nextIndex(key: string, at: number, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return Math.min(at + 1, count - 1);
  if (key === 'ArrowUp') return Math.max(at - 1, 0);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

export function useListNav<T extends HTMLElement>(count: number, onOpen: (index: number) => void): (index: number) => ListItemProps<T> {
  const [active, setActive] = useState(0);
  const items = useRef<(T | null)[]>([]);
  const at = Math.min(active, Math.max(0, count - 1));
  return (index) => ({
    tabIndex: index === at ? 0 : -1,
    ref: (el) => {
      items.current[index] = el;
    },
    onFocus: () => setActive(index),
    onKeyDown: (e) => {
      if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return; // keys of controls inside the item stay theirs
      const to = nextIndex(e.key, index, count);
      if (to !== null) {
        e.preventDefault();
        setActive(to);
        items.current[to]?.focus();
      } else if ((e.key === 'Enter' || e.key === ' ') && e.currentTarget.tagName !== 'BUTTON') {
        // A button opens itself on Enter and Space; a row needs telling.
        e.preventDefault();
        onOpen(index);
      }
    },
  });
}
