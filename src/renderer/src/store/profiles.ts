/** Profiles as main reports them; kept fresh by the `profiles:changed` event. */
import { create } from 'zustand';
import type { ProfilesState, ProfileView } from '../../../shared/domain/profile.ts';
import type { AppError } from '../../../shared/result.ts';
import { getApi } from '../lib/api.ts';

type ProfilesStore = ProfilesState & {
  loaded: boolean;
  loadError: AppError | null;
  load(): Promise<void>;
  /** Reads the list again (a teammate may have added or renamed one); a failure keeps what is shown. */
  refresh(): Promise<void>;
  apply(state: ProfilesState): void;
  /** The event listener's unsubscribe, while started. */
  stop: (() => void) | null;
  /** Listens to main's `profiles:changed` (idempotent; safe under React StrictMode); returns how to stop. */
  start(): () => void;
};

export const getEmptyState = () => ({
  profiles: [] as ProfileView[],
  activeId: null as string | null,
  /** The profiles are the team workspace's (a deletion is every member's). */
  team: false,
  loaded: false,
  loadError: null as AppError | null,
  stop: null,
});

export const useProfiles = create<ProfilesStore>((set, get) => ({
  ...getEmptyState(),
  load: async () => {
    const r = await getApi().profilesList();
    if (r.ok) set({ team: false, ...r.value, loaded: true, loadError: null });
    else set({ loaded: true, loadError: r.error });
  },
  refresh: async () => {
    const r = await getApi().profilesList();
    if (r.ok) set({ team: false, ...r.value, loaded: true, loadError: null });
  },
  apply: (state) => set({ team: false, ...state, loaded: true }),
  start: () => {
    const started = get().stop;
    if (started) return started;
    const off = getApi().on('profiles:changed', (state) => get().apply(state));
    const stop = () => {
      off();
      set({ stop: null });
    };
    set({ stop });
    return stop;
  },
}));

/** The profile every action goes to (the header's switcher). */
export const useActiveProfile = (): ProfileView | null => useProfiles((s) => s.profiles.find((p) => p.id === s.activeId) ?? null);
