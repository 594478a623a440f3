/** The handle between the grid and the side panel: drag it, or focus it and use the arrow keys; a double click folds. */
import { useRef } from 'react';
import { SIDE_MIN } from './useSidePanel.ts';

type Props = { width: number; onWidth: (w: number, max: number) => void; onFold: () => void };

export function Splitter({ width, onWidth, onFold }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  /** The widest the panel may be: most of the editor, leaving the grid 320 px. */
  const max = () => (ref.current?.parentElement?.getBoundingClientRect().width ?? 1024) - 320;
  return (
    <div
      ref={ref}
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Side panel width"
      aria-valuenow={width}
      aria-valuemin={SIDE_MIN}
      tabIndex={0}
      title="Drag to resize the panel; double-click to fold it"
      data-testid="side-splitter"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
        const right = e.currentTarget.parentElement!.getBoundingClientRect().right;
        onWidth(right - e.clientX, max());
      }}
      onDoubleClick={onFold}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 64 : 16;
        if (e.key === 'ArrowLeft') onWidth(width + step, max());
        else if (e.key === 'ArrowRight') onWidth(width - step, max());
        else if (e.key === 'Enter') onFold();
        else return;
        e.preventDefault();
      }}
    />
  );
}
