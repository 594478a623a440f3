/**
 * After a sheet opens or a problem is jumped to, the grid takes focus again each frame until its cell holds it; it
 * must never take it back from where the person has put it since. In CI the Alt+↓ column menu (drawn inside the
 * grid's wrapper) opened during those frames and the next frame took its focus away (keyboard.spec).
 */
import { describe, expect, it } from 'vitest';
import { mayRetake } from '../../src/renderer/src/features/sheets/focusGrid.ts';

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
