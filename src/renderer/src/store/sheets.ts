/** The list of sheet drafts, kept fresh by main's `sheets:changed` event. */
import { create } from 'zustand';
import type { SheetSummary } from '../../../shared/domain/sheet/types.ts';
import { getApi } from '../lib/api.ts';

type SheetsStore = { sheets: SheetSummary[]; loaded: boolean; load(): Promise<void> };

export const useSheets = create<SheetsStore>((set) => ({
  sheets: [],
  loaded: false,
  load: async () => {
    const r = await getApi().sheetsList();
    if (r.ok) set({ sheets: r.value, loaded: true });
  },
}));

let subscribed = false;
export function subscribeSheets(): void {
  if (subscribed) return;
  subscribed = true;
  getApi().on('sheets:changed', (sheets) => useSheets.setState({ sheets, loaded: true }));
}
