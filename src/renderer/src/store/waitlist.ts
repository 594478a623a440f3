/**
 * The Waitlist page's state: the active profile's waitlist as main keeps it (counts, last sync), the filtered
 * entries fetched a page at a time as the table scrolls, the ticked ones, a sync's progress, and a run's review.
 * Everything lives in the store (getEmptyState); start() listens to main (sync progress, waitlist runs ending), called
 * once by the app at boot, and returns how to stop.
 */
import { create } from 'zustand';
import type { WaitlistPace } from '../../../shared/domain/sheet/validate.ts';
import type {
  WaitlistAction,
  WaitlistCounts,
  WaitlistEntryView,
  WaitlistFilter,
  WaitlistPage,
  WaitlistReview,
  WaitlistSelection,
  WaitlistState,
  WaitlistSyncProgress,
} from '../../../shared/domain/waitlist/types.ts';
import { getApi } from '../lib/api.ts';
import { startedRun } from './approvals.ts';

export const WAITLIST_PAGE = 200;

export type ReviewState = {
  action: WaitlistAction;
  selection: WaitlistSelection;
  pace: WaitlistPace;
  notify: boolean;
  review: WaitlistReview | null;
  confirmName: string;
  error: string | null;
  busy: boolean;
};

type Data = {
  profileId: string | null;
  state: WaitlistState | null;
  filter: WaitlistFilter;
  /** The filtered entries by position; a hole where a page is not fetched yet. */
  rows: (WaitlistEntryView | undefined)[];
  total: number;
  /** Counts per status of what the filter shows (its status aside). */
  counts: WaitlistCounts | null;
  /** Pages asked for the current generation; a new filter or sync starts another generation. */
  pages: Set<number>;
  gen: number;
  ticked: Set<string>;
  /** Every entry the filter shows is selected (not only the ticked ones fetched so far). */
  allMatching: boolean;
  syncProgress: WaitlistSyncProgress | null;
  syncing: boolean;
  error: string | null;
  review: ReviewState | null;
  /** Waitlist runs whose end was followed by a sync already. */
  syncedRuns: Set<string>;
  stop: (() => void) | null;
};

type WaitlistStore = Data & {
  open(profileId: string): Promise<void>;
  /** Listens to main's sync progress and runs (idempotent); returns how to stop. Started once, by the app at boot. */
  start(): () => void;
  sync(): Promise<void>;
  setFilter(filter: WaitlistFilter): void;
  need(from: number, to: number): void;
  tick(id: string, on: boolean): void;
  tickAll(on: boolean): void;
  /** What the toolbar's actions take: every match, the ticked entries, or (none ticked) every match. */
  selection(): WaitlistSelection;
  openReview(action: WaitlistAction, selection: WaitlistSelection): Promise<void>;
  setReview(patch: Partial<Pick<ReviewState, 'pace' | 'notify' | 'confirmName'>>): Promise<void>;
  closeReview(): void;
  /** Starts the reviewed run; its id, or null when main refused (the review shows why). */
  startRun(): Promise<string | null>;
};

export const getEmptyState = (): Data => ({
  profileId: null,
  state: null,
  filter: {},
  rows: [],
  total: 0,
  counts: null,
  pages: new Set(),
  gen: 0,
  ticked: new Set(),
  allMatching: false,
  syncProgress: null,
  syncing: false,
  error: null,
  review: null,
  syncedRuns: new Set(),
  stop: null,
});

export const useWaitlist = create<WaitlistStore>((set, get) => {
  const fetchPage = async (page: number, gen: number) => {
    const { profileId, filter } = get();
    if (!profileId) return;
    const r = await getApi().waitlistPage({ profileId, filter, offset: page * WAITLIST_PAGE, limit: WAITLIST_PAGE });
    if (get().gen !== gen) return; // another filter or sync since: this answer is about other rows
    if (!r.ok) return set({ error: r.error.message });
    const a: WaitlistPage = r.value;
    set((s) => {
      const rows = s.rows.slice(0, a.total);
      rows.length = a.total;
      a.rows.forEach((x, i) => (rows[a.offset + i] = x));
      return { rows, total: a.total, counts: a.counts, error: null };
    });
  };
  const reload = async () => {
    const gen = get().gen + 1;
    set({ gen, pages: new Set([0]), rows: [], total: 0 });
    await fetchPage(0, gen);
  };
  const ask = async () => {
    const { profileId, review } = get();
    if (!profileId || !review) return;
    const r = await getApi().waitlistReview({
      profileId,
      action: review.action,
      selection: review.selection,
      pace: review.pace,
      notify: review.notify,
    });
    const cur = get().review;
    if (!cur) return;
    set({ review: r.ok ? { ...cur, review: r.value, error: null } : { ...cur, review: null, error: r.error.message } });
  };
  return {
    ...getEmptyState(),
    async open(profileId) {
      set({ ...getEmptyState(), profileId, syncedRuns: get().syncedRuns, stop: get().stop });
      const r = await getApi().waitlistState({ profileId });
      if (get().profileId !== profileId) return;
      if (!r.ok) return set({ error: r.error.message });
      set({ state: r.value });
      await reload();
    },
    start() {
      const started = get().stop;
      if (started) return started;
      const offSync = getApi().on('waitlist:syncProgress', (p) => {
        if (p.profileId === get().profileId) set({ syncProgress: p });
      });
      // A waitlist run of this profile ended: the entries changed in Clerk, so sync them.
      const offRuns = getApi().on('runs:progress', (p) => {
        if (!p.op.startsWith('waitlist_') || p.profileId !== get().profileId) return;
        if (p.state === 'running' || get().syncedRuns.has(p.id)) return;
        set((s) => ({ syncedRuns: new Set([...s.syncedRuns, p.id]) }));
        void get().sync();
      });
      const stop = () => {
        offSync();
        offRuns();
        set({ stop: null });
      };
      set({ stop });
      return stop;
    },
    async sync() {
      const { profileId } = get();
      if (!profileId || get().syncing) return;
      set({ syncing: true, syncProgress: { profileId, fetched: 0, total: null, done: false } });
      const r = await getApi().waitlistSync({ profileId });
      set({ syncing: false });
      if (!r.ok) return set({ error: r.error.message });
      set({ state: r.value, error: null, ticked: new Set(), allMatching: false });
      await reload();
    },
    setFilter(filter) {
      set({ filter, ticked: new Set(), allMatching: false });
      void reload();
    },
    need(from, to) {
      const { gen, pages } = get();
      const next = new Set(pages);
      for (let p = Math.floor(from / WAITLIST_PAGE); p <= Math.floor(Math.max(from, to - 1) / WAITLIST_PAGE); p++) {
        if (next.has(p)) continue;
        next.add(p);
        void fetchPage(p, gen);
      }
      if (next.size !== pages.size) set({ pages: next });
    },
    tick(id, on) {
      const ticked = new Set(get().ticked);
      if (on) ticked.add(id);
      else ticked.delete(id);
      set({ ticked, allMatching: false });
    },
    tickAll(on) {
      set({ allMatching: on, ticked: new Set() });
    },
    selection() {
      const { allMatching, ticked, filter } = get();
      if (!allMatching && ticked.size > 0) return { kind: 'ids', ids: [...ticked] };
      return { kind: 'filter', filter };
    },
    async openReview(action, selection) {
      set({ review: { action, selection, pace: 'invitations', notify: true, review: null, confirmName: '', error: null, busy: false } });
      await ask();
    },
    async setReview(patch) {
      const cur = get().review;
      if (!cur) return;
      const again = (patch.pace !== undefined && patch.pace !== cur.pace) || (patch.notify !== undefined && patch.notify !== cur.notify);
      set({ review: { ...cur, ...patch, ...(again ? { review: null } : {}) } });
      if (again) await ask();
    },
    closeReview() {
      set({ review: null });
    },
    async startRun() {
      const { profileId, review } = get();
      if (!profileId || !review?.review) return null;
      set({ review: { ...review, busy: true } });
      const r = await getApi().waitlistStart({
        profileId,
        action: review.action,
        selection: review.selection,
        pace: review.pace,
        notify: review.notify,
        ...(review.confirmName ? { confirmName: review.confirmName } : {}),
      });
      const cur = get().review;
      if (!r.ok) {
        if (cur) set({ review: { ...cur, busy: false, error: r.error.message } });
        return null;
      }
      set({ review: null, ticked: new Set(), allMatching: false });
      return startedRun(r.value);
    },
  };
});
