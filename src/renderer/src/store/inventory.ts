/**
 * The Invitations page's store: the active profile's local copy of every invitation of its instance, read a window at a
 * time (pages fetched as they scroll into view), its filters, the selection, and the sync's progress from main.
 */
import { create } from 'zustand';
import type {
  ActionReview,
  BulkAction,
  ReminderRule,
  InventoryFilter,
  InventoryPage,
  InventoryProgress,
  InventoryRow,
} from '../../../shared/domain/inventory/types.ts';
import type { Started } from '../../../shared/ipc/contract.ts';
import { getApi } from '../lib/api.ts';
import { useApprovals } from './approvals.ts';

export const INVENTORY_PAGE = 200;
/** While a sync goes, the rows on screen are read again at most this often. */
const REFRESH_MS = 1500;

type State = {
  profileId: string | null;
  filter: InventoryFilter;
  /** The filter's rows by position; a hole where a page is not fetched yet. */
  rows: (InventoryRow | undefined)[];
  total: number;
  all: number;
  syncedAt: number | null;
  organizations: { id: string; name: string }[];
  progress: InventoryProgress | null;
  /** Ticked invitation ids; `allShown`: they are every row of the filter (“select all shown rows”). */
  selected: Set<string>;
  allShown: boolean;
  loaded: boolean;
  error: string | null;
  /** Pages fetched (or on their way) in this generation; a new generation drops every older answer. */
  fetched: Set<number>;
  gen: number;
  visible: [number, number];
  refreshedAt: number;
  unsubscribe: (() => void) | null;
  /** A bulk action's review on screen (null: none), and whether its run is being started. */
  review: ActionReview | null;
  starting: boolean;
  rules: ReminderRule[];
};

type Actions = {
  open(profileId: string): Promise<void>;
  close(): void;
  setFilter(patch: { [K in keyof InventoryFilter]?: InventoryFilter[K] | undefined }): Promise<void>;
  clearFilters(): Promise<void>;
  need(from: number, to: number): void;
  reread(): Promise<void>;
  sync(): Promise<void>;
  onProgress(p: InventoryProgress): void;
  tick(id: string, on: boolean): void;
  selectAll(on: boolean): Promise<void>;
  exportCsv(which: 'selected' | 'shown'): Promise<{ fileName: string; csv: string } | string>;
  /** Asks main what the action would do with the selection; the review opens (or the error shows). */
  reviewAction(action: BulkAction): Promise<void>;
  closeReview(): void;
  /**
   * Starts the reviewed action's run: its id (or, four eyes on production, the teammate asked instead), or what went
   * wrong (the review stays open, nothing typed is lost).
   */
  act(confirmName: string): Promise<Started | { error: string }>;
  loadRules(): Promise<void>;
  /** Saves a rule (new when no id): null when saved, else what is wrong (the form keeps what was typed). */
  saveRule(rule: { id?: string; runId?: string; afterDays: number; maxReminders: number; enabled: boolean }): Promise<string | null>;
  deleteRule(id: string): Promise<void>;
  applyRule(id: string, confirmName: string): Promise<string | null>;
};

export const getEmptyState = (): State => ({
  profileId: null,
  filter: {},
  rows: [],
  total: 0,
  all: 0,
  syncedAt: null,
  organizations: [],
  progress: null,
  selected: new Set(),
  allShown: false,
  loaded: false,
  error: null,
  fetched: new Set(),
  gen: 0,
  visible: [0, INVENTORY_PAGE],
  refreshedAt: 0,
  unsubscribe: null,
  review: null,
  starting: false,
  rules: [],
});

/** Undefined values are no filter at all (the parser refuses keys it does not know, and keeps out undefined). */
const clean = (f: InventoryFilter): InventoryFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));

export const useInventory = create<State & Actions>((set, get) => {
  const ask = (offset: number) => {
    const { profileId, filter } = get();
    return getApi().inventoryList({ profileId: profileId!, ...clean(filter), offset, limit: INVENTORY_PAGE });
  };
  const place = (base: (InventoryRow | undefined)[], page: InventoryPage) => {
    const rows = base.slice(0, page.total);
    rows.length = page.total;
    page.rows.forEach((r, i) => (rows[page.offset + i] = r));
    return rows;
  };
  const about = (p: InventoryPage) => ({ total: p.total, all: p.all, syncedAt: p.syncedAt, organizations: p.organizations });

  return {
    ...getEmptyState(),
    async open(profileId) {
      if (get().profileId !== profileId) {
        get().unsubscribe?.();
        set({ ...getEmptyState(), profileId });
      }
      if (!get().unsubscribe) set({ unsubscribe: getApi().on('inventory:progress', (p) => get().onProgress(p)) });
      const progress = await getApi().inventoryProgress({ profileId });
      if (progress.ok && get().profileId === profileId) set({ progress: progress.value });
      await Promise.all([get().reread(), get().loadRules()]);
    },
    close() {
      get().unsubscribe?.();
      set(getEmptyState());
    },
    async setFilter(patch) {
      set((s) => ({
        filter: clean({ ...s.filter, ...patch } as InventoryFilter),
        selected: new Set(),
        allShown: false,
        visible: [0, INVENTORY_PAGE],
      }));
      await get().reread();
    },
    async clearFilters() {
      set({ filter: {}, selected: new Set(), allShown: false, visible: [0, INVENTORY_PAGE] });
      await get().reread();
    },
    need(from, to) {
      set({ visible: [from, to] });
      const { gen, fetched, profileId } = get();
      if (!profileId) return;
      for (let p = Math.floor(from / INVENTORY_PAGE); p <= Math.floor(Math.max(from, to - 1) / INVENTORY_PAGE); p++) {
        if (fetched.has(p)) continue;
        fetched.add(p);
        void ask(p * INVENTORY_PAGE).then((r) => {
          if (get().gen !== gen) return;
          if (!r.ok) return set({ error: r.error.message });
          set((s) => ({ ...about(r.value), rows: place(s.rows, r.value) }));
        });
      }
    },
    /** Reads the pages on screen afresh (a new generation), then shows them in place of what was there. */
    async reread() {
      const { profileId, visible } = get();
      if (!profileId) return;
      const gen = get().gen + 1;
      const first = Math.floor(visible[0] / INVENTORY_PAGE);
      const last = Math.floor(Math.max(visible[0], visible[1] - 1) / INVENTORY_PAGE);
      const pages = Array.from({ length: last - first + 1 }, (_, i) => first + i);
      set({ gen, fetched: new Set(pages), refreshedAt: Date.now() });
      const answers = await Promise.all(pages.map((p) => ask(p * INVENTORY_PAGE)));
      if (get().gen !== gen) return;
      const bad = answers.find((a) => !a.ok);
      if (bad && !bad.ok) return set({ error: bad.error.message, loaded: true });
      const ok = answers.flatMap((a) => (a.ok ? [a.value] : []));
      let rows: (InventoryRow | undefined)[] = [];
      for (const p of ok) rows = place(rows, p);
      set({ ...about(ok.at(-1)!), rows, loaded: true, error: null });
    },
    async sync() {
      const { profileId } = get();
      if (!profileId) return;
      const r = await getApi().inventorySync({ profileId });
      if (!r.ok) return set({ error: r.error.message });
      get().onProgress(r.value);
    },
    onProgress(p) {
      if (p.profileId !== get().profileId) return;
      const was = get().progress;
      set({ progress: p });
      // The rows on screen follow the sync: now and then while it goes, and once at its end.
      const ended = p.state !== 'syncing' && was?.state === 'syncing';
      if (ended || (p.state === 'syncing' && Date.now() - get().refreshedAt > REFRESH_MS)) void get().reread();
      if (ended) void get().loadRules(); // who is due follows the copy
    },
    tick(id, on) {
      const selected = new Set(get().selected);
      if (on) selected.add(id);
      else selected.delete(id);
      set({ selected, allShown: false });
    },
    async selectAll(on) {
      const { profileId, filter } = get();
      if (!on || !profileId) return set({ selected: new Set(), allShown: false });
      set({ allShown: true });
      const r = await getApi().inventoryIds({ profileId, filter: clean(filter) });
      if (!r.ok) return set({ allShown: false, error: r.error.message });
      set({ selected: new Set(r.value), allShown: true });
    },
    async reviewAction(action) {
      const { profileId, selected } = get();
      if (!profileId || selected.size === 0) return;
      const r = await getApi().inventoryReview({ profileId, ids: [...selected], action });
      if (!r.ok) return set({ error: r.error.message });
      set({ review: r.value, error: null });
    },
    closeReview: () => set({ review: null, starting: false }),
    async act(confirmName) {
      const { profileId, selected, review } = get();
      if (!profileId || !review) return { error: 'Nothing to start.' };
      set({ starting: true });
      const r = await getApi().inventoryAct({
        profileId,
        ids: [...selected],
        action: review.action,
        ...(review.confirm ? { confirmName } : {}),
      });
      if (!r.ok) {
        set({ starting: false });
        return { error: r.error.message };
      }
      set({ review: null, starting: false, selected: new Set(), allShown: false });
      return r.value;
    },
    async loadRules() {
      const { profileId } = get();
      if (!profileId) return;
      const r = await getApi().remindersList({ profileId });
      if (r.ok && get().profileId === profileId) set({ rules: r.value });
    },
    async saveRule(rule) {
      const { profileId } = get();
      if (!profileId) return 'Pick a profile first.';
      const r = await getApi().remindersSave({ profileId, ...rule });
      if (!r.ok) return r.error.message;
      set({ rules: r.value });
      return null;
    },
    async deleteRule(id) {
      const { profileId } = get();
      if (!profileId) return;
      const r = await getApi().remindersDelete({ profileId, id });
      if (r.ok) set({ rules: r.value });
    },
    async applyRule(id, confirmName) {
      const { profileId } = get();
      if (!profileId) return 'Pick a profile first.';
      const r = await getApi().remindersApply({ profileId, ruleId: id, confirmName });
      await get().loadRules();
      if (r.ok && r.value.asked) useApprovals.getState().showAsked(r.value.asked);
      return r.ok ? null : r.error.message;
    },
    async exportCsv(which) {
      const { profileId, filter, selected } = get();
      if (!profileId) return 'Pick a profile first.';
      const r = await getApi().inventoryExport(
        which === 'selected' ? { profileId, ids: [...selected] } : { profileId, filter: clean(filter) },
      );
      return r.ok ? r.value : r.error.message;
    },
  };
});
