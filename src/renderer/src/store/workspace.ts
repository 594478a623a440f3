/**
 * The Workspace screen's state: the choice main reports, what the user is typing (kept through every error), a
 * connection test and a switch with their progress and outcome. The password is typed here and sent once; main never
 * sends it back.
 */
import { create } from 'zustand';
import type {
  TeamWaiting,
  WorkspaceSwitchArgs,
  WorkspaceSwitchResult,
  WorkspaceTestResult,
  WorkspaceView,
} from '../../../shared/domain/workspace.ts';
import type { AppError } from '../../../shared/result.ts';
import { getApi } from '../lib/api.ts';

export type WorkspaceDraft = {
  kind: 'local' | 'team';
  url: string;
  password: string;
  tls: boolean;
  fourEyes: boolean;
  copyHistory: boolean;
};

type WorkspaceStore = ReturnType<typeof getEmptyState> & {
  load(): Promise<void>;
  edit(patch: Partial<WorkspaceDraft>): void;
  test(): Promise<void>;
  askSwitch(): void;
  cancelSwitch(): void;
  confirmSwitch(): Promise<void>;
  /** Listens to main's `workspace:waiting` (idempotent); returns how to stop. */
  start(): () => void;
  /** "Try again now" while the team database does not answer. */
  retry(): Promise<void>;
};

export const getEmptyState = () => ({
  view: null as WorkspaceView | null,
  loadError: null as AppError | null,
  draft: { kind: 'local', url: '', password: '', tls: true, fourEyes: false, copyHistory: false } as WorkspaceDraft,
  /** The draft was edited since main's choice was loaded (a reload then keeps what is typed). */
  edited: false,
  testing: false,
  tested: null as WorkspaceTestResult | null,
  /** The last test's or switch's refusal (its `field` says which input it is about). */
  error: null as AppError | null,
  confirming: false,
  switching: false,
  switched: null as WorkspaceSwitchResult | null,
  /** The team database in use does not answer since then (null: it answers), and where it is. */
  waiting: null as TeamWaiting | null,
  retrying: false,
  stop: null as (() => void) | null,
});

const args = (d: WorkspaceDraft): WorkspaceSwitchArgs =>
  d.kind === 'local'
    ? { kind: 'local' }
    : {
        kind: 'team',
        url: d.url.trim(),
        tls: d.tls,
        fourEyes: d.fourEyes,
        copyHistory: d.copyHistory,
        ...(d.password ? { password: d.password } : {}),
      };

export const useWorkspace = create<WorkspaceStore>((set, get) => ({
  ...getEmptyState(),
  load: async () => {
    const r = await getApi().workspaceGet();
    if (!r.ok) return set({ loadError: r.error });
    const c = r.value.config;
    set({
      view: r.value,
      loadError: null,
      waiting:
        r.value.waitingSince === null && r.value.refused === null
          ? null
          : { since: r.value.waitingSince, target: r.value.target ?? 'the team database', refused: r.value.refused },
      ...(get().edited
        ? {}
        : {
            draft:
              c.kind === 'team'
                ? { kind: 'team', url: c.url, password: '', tls: c.tls, fourEyes: c.fourEyes, copyHistory: false }
                : getEmptyState().draft,
          }),
    });
  },
  edit: (patch) => {
    const draft = { ...get().draft, ...patch };
    // A test's result is about what was typed then: changing where to connect forgets it, keeping what else was typed.
    const moved = ['url', 'password', 'tls', 'kind'].some((k) => k in patch);
    set({ draft, edited: true, ...(moved ? { tested: null, error: null } : {}) });
  },
  test: async () => {
    const d = get().draft;
    set({ testing: true, tested: null, error: null });
    const r = await getApi().workspaceTest({ url: d.url.trim(), tls: d.tls, ...(d.password ? { password: d.password } : {}) });
    set(r.ok ? { testing: false, tested: r.value } : { testing: false, error: r.error });
  },
  askSwitch: () => set({ confirming: true, error: null }),
  cancelSwitch: () => set({ confirming: false }),
  confirmSwitch: async () => {
    set({ switching: true, error: null });
    const r = await getApi().workspaceSwitch(args(get().draft));
    if (r.ok) set({ switching: false, confirming: false, switched: r.value, draft: { ...get().draft, password: '' } });
    // Nothing typed is lost: the dialog closes and the refusal shows next to its field.
    else set({ switching: false, confirming: false, error: r.error });
  },
  start: () => {
    const started = get().stop;
    if (started) return started;
    const off = getApi().on('workspace:waiting', (w) => set({ waiting: w.since === null && w.refused === null ? null : w }));
    const stop = () => {
      off();
      set({ stop: null });
    };
    set({ stop });
    return stop;
  },
  retry: async () => {
    set({ retrying: true });
    await getApi().workspaceRetry();
    set({ retrying: false });
  },
}));
