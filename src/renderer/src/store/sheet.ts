/** The open sheet: its document, live validation, undo/redo, and debounced autosave to main (row patches, not the sheet). */
import { create } from 'zustand';
import type { SheetDoc } from '../../../shared/domain/sheet/types.ts';
import {
  createRowCache,
  primeCache,
  validateSheet,
  type CheckedRows,
  type RowCache,
  type SheetValidation,
} from '../../../shared/domain/sheet/validate.ts';
import { checkRoles } from '../../../shared/domain/sheet/roles.ts';
import { getApi } from '../lib/api.ts';
import { applyOp, invert, type Dirty, type Op } from '../features/sheets/ops.ts';

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';
const AUTOSAVE_MS = 400;
const LAST_OPEN = 'invite-desk:last-sheet';

type SheetStore = {
  doc: SheetDoc | null;
  validation: SheetValidation | null;
  undoStack: Op[];
  redoStack: Op[];
  save: SaveState;
  saveError: string | null;
  open(id: string): Promise<string | null>;
  /** Opens a sheet the renderer already holds (just created): no round trip for its rows; `checked` is its
   * validation when already done (by prevalidate, on the same columns, settings and rows objects). */
  openLocal(doc: SheetDoc, checked?: Prevalidated): Promise<void>;
  close(): void;
  apply(op: Op | null): void;
  undo(): void;
  redo(): void;
  flush(): Promise<void>;
  /** The organization's role keys (from Clerk): rows are checked against them. */
  roles: { org: string; keys: string[] } | null;
  setRoles(roles: { org: string; keys: string[] } | null): void;
};

let cache = createRowCache();
/** The window reads one row's request at a time (metadata panel); main builds them all when it sends. */
const LAZY = { requests: 'lazy' } as const;

export type Prevalidated = { cache: RowCache; validation: SheetValidation; rows: SheetDoc['rows'] };
/** A new sheet's validation, done before it exists (while main stores it): openLocal then shows it at once. */
export function prevalidate(sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>, parts: readonly CheckedRows[] = []): Prevalidated {
  const c = createRowCache();
  // Rows checked already (by the import's worker and this window) are only added up.
  if (parts.length > 0) primeCache(sheet, c, parts);
  return { cache: c, validation: validateSheet(sheet, c, LAZY), rows: sheet.rows };
}
let dirty: Dirty = {};
let timer: ReturnType<typeof setTimeout> | null = null;
let inflight: Promise<void> | null = null;

export const useSheet = create<SheetStore>((set, get) => {
  /** The rows' own checks, then their roles against the organization's (when known for this sheet's organization). */
  const validate = (doc: SheetDoc, v: SheetValidation = validateSheet(doc, cache, LAZY)) => {
    const roles = get().roles;
    return checkRoles(v, doc, roles && roles.org === doc.settings.organizationId ? roles.keys : null);
  };
  /** A freshly opened sheet: new validation cache, nothing unsaved, empty history. */
  const show = (doc: SheetDoc, checked?: Prevalidated) => {
    const fresh = checked && checked.cache.columns === doc.columns && checked.cache.settings === doc.settings;
    cache = fresh ? checked.cache : createRowCache();
    dirty = {};
    localStorage.setItem(LAST_OPEN, doc.id);
    const validation = validate(doc, fresh && checked.rows === doc.rows ? checked.validation : undefined);
    set({ doc, validation, undoStack: [], redoStack: [], save: 'saved', saveError: null });
  };
  const commit = (doc: SheetDoc, undoStack: Op[], redoStack: Op[]) => {
    set({ doc, undoStack, redoStack, validation: validate(doc), save: 'pending' });
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void get().flush(), AUTOSAVE_MS);
  };
  return {
    doc: null,
    validation: null,
    undoStack: [],
    redoStack: [],
    save: 'saved',
    saveError: null,
    roles: null,
    setRoles: (roles) => {
      set({ roles });
      const { doc } = get();
      if (doc) set({ validation: validate(doc) });
    },
    open: async (id) => {
      await get().flush();
      const r = await getApi().sheetsGet({ id });
      if (!r.ok) return r.error.message;
      show(r.value);
      return null;
    },
    openLocal: async (doc, checked) => {
      await get().flush();
      show(doc, checked);
    },
    close: () => {
      void get().flush();
      localStorage.removeItem(LAST_OPEN);
      set({ doc: null, validation: null, undoStack: [], redoStack: [] });
    },
    apply: (op) => {
      const { doc, undoStack } = get();
      if (!doc || !op) return;
      commit(applyOp(doc, op, dirty), [...undoStack.slice(-499), op], []);
    },
    undo: () => {
      const { doc, undoStack, redoStack } = get();
      const op = undoStack.at(-1);
      if (!doc || !op) return;
      commit(applyOp(doc, invert(op), dirty), undoStack.slice(0, -1), [...redoStack, op]);
    },
    redo: () => {
      const { doc, undoStack, redoStack } = get();
      const op = redoStack.at(-1);
      if (!doc || !op) return;
      commit(applyOp(doc, op, dirty), [...undoStack, op], redoStack.slice(0, -1));
    },
    flush: async () => {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      if (inflight) await inflight;
      const { doc } = get();
      if (!doc || Object.keys(dirty).length === 0) return;
      const what = dirty;
      dirty = {};
      set({ save: 'saving' });
      inflight = (async () => {
        const r = await getApi().sheetsSave({
          id: doc.id,
          ...(what.patches ? { patches: what.patches } : {}),
          ...(what.columns ? { columns: doc.columns } : {}),
          ...(what.settings ? { settings: doc.settings } : {}),
          ...(what.name ? { name: doc.name } : {}),
        });
        if (r.ok) set({ save: Object.keys(dirty).length ? 'pending' : 'saved', saveError: null });
        else {
          // Keep it to retry with the next edit: the failed patches go first, then what came since.
          const patches = [...(what.patches ?? []), ...(dirty.patches ?? [])];
          dirty = { ...what, ...dirty, ...(patches.length ? { patches } : {}) };
          set({ save: 'error', saveError: r.error.message });
        }
      })();
      await inflight;
      inflight = null;
    },
  };
});

export const lastOpenSheet = (): string | null => localStorage.getItem(LAST_OPEN);

// Save what is pending when the window is hidden or closed.
if (typeof window !== 'undefined') {
  window.addEventListener('visibilitychange', () => void useSheet.getState().flush());
  window.addEventListener('beforeunload', () => void useSheet.getState().flush());
}
