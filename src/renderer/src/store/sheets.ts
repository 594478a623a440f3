/** The list of sheet drafts, kept fresh by main's `sheets:changed` event. */
import { create } from 'zustand';
import type { SheetSummary } from '../../../shared/domain/sheet/types.ts';
import { getApi } from '../lib/api.ts';

type SheetsStore = {
  sheets: SheetSummary[];
  loaded: boolean;
  /** The event listener's unsubscribe, while started. */
  stop: (() => void) | null;
  load(): Promise<void>;
  /** Listens to main's `sheets:changed` (idempotent); returns how to stop. Started once, by the app at boot. */
  start(): () => void;
};

export const getEmptyState = () => ({ sheets: [] as SheetSummary[], loaded: false, stop: null });

export const useSheets = create<SheetsStore>((set, get) => ({
  ...getEmptyState(),
  load: async () => {
    const r = await getApi().sheetsList();
    if (r.ok) set({ sheets: r.value, loaded: true });
  },
  start: () => {
    const started = get().stop;
    if (started) return started;
    const off = getApi().on('sheets:changed', (sheets) => set({ sheets, loaded: true }));
    const stop = () => {
      off();
      set({ stop: null });
    };
    set({ stop });
    return stop;
  },
}));
