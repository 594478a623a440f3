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
  load(): Promise<void>;
  open(id: string | null): Promise<void>;
  refreshRows(): Promise<void>;
};

export const useRuns = create<RunsStore>((set, get) => ({
  runs: [],
  progress: {},
  openId: null,
  rows: [],
  options: null,
  load: async () => {
    const r = await getApi().runsList();
    if (r.ok) set({ runs: r.value });
  },
  open: async (id) => {
    set({ openId: id, rows: [], options: null });
    if (id) await get().refreshRows();
  },
  refreshRows: async () => {
    const id = get().openId;
    if (!id) return;
    const r = await getApi().runsGet({ runId: id });
    if (r.ok && get().openId === id)
      set((s) => ({ rows: r.value.rows, options: r.value.options, progress: { ...s.progress, [id]: r.value.progress } }));
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
    // Row outcomes of the open run: refreshed at most every half second.
    if (p.id === useRuns.getState().openId && !rowsTimer) {
      rowsTimer = setTimeout(() => {
        rowsTimer = null;
        void useRuns.getState().refreshRows();
      }, 500);
    }
  });
}
