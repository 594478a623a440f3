/** Did the metadata land (issue 24)? The open run's check (tally, progress) and the repair review, from main. */
import { create } from 'zustand';
import type { CheckSummary } from '../../../shared/domain/metadata/landed.ts';
import type { CheckProgress, RepairReview } from '../../../shared/domain/metadata/repairPlan.ts';
import { getApi } from '../lib/api.ts';
import { startedRun } from './approvals.ts';

type Summary = CheckSummary & { checking: boolean };

type MetadataState = {
  /** The last check of each run seen here, and whether one is going. */
  summaries: Record<string, Summary>;
  /** A check as it goes, by run. */
  progress: Record<string, CheckProgress>;
  /** The repair review open (one at a time), the different keys ticked, the typed profile name. */
  review: RepairReview | null;
  overwrite: string[];
  confirm: string;
  busy: boolean;
  /** The Sandbox's acceptance: as under clerk/javascript#7956 (bulk-made invitations' metadata lost). */
  lostInBulk: boolean;
  /** Why the last check, review or repair could not be made (shown where it was asked). */
  error: string | null;
  /** The `metadata:progress` listener's unsubscribe, while started. */
  live: { stop: () => void } | null;
};

type MetadataStore = MetadataState & {
  /** Follows `metadata:progress` from main (from boot, see App.tsx); returns the stop. */
  start(): () => void;
  load(runId: string): Promise<void>;
  /** `quiet`: an error code not worth saying (a check after a sync that found nobody accepted). */
  check(runId: string, opts?: { quiet?: string }): Promise<CheckSummary | null>;
  openReview(runId: string): Promise<void>;
  toggle(key: string): Promise<void>;
  setConfirm(name: string): void;
  closeReview(): void;
  setLostInBulk(on: boolean): void;
  /** The Sandbox only: its pending invitations of the run accepted; how many, or null (then `error` says why). */
  acceptInSandbox(runId: string): Promise<number | null>;
  /** Starts the repair; the new run's id, or null (then `error` says why). */
  repair(): Promise<string | null>;
};

export const getEmptyState = (): MetadataState => ({
  summaries: {},
  progress: {},
  review: null,
  overwrite: [],
  confirm: '',
  busy: false,
  lostInBulk: false,
  error: null,
  live: null,
});

export const useMetadata = create<MetadataStore>((set, get) => ({
  ...getEmptyState(),
  start() {
    const started = get().live;
    if (started) return started.stop;
    const off = getApi().on('metadata:progress', (p) => set((s) => ({ progress: { ...s.progress, [p.runId]: p } })));
    const stop = () => {
      off();
      set({ live: null });
    };
    set({ live: { stop } });
    return stop;
  },
  async load(runId) {
    const r = await getApi().metadataSummary({ runId });
    if (r.ok) set((s) => ({ summaries: { ...s.summaries, [runId]: r.value } }));
  },
  async check(runId, opts = {}) {
    set((s) => ({
      error: null,
      summaries: s.summaries[runId] ? { ...s.summaries, [runId]: { ...s.summaries[runId], checking: true } } : s.summaries,
    }));
    const r = await getApi().metadataCheck({ runId });
    if (!r.ok) {
      if (r.error.code !== opts.quiet) set({ error: r.error.message });
      await get().load(runId);
      return null;
    }
    set((s) => ({ summaries: { ...s.summaries, [runId]: { ...r.value, checking: false } } }));
    return r.value;
  },
  async openReview(runId) {
    set({ busy: true, error: null, overwrite: [], confirm: '' });
    const r = await getApi().metadataReview({ runId });
    set(r.ok ? { review: r.value, busy: false } : { error: r.error.message, busy: false });
  },
  async toggle(key) {
    const { review, overwrite } = get();
    if (!review) return;
    const next = overwrite.includes(key) ? overwrite.filter((k) => k !== key) : [...overwrite, key];
    set({ overwrite: next, busy: true });
    const r = await getApi().metadataReview({ runId: review.runId, overwrite: next });
    set(r.ok ? { review: r.value, busy: false } : { error: r.error.message, busy: false });
  },
  setConfirm: (confirm) => set({ confirm }),
  setLostInBulk: (lostInBulk) => set({ lostInBulk }),
  async acceptInSandbox(runId) {
    set({ error: null });
    const r = await getApi().sandboxAccept({ runId, lostInBulk: get().lostInBulk });
    if (!r.ok) {
      set({ error: r.error.message });
      return null;
    }
    return r.value.accepted;
  },
  closeReview: () => set({ review: null, overwrite: [], confirm: '', error: null }),
  async repair() {
    const { review, overwrite, confirm } = get();
    if (!review) return null;
    set({ busy: true, error: null });
    const r = await getApi().metadataRepair({ runId: review.runId, overwrite, ...(confirm ? { confirmName: confirm } : {}) });
    if (!r.ok) {
      set({ busy: false, error: r.error.message });
      return null;
    }
    const { summaries, progress, lostInBulk, live } = get();
    set({ ...getEmptyState(), summaries, progress, lostInBulk, live });
    return startedRun(r.value);
  },
}));
