import { create } from 'zustand';

export type View = 'sheets' | 'runs' | 'profiles' | 'waitlist' | 'invitations' | 'workspace' | 'approvals';
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
/** The page shown, kept across a reload of the window (not across a restart of the app). */
const VIEW = 'invite-desk:view';
const savedView = (): View => {
  try {
    const v = sessionStorage.getItem(VIEW);
    return v === 'runs' || v === 'profiles' || v === 'waitlist' || v === 'invitations' || v === 'workspace' || v === 'approvals'
      ? v
      : 'sheets';
  } catch {
    return 'sheets';
  }
};

export const useUi = create<UiState>((set) => ({
  view: savedView(),
  toasts: [],
  go: (view) => {
    try {
      sessionStorage.setItem(VIEW, view);
    } catch {
      // Only forgotten at the next reload.
    }
    set({ view });
  },
  toast: (kind, text, action) => {
    const id = nextToast++;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text, ...(action ? { action } : {}) }] }));
    if (kind === 'info') setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), action ? 10_000 : 4000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
