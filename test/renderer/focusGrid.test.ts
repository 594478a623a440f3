/**
 * After a sheet opens or a problem is jumped to, the grid takes focus again each frame until its cell holds it; it
 * must never take it back from where the person has put it since. In CI the Alt+↓ column menu (drawn inside the
 * grid's wrapper) opened during those frames and the next frame took its focus away (keyboard.spec).
 */
import type { DataEditorRef } from '@glideapps/glide-data-grid';
import type { RefObject } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellElementId, focusGridCell, mayRetake } from '../../src/renderer/src/features/sheets/focusGrid.ts';

type Fake = { inWrap: boolean; inGrid: boolean; closest(sel: string): object | null };
const el = (inWrap: boolean, inGrid: boolean): Element =>
  ({
    inWrap,
    inGrid,
    closest: (sel: string) => (inGrid && sel.includes('data-grid-canvas') ? {} : null),
  }) satisfies Fake as unknown as Element;
const body = el(false, false);
const wrap = { contains: (e: Element) => (e as unknown as Fake).inWrap };

describe('when a later try may take focus back for the grid', () => {
  it('from nowhere, or from the grid itself (its canvas, a cell)', () => {
    expect(mayRetake(null, body, wrap)).toBe(true);
    expect(mayRetake(body, body, wrap)).toBe(true);
    expect(mayRetake(el(true, true), body, wrap)).toBe(true);
  });

  it('never from the column menu drawn inside the grid’s wrapper, nor from a field elsewhere', () => {
    expect(mayRetake(el(true, false), body, wrap)).toBe(false);
    expect(mayRetake(el(false, false), body, wrap)).toBe(false);
  });
});

describe('giving the grid focus on a cell (a find hit, a problem, a sheet just opened)', () => {
  /** A page as far as focusGridCell sees it: Glide's canvas, the accessible cells it mirrors, and which one has focus. */
  function page(cells: string[]) {
    const doc = {
      activeElement: null as unknown,
      body: {},
      getElementById: (id: string) => els.get(id) ?? null,
      querySelector: () => null,
    };
    const focusable = (attrs: Record<string, string>) => {
      const e = { getAttribute: (a: string) => attrs[a] ?? null, closest: () => canvas, focus: () => (doc.activeElement = e) };
      return e;
    };
    const canvas = focusable({ 'data-testid': 'data-grid-canvas' });
    const els = new Map(cells.map((id) => [id, focusable({ role: 'gridcell', 'aria-selected': 'true', id })]));
    vi.stubGlobal('document', doc);
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => queueMicrotask(f));
    return { doc, canvas, els };
  }
  afterEach(() => vi.unstubAllGlobals());

  it('lands on the cell itself when the grid focuses only its canvas (the cell was drawn while Find had focus)', async () => {
    const { doc, canvas, els } = page([cellElementId(1, 2)]);
    // Glide's focus(): it never saw that cell drawn with focus in the grid, so it focuses its canvas.
    const grid = { current: { scrollTo: () => undefined, focus: () => canvas.focus() } } as unknown as RefObject<DataEditorRef>;
    focusGridCell(grid, 1, 2);
    await vi.waitFor(() => expect(doc.activeElement).toBe(els.get(cellElementId(1, 2))));
  });
});
