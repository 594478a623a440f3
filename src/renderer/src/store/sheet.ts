/**
 * The open sheet: its document, live validation, undo/redo, and debounced autosave to main (row patches, not the
 * sheet). Each save names the version it builds on; when a teammate saved the shared sheet since, the save is refused
 * and what was typed stays here until the user reloads theirs or saves this copy as a sheet of its own.
 */
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
const COPY = ' (my copy)';
/** sheets:create's limit on a name (LIMITS.name in shared/ipc/parse.ts, not imported: it would bring zod along). */
const SHEET_NAME_MAX = 120;
const AUTOSAVE_MS = 400;
const LAST_OPEN = 'invite-desk:last-sheet';

type SheetStore = {
  doc: SheetDoc | null;
  validation: SheetValidation | null;
  undoStack: Op[];
  redoStack: Op[];
  save: SaveState;
  saveError: string | null;
  /** Someone saved this sheet since it was opened here: autosave stops until reload() or saveAsCopy(). */
  saveConflict: boolean;
  open(id: string): Promise<string | null>;
  /** Drops this window's unsaved edits and opens the sheet as saved. */
  reload(): Promise<string | null>;
  /** Saves this window's copy (every edit in it) as a new sheet and opens that; the other sheet stays as saved. */
  saveAsCopy(): Promise<string | null>;
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
  /** Autosave and validation state: not shown, kept here so the store holds all of its state. */
  work: Work;
  /** Saves what is pending when the window is hidden or closed (idempotent); returns how to stop. */
  start(): () => void;
  stop: (() => void) | null;
};

type Work = {
  /** The validation's per-row cache for the open sheet's columns and settings. */
  cache: RowCache;
  /** What changed since the last save. */
  dirty: Dirty;
  timer: ReturnType<typeof setTimeout> | null;
  /** The save on its way, awaited before the next. */
  inflight: Promise<void> | null;
  /** The sheet's version this window's copy builds on (null: not known, the save is not checked). */
  version: number | null;
};

/** The store's state with no sheet open: also what a test starts from. */
export const getEmptyState = () => ({
  doc: null as SheetDoc | null,
  validation: null as SheetValidation | null,
  undoStack: [] as Op[],
  redoStack: [] as Op[],
  save: 'saved' as SaveState,
  saveError: null as string | null,
  saveConflict: false,
  roles: null as SheetStore['roles'],
  work: { cache: createRowCache(), dirty: {}, timer: null, inflight: null, version: null } as Work,
  stop: null as (() => void) | null,
});

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
export const useSheet = create<SheetStore>((set, get) => {
  // The work object is the store's own and mutated in place: no screen renders from it.
  const work = () => get().work;
  /** The rows' own checks, then their roles against the organization's (when known for this sheet's organization). */
  const validate = (doc: SheetDoc, v: SheetValidation = validateSheet(doc, work().cache, LAZY)) => {
    const roles = get().roles;
    return checkRoles(v, doc, roles && roles.org === doc.settings.organizationId ? roles.keys : null);
  };
  /** A freshly opened sheet: new validation cache, nothing unsaved, empty history. */
  const show = (doc: SheetDoc, checked?: Prevalidated) => {
    const fresh = checked && checked.cache.columns === doc.columns && checked.cache.settings === doc.settings;
    work().cache = fresh ? checked.cache : createRowCache();
    work().dirty = {};
    work().version = doc.version ?? null;
    localStorage.setItem(LAST_OPEN, doc.id);
    const validation = validate(doc, fresh && checked.rows === doc.rows ? checked.validation : undefined);
    set({ doc, validation, undoStack: [], redoStack: [], save: 'saved', saveError: null, saveConflict: false });
  };
  const commit = (doc: SheetDoc, undoStack: Op[], redoStack: Op[]) => {
    set({ doc, undoStack, redoStack, validation: validate(doc), save: 'pending' });
    const w = work();
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => void get().flush(), AUTOSAVE_MS);
  };
  return {
    ...getEmptyState(),
    start: () => {
      const started = get().stop;
      if (started) return started;
      const save = () => void get().flush();
      window.addEventListener('visibilitychange', save);
      window.addEventListener('beforeunload', save);
      const stop = () => {
        window.removeEventListener('visibilitychange', save);
        window.removeEventListener('beforeunload', save);
        set({ stop: null });
      };
      set({ stop });
      return stop;
    },
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
    reload: async () => {
      const w = work();
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      if (w.inflight) await w.inflight;
      const { doc } = get();
      if (!doc) return null;
      const r = await getApi().sheetsGet({ id: doc.id });
      if (!r.ok) {
        set({ saveError: r.error.message });
        return r.error.message;
      }
      show(r.value);
      return null;
    },
    saveAsCopy: async () => {
      const w = work();
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      if (w.inflight) await w.inflight;
      const { doc } = get();
      if (!doc) return null;
      const name = `${doc.name.slice(0, SHEET_NAME_MAX - COPY.length)}${COPY}`;
      const r = await getApi().sheetsCreate({ name, settings: doc.settings, columns: doc.columns, rows: doc.rows });
      if (!r.ok) {
        set({ saveError: r.error.message }); // the edits stay here: try again, or reload
        return r.error.message;
      }
      const { id, createdAt, updatedAt, version } = r.value;
      show({ ...doc, id, name, createdAt, updatedAt, ...(version !== undefined ? { version } : {}) });
      return null;
    },
    close: () => {
      void get().flush();
      localStorage.removeItem(LAST_OPEN);
      set({ doc: null, validation: null, undoStack: [], redoStack: [] });
    },
    apply: (op) => {
      const { doc, undoStack } = get();
      if (!doc || !op) return;
      commit(applyOp(doc, op, work().dirty), [...undoStack.slice(-499), op], []);
    },
    undo: () => {
      const { doc, undoStack, redoStack } = get();
      const op = undoStack.at(-1);
      if (!doc || !op) return;
      commit(applyOp(doc, invert(op), work().dirty), undoStack.slice(0, -1), [...redoStack, op]);
    },
    redo: () => {
      const { doc, undoStack, redoStack } = get();
      const op = redoStack.at(-1);
      if (!doc || !op) return;
      commit(applyOp(doc, op, work().dirty), [...undoStack, op], redoStack.slice(0, -1));
    },
    flush: async () => {
      const w = work();
      if (w.timer) {
        clearTimeout(w.timer);
        w.timer = null;
      }
      if (w.inflight) await w.inflight;
      const { doc, saveConflict } = get();
      if (!doc || Object.keys(w.dirty).length === 0) return;
      // Refused already: another try builds on the same old version. The edits wait for reload or copy.
      if (saveConflict) return void set({ save: 'error' });
      const what = w.dirty;
      w.dirty = {};
      set({ save: 'saving' });
      w.inflight = (async () => {
        const r = await getApi().sheetsSave({
          id: doc.id,
          ...(w.version !== null ? { baseVersion: w.version } : {}),
          ...(what.patches ? { patches: what.patches } : {}),
          ...(what.columns ? { columns: doc.columns } : {}),
          ...(what.settings ? { settings: doc.settings } : {}),
          ...(what.name ? { name: doc.name } : {}),
        });
        if (r.ok) {
          w.version = r.value.version;
          set({ save: Object.keys(w.dirty).length ? 'pending' : 'saved', saveError: null });
        } else {
          // Keep it to retry with the next edit: the failed patches go first, then what came since.
          const patches = [...(what.patches ?? []), ...(w.dirty.patches ?? [])];
          w.dirty = { ...what, ...w.dirty, ...(patches.length ? { patches } : {}) };
          set({ save: 'error', saveError: r.error.message, saveConflict: r.error.code === 'sheet_changed' });
        }
      })();
      await w.inflight;
      w.inflight = null;
    },
  };
});

export const lastOpenSheet = (): string | null => localStorage.getItem(LAST_OPEN);
