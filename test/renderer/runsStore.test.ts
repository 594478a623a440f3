import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunProgress, RunRowView, RunRowsPage } from '../../src/shared/domain/send/types.ts';
import { getEmptyState, PAGE, useRuns } from '../../src/renderer/src/store/runs.ts';

const ROWS = 1_000;
const row = (idx: number, state: RunRowView['state'] = 'sent'): RunRowView => ({
  idx,
  sheetRow: idx,
  email: `u${idx}@x.test`,
  state,
  invitationId: null,
  invitationStatus: null,
  url: null,
  errorCode: null,
  message: null,
  attempts: 1,
  expiresAt: null,
});
const progress = (state: RunProgress['state']) => ({ id: 'r1', state, counts: { total: ROWS } }) as unknown as RunProgress;

/** main as the store sees it: runs:get pages of a 1,000-row run, and the progress events it sends. */
function fakeMain() {
  const asked: { offset?: number; around?: number; changedSince?: number }[] = [];
  const listeners: ((p: unknown) => void)[] = [];
  let state: RunProgress['state'] = 'running';
  const changed: RunRowView[] = [];
  const api = {
    runsGet: async (a: { offset?: number; limit?: number; around?: number; changedSince?: number }) => {
      asked.push({ ...a });
      const limit = a.limit ?? 200;
      const offset = a.around !== undefined ? a.around - (a.around % limit) : (a.offset ?? 0);
      const rows =
        a.changedSince !== undefined ? changed : Array.from({ length: Math.min(limit, ROWS - offset) }, (_, i) => row(offset + i));
      const value: RunRowsPage = { progress: progress(state), rows, offset, total: ROWS, tally: null as never, options: null, at: 5 };
      return { ok: true, value };
    },
    on: (_event: string, l: (p: unknown) => void) => {
      listeners.push(l);
      return () => {};
    },
  };
  (globalThis as { window?: unknown }).window = { api };
  return {
    asked,
    emit: (p: RunProgress) => listeners.forEach((l) => l(p)),
    finish: () => (state = 'finished'),
    change: (r: RunRowView) => changed.push(r),
  };
}

// Each test starts from an empty store listening to its own fake main.
beforeEach(() => {
  useRuns.getState().live?.stop();
  useRuns.setState(getEmptyState());
});

describe('the runs store', () => {
  it('a run that ends before its page is shown: the one event that says so is not lost', async () => {
    const main = fakeMain();
    await useRuns.getState().open('r1'); // read while it was running (the Runs page not even loaded yet)
    main.finish();
    main.emit(progress('finished'));
    // Shown with the run's rows read afresh, in one step (issue 21 #8: rows said Queued beside final counts).
    await vi.waitFor(() => expect(useRuns.getState().progress['r1']?.state).toBe('finished'));
  });

  it('fetches the first page, then only the pages that come into view; the rows that changed merge in place', async () => {
    const main = fakeMain();
    await useRuns.getState().open('r1');
    expect(main.asked).toEqual([expect.objectContaining({ runId: 'r1', limit: PAGE })]);
    expect(useRuns.getState().total).toBe(ROWS);
    expect(useRuns.getState().rows.filter(Boolean)).toHaveLength(PAGE);
    useRuns.getState().need(0, 30);
    expect(main.asked).toHaveLength(1); // already here
    useRuns.getState().need(590, 620); // pages 2 and 3
    useRuns.getState().need(595, 625);
    await new Promise((r) => setImmediate(r));
    expect(main.asked.slice(1).map((a) => a.offset)).toEqual([400, 600]);
    expect(useRuns.getState().rows[619]?.email).toBe('u619@x.test');
    expect(useRuns.getState().rows[300]).toBeUndefined();

    main.change(row(601, 'failed'));
    await useRuns.getState().refreshRows(true);
    expect(main.asked.at(-1)).toMatchObject({ changedSince: 5 });
    expect(useRuns.getState().rows[601]?.state).toBe('failed');
    expect(useRuns.getState().rows[600]?.state).toBe('sent');
  });

  it('a history hit opens the run at the page of its row', async () => {
    const main = fakeMain();
    await useRuns.getState().open('r1', 777);
    expect(main.asked).toEqual([expect.objectContaining({ around: 777 })]);
    expect(useRuns.getState().rows.findIndex((r) => r?.idx === 777)).toBe(777);
    expect(useRuns.getState().focusIdx).toBe(777);
  });
});
