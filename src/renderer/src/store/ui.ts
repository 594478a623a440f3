import { create } from 'zustand';

export type View = 'sheets' | 'runs' | 'profiles';
export type ToastAction = { label: string; run: () => void };
export type Toast = { id: number; kind: 'info' | 'error'; text: string; action?: ToastAction };

type UiState = {
  view: View;
  toasts: Toast[];
  go(view: View): void;
  toast(kind: Toast['kind'], text: string, action?: ToastAction): void;
  dismiss(id: number): void;
};

let nextToast = 1;

export const useUi = create<UiState>((set) => ({
  view: 'sheets',
  toasts: [],
  go: (view) => set({ view }),
  toast: (kind, text, action) => {
    const id = nextToast++;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text, ...(action ? { action } : {}) }] }));
    if (kind === 'info') setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), action ? 10_000 : 4000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
