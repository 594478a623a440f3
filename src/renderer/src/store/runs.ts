/** Runs and their live progress, from main (runs keep going in main when this window reloads). */
import { create } from 'zustand';
import type {
  FollowUpTally,
  RowFilter,
  RunOptions,
  RunProgress,
  RunRowView,
  RunRowsPage,
  RunSummary,
} from '../../../shared/domain/send/types.ts';
import { getApi } from '../lib/api.ts';

/** Rows per page asked of main: the first screen comes in one small answer, the rest as the list scrolls. */
export const PAGE = 200;

type RunsStore = {
  runs: RunSummary[];
  progress: Record<string, RunProgress>;
  openId: string | null;
  /** The open run's rows that the filter shows, by position; a hole where a page is not fetched yet. */
  rows: (RunRowView | undefined)[];
  /** How many rows the filter shows (counted by main). */
  total: number;
  filter: RowFilter;
  /** What the follow-ups would take over the whole run (counted by main). */
  tally: FollowUpTally | null;
  options: RunOptions | null;
  /** The row a history search hit opened the run at: scrolled to and highlighted. */
  focusIdx: number | null;
  load(): Promise<void>;
  open(id: string | null, focusIdx?: number): Promise<void>;
  setFilter(filter: RowFilter): Promise<void>;
  /** Rows at positions [from, to) are on screen: fetches the pages of them not fetched yet. */
  need(from: number, to: number): void;
  /** Re-reads the open run's rows; `changed` fetches only what changed since the last read (live refresh). */
  refreshRows(changed?: boolean): Promise<void>;
  /** Paging of the open run's rows: not shown, kept here so the store holds all of its state. */
  paging: Paging;
  /** Listens to main's progress events (idempotent); returns how to stop. Started once, by the app at boot. */
  start(): () => void;
  /** The listener's unsubscribe and the pending live-refresh timer, while started. */
  live: { stop: () => void; timer: ReturnType<typeof setTimeout> | null } | null;
};

type Paging = {
  /** main's clock at the last read of the open run's rows: the next live refresh asks only for rows changed since. */
  rowsAt: number | null;
  /** Pages fetched (or on their way) for the rows now shown. */
  fetched: ReadonlySet<number>;
  /** A new generation (another run, filter, full re-read) drops every answer of the previous one. */
  gen: number;
  /** Positions [from, to) on screen. */
  visible: [number, number];
};

/** The store's state before anything is read: also what a test starts from. */
export const getEmptyState = () => ({
  runs: [] as RunSummary[],
  progress: {} as Record<string, RunProgress>,
  openId: null as string | null,
  rows: [] as (RunRowView | undefined)[],
  total: 0,
  filter: 'all' as RowFilter,
  tally: null as FollowUpTally | null,
  options: null as RunOptions | null,
  focusIdx: null as number | null,
  paging: { rowsAt: null, fetched: new Set<number>(), gen: 0, visible: [0, PAGE] } as Paging,
  live: null as RunsStore['live'],
});

const FINAL = new Set(['finished', 'cancelled']);
/** The open run, kept across a reload of the window (a reload mid-run comes back to it). */
const OPEN_RUN = 'invite-desk:open-run';
export const savedOpenRun = (): string | null => {
  try {
    return sessionStorage.getItem(OPEN_RUN);
  } catch {
    return null;
  }
};
const saveOpenRun = (id: string | null) => {
  try {
    if (id) sessionStorage.setItem(OPEN_RUN, id);
    else sessionStorage.removeItem(OPEN_RUN);
  } catch {
    // Only forgotten at the next reload.
  }
};

/** The positions' rows from pages of main's answers, in a list of `total`. */
function place(base: (RunRowView | undefined)[], total: number, pages: RunRowsPage[]): (RunRowView | undefined)[] {
  const rows = base.slice(0, total);
  rows.length = total;
  for (const p of pages) p.rows.forEach((r, i) => (rows[p.offset + i] = r));
  return rows;
}

export const useRuns = create<RunsStore>((set, get) => {
  const ask = (id: string, q: { offset?: number; around?: number; changedSince?: number }) =>
    getApi().runsGet({ runId: id, state: get().filter, limit: PAGE, ...q });
  /** What an answer says of the run beside its rows; a run main says is over never shows as going again. */
  const about = (s: RunsStore, id: string, a: RunRowsPage) => {
    const cur = s.progress[id];
    const progress = cur && FINAL.has(cur.state) && !FINAL.has(a.progress.state) ? cur : a.progress;
    return { total: a.total, tally: a.tally, options: a.options, progress: { ...s.progress, [id]: progress } };
  };
  const paging = (p: Partial<Paging>) => set((s) => ({ paging: { ...s.paging, ...p } }));
  const fetchedAdd = (page: number) => paging({ fetched: new Set(get().paging.fetched).add(page) });
  /** Reads the pages on screen afresh (a new generation), then shows them in place of what was there. */
  const reread = async (id: string, around?: number) => {
    const g = get().paging.gen + 1;
    paging({ gen: g, fetched: new Set() });
    const { visible } = get().paging;
    const first = around === undefined ? Math.floor(visible[0] / PAGE) : null;
    const last = around === undefined ? Math.floor(Math.max(visible[0], visible[1] - 1) / PAGE) : null;
    const wanted = first === null || last === null ? [null] : Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const answers = await Promise.all(
      wanted.map((p) => (p === null ? ask(id, around === undefined ? {} : { around }) : ask(id, { offset: p * PAGE }))),
    );
    if (g !== get().paging.gen || get().openId !== id) return;
    const pages = answers.flatMap((r) => (r.ok ? [r.value] : []));
    if (pages.length === 0) return;
    const fetched = new Set(get().paging.fetched);
    for (const p of pages) fetched.add(Math.floor(p.offset / PAGE));
    paging({ fetched, rowsAt: pages[0]!.at });
    set((s) => ({ ...about(s, id, pages.at(-1)!), rows: place([], pages.at(-1)!.total, pages) }));
  };
  /** One progress event of main's: the run's counts, and the open run's rows refreshed in step. */
  const onProgress = (p: RunProgress) => {
    const open = get().openId === p.id;
    // The open run's end (no row left to send, or a final state): its counts are shown with its rows read afresh,
    // in one step, so no row still says “Queued” beside counts that say it was sent.
    if (open && (FINAL.has(p.state) || p.counts.queued + p.counts.inflight === 0)) {
      void get()
        .refreshRows(p.state === 'running')
        // Then the list too; should the read fail, the counts are not held back for it.
        .finally(() =>
          set((s) => ({
            runs: s.runs.some((r) => r.id === p.id) ? s.runs.map((r) => (r.id === p.id ? p : r)) : [p, ...s.runs],
            ...(FINAL.has(s.progress[p.id]?.state ?? '') ? {} : { progress: { ...s.progress, [p.id]: p } }),
          })),
        );
      return;
    }
    set((s) => ({
      progress: { ...s.progress, [p.id]: p },
      runs: s.runs.some((r) => r.id === p.id) ? s.runs.map((r) => (r.id === p.id ? p : r)) : [p, ...s.runs],
    }));
    // Row outcomes of the open run: refreshed at most every half second, only the rows that changed; a full
    // read once the run stops (so nothing a clock step could hide stays stale).
    const live = get().live;
    if (p.id === get().openId && live && !live.timer) {
      const timer = setTimeout(() => {
        set((s) => (s.live ? { live: { ...s.live, timer: null } } : {}));
        const s = get();
        void s.refreshRows(s.openId !== null && s.progress[s.openId]?.state === 'running');
      }, 500);
      set({ live: { ...live, timer } });
    }
  };
  return {
    ...getEmptyState(),
    load: async () => {
      const r = await getApi().runsList();
      if (r.ok) set({ runs: r.value });
    },
    open: async (id, focusIdx) => {
      // Listening before the first read: a run started from the review dialog may finish while the Runs page is
      // still loading, and with throttled progress its last event may be the only one that says so.
      get().start();
      saveOpenRun(id);
      paging({ rowsAt: null, gen: get().paging.gen + 1, fetched: new Set(), visible: [0, PAGE] });
      set({ openId: id, rows: [], total: 0, filter: 'all', tally: null, options: null, focusIdx: focusIdx ?? null });
      if (id) await reread(id, focusIdx);
    },
    setFilter: async (filter) => {
      const id = get().openId;
      set({ filter });
      paging({ visible: [0, PAGE] });
      if (id) await reread(id);
    },
    need: (from, to) => {
      paging({ visible: [from, to] });
      const id = get().openId;
      if (!id || to <= from) return;
      const g = get().paging.gen;
      for (let p = Math.floor(from / PAGE); p <= Math.floor((to - 1) / PAGE); p++) {
        if (get().paging.fetched.has(p)) continue;
        fetchedAdd(p);
        void ask(id, { offset: p * PAGE }).then((r) => {
          if (g !== get().paging.gen || get().openId !== id) return;
          if (!r.ok) {
            const fetched = new Set(get().paging.fetched);
            fetched.delete(p);
            return paging({ fetched });
          }
          set((s) => ({ ...about(s, id, r.value), rows: place(s.rows, r.value.total, [r.value]) }));
        });
      }
    },
    start: () => {
      const started = get().live;
      if (started) return started.stop;
      const off = getApi().on('runs:progress', (p) => onProgress(p));
      const stop = () => {
        const live = get().live;
        if (live?.timer) clearTimeout(live.timer);
        off();
        set({ live: null });
      };
      set({ live: { stop, timer: null } });
      return stop;
    },
    refreshRows: async (changed = false) => {
      const id = get().openId;
      if (!id) return;
      // Under a filter a row that changes may come or go: the rows on screen are read again instead.
      const { rowsAt, gen: g } = get().paging;
      if (!changed || rowsAt === null || get().filter !== 'all') return reread(id);
      const r = await ask(id, { changedSince: rowsAt });
      if (!r.ok || g !== get().paging.gen || get().openId !== id) return;
      paging({ rowsAt: r.value.at });
      set((s) => {
        // A 20,000-row run sends the few rows that changed, merged in place, not all of them twice a second.
        // Every row of the run shows under “all”, in row order: a row's place is its index.
        const rows = place(s.rows, r.value.total, []);
        for (const row of r.value.rows) {
          const at = rows[row.idx]?.idx === row.idx ? row.idx : rows.findIndex((x) => x?.idx === row.idx);
          if (at >= 0) rows[at] = row;
        }
        return { ...about(s, id, r.value), rows };
      });
    },
  };
});
