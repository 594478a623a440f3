/**
 * The sheet's side panel: as wide as the user dragged it (remembered on this computer), or folded away to give the
 * grid the window. Its default leaves the grid most of a 1024 px window.
 */
import { useCallback, useState } from 'react';

const WIDTH = 'invite-desk:side-width';
const FOLDED = 'invite-desk:side-folded';
export const SIDE_MIN = 260;
const read = (k: string) => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const write = (k: string, v: string) => {
  try {
    localStorage.setItem(k, v);
  } catch {
    // Only forgotten.
  }
};
const defaultWidth = () => Math.round(Math.min(380, Math.max(SIDE_MIN, window.innerWidth * 0.27)));

export function useSidePanel(): {
  width: number;
  folded: boolean;
  setWidth: (w: number, max: number) => void;
  setFolded: (f: boolean) => void;
} {
  const [width, setW] = useState(() => Number(read(WIDTH)) || defaultWidth());
  const [folded, setF] = useState(() => read(FOLDED) === '1');
  const setWidth = useCallback((w: number, max: number) => {
    const clamped = Math.round(Math.max(SIDE_MIN, Math.min(w, Math.max(SIDE_MIN, max))));
    setW(clamped);
    write(WIDTH, String(clamped));
  }, []);
  const setFolded = useCallback((f: boolean) => {
    setF(f);
    write(FOLDED, f ? '1' : '0');
  }, []);
  return { width, folded, setWidth, setFolded };
}
