/** Profiles as main reports them; kept fresh by the `profiles:changed` event. */
import { create } from 'zustand';
import type { ProfilesState, ProfileView } from '../../../shared/domain/profile.ts';
import type { AppError } from '../../../shared/result.ts';
import { getApi } from '../lib/api.ts';

type ProfilesStore = ProfilesState & {
  loaded: boolean;
  loadError: AppError | null;
  load(): Promise<void>;
  apply(state: ProfilesState): void;
};

export const useProfiles = create<ProfilesStore>((set) => ({
  profiles: [],
  activeId: null,
  loaded: false,
  loadError: null,
  load: async () => {
    const r = await getApi().profilesList();
    if (r.ok) set({ ...r.value, loaded: true, loadError: null });
    else set({ loaded: true, loadError: r.error });
  },
  apply: (state) => set({ ...state, loaded: true }),
}));

/** The profile every action goes to (the header's switcher). */
export const useActiveProfile = (): ProfileView | null => useProfiles((s) => s.profiles.find((p) => p.id === s.activeId) ?? null);

let subscribed = false;
/** Starts listening to main once (idempotent; safe under React StrictMode). */
export function subscribeProfiles(): void {
  if (subscribed) return;
  subscribed = true;
  getApi().on('profiles:changed', (state) => useProfiles.getState().apply(state));
}
