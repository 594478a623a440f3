/**
 * Four eyes on production: who this member is, whether the workspace asks for approvals, and the team's latest
 * approvals, kept fresh by main's `approvals:changed` (a teammate's request or decision shows up by itself).
 */
import { create } from 'zustand';
import type { ApprovalsSettings, ApprovalSummary } from '../../../shared/domain/approvals.ts';
import type { Asked, Started } from '../../../shared/ipc/contract.ts';
import { getApi } from '../lib/api.ts';

type ApprovalsStore = {
  settings: ApprovalsSettings | null;
  list: ApprovalSummary[];
  /** The approval open in the approval dialog. */
  openId: string | null;
  /** A production run handed to the team instead of started (a follow-up, a reminder, a waitlist action, a repair). */
  asked: Asked | null;
  showAsked(a: Asked | null): void;
  stop: (() => void) | null;
  load(): Promise<void>;
  open(id: string | null): void;
  /** Who prepared it takes the request back; an error's message, or null. */
  withdraw(id: string): Promise<string | null>;
  /** Listens to main's `approvals:changed` (idempotent); returns how to stop. Started once, by the app at boot. */
  start(): () => void;
};

export const getEmptyState = () => ({ settings: null, list: [] as ApprovalSummary[], openId: null, asked: null, stop: null });

/**
 * A run's start as main answered it: the run's id, or null when a teammate was asked to approve it instead (four
 * eyes on production), which the shell then shows (AskedDialog).
 */
export function startedRun(started: Started): string | null {
  if (started.runId !== null) return started.runId;
  useApprovals.getState().showAsked({ approvalId: started.approvalId, message: started.message });
  return null;
}

/** Waiting for someone other than `member`: what the Approvals entry counts. */
export const waitingFor = (list: ApprovalSummary[], member: string | undefined) =>
  list.filter((a) => a.state === 'pending' && a.preparedBy !== member).length;

export const useApprovals = create<ApprovalsStore>((set, get) => ({
  ...getEmptyState(),
  load: async () => {
    const [s, l] = await Promise.all([getApi().approvalsSettings(), getApi().approvalsList()]);
    set({ ...(s.ok ? { settings: s.value } : {}), ...(l.ok ? { list: l.value } : {}) });
  },
  open: (openId) => set({ openId }),
  showAsked: (asked) => {
    set({ asked });
    if (asked) void get().load(); // the new request is in the list the dialog follows
  },
  withdraw: async (id) => {
    const r = await getApi().approvalsWithdraw({ id });
    if (!r.ok) return r.error.message;
    await get().load();
    return null;
  },
  start: () => {
    const started = get().stop;
    if (started) return started;
    const off = getApi().on('approvals:changed', (list) => set({ list }));
    void get().load();
    const stop = () => {
      off();
      set({ stop: null });
    };
    set({ stop });
    return stop;
  },
}));
