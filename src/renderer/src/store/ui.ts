import { create } from 'zustand';

export type View = 'sheets' | 'runs' | 'profiles';
export type Toast = { id: number; kind: 'info' | 'error'; text: string };

type UiState = {
  view: View;
  toasts: Toast[];
  go(view: View): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
};

let nextToast = 1;

export const useUi = create<UiState>((set) => ({
  view: 'sheets',
  toasts: [],
  go: (view) => set({ view }),
  toast: (kind, text) => {
    const id = nextToast++;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text }] }));
    if (kind === 'info') setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), 4000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
