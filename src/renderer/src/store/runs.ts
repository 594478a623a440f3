/** Runs and their live progress, from main (runs keep going in main when this window reloads). */
import { create } from 'zustand';
import type { RunProgress, RunRowView, RunSummary } from '../../../shared/domain/send/types.ts';
import { getApi } from '../lib/api.ts';

type RunsStore = {
  runs: RunSummary[];
  progress: Record<string, RunProgress>;
  openId: string | null;
  rows: RunRowView[];
  options: unknown;
  /** The row a history search hit opened the run at: scrolled to and highlighted. */
  focusIdx: number | null;
  load(): Promise<void>;
  open(id: string | null, focusIdx?: number): Promise<void>;
  /** Re-reads the open run's rows; `changed` fetches only what changed since the last read (live refresh). */
  refreshRows(changed?: boolean): Promise<void>;
};

// main's clock at the last read of the open run's rows: the next live refresh asks only for rows changed since.
let rowsAt: number | null = null;

export const useRuns = create<RunsStore>((set, get) => ({
  runs: [],
  progress: {},
  openId: null,
  rows: [],
  options: null,
  focusIdx: null,
  load: async () => {
    const r = await getApi().runsList();
    if (r.ok) set({ runs: r.value });
  },
  open: async (id, focusIdx) => {
    rowsAt = null;
    set({ openId: id, rows: [], options: null, focusIdx: focusIdx ?? null });
    if (id) await get().refreshRows();
  },
  refreshRows: async (changed = false) => {
    const id = get().openId;
    if (!id) return;
    const since = changed ? rowsAt : null;
    const r = await getApi().runsGet(since === null ? { runId: id } : { runId: id, changedSince: since });
    if (!r.ok || get().openId !== id) return;
    rowsAt = r.value.at;
    set((s) => {
      let rows = r.value.rows;
      if (since !== null) {
        // A 20,000-row run sends the few rows that changed, merged by index, not all of them twice a second.
        const pos = new Map(s.rows.map((row, i) => [row.idx, i]));
        rows = s.rows.slice();
        for (const row of r.value.rows) {
          const i = pos.get(row.idx);
          if (i === undefined) rows.push(row);
          else rows[i] = row;
        }
        if (rows.length > s.rows.length) rows.sort((a, b) => a.idx - b.idx);
      }
      return { rows, options: r.value.options, progress: { ...s.progress, [id]: r.value.progress } };
    });
  },
}));

let subscribed = false;
let rowsTimer: ReturnType<typeof setTimeout> | null = null;
export function subscribeRuns(): void {
  if (subscribed) return;
  subscribed = true;
  getApi().on('runs:progress', (p) => {
    useRuns.setState((s) => ({
      progress: { ...s.progress, [p.id]: p },
      runs: s.runs.some((r) => r.id === p.id) ? s.runs.map((r) => (r.id === p.id ? p : r)) : [p, ...s.runs],
    }));
    // Row outcomes of the open run: refreshed at most every half second, only the rows that changed; a full
    // read once the run stops (so nothing a clock step could hide stays stale).
    if (p.id === useRuns.getState().openId && !rowsTimer) {
      rowsTimer = setTimeout(() => {
        rowsTimer = null;
        const s = useRuns.getState();
        void s.refreshRows(s.openId !== null && s.progress[s.openId]?.state === 'running');
      }, 500);
    }
  });
}
