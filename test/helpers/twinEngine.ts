/**
 * The run engine on the in-memory twin of the store with a scripted Clerk, for policy tests: `launch` journals rows
 * as a run (a production application run unless told otherwise) and waits until it has settled.
 */
import type { NewRun } from '../../src/main/services/runs/journalTypes.ts';
import { createRunEngine, type EngineDeps } from '../../src/main/services/runs/engine.ts';
import type { RunProgress } from '../../src/shared/domain/send/types.ts';
import type { RowRequest } from '../../src/shared/domain/sheet/validate.ts';
import { fakeClerk } from './fakeClerk.ts';
import { memoryRunStore } from './memoryRunStore.ts';
import { newRun } from './newRun.ts';

export function engineOnTwin(o: Partial<EngineDeps> = {}) {
  const store = memoryRunStore();
  const clerk = fakeClerk();
  const events: RunProgress[] = [];
  const engine = createRunEngine({
    store,
    clientFor: async () => clerk.client,
    emit: (p) => events.push(p),
    backoffBaseMs: 5,
    unknownGraceMs: 30,
    leaseMs: 1000,
    ...o,
  });
  const launch = async (rows: RowRequest[], run: Partial<Omit<NewRun, 'id' | 'rows'>> = {}) => {
    const id = `run-${Math.random()}`;
    await engine.launch(newRun(id, rows, { environment: 'production', windowMs: 200, ...run }));
    await engine.settled(id);
    // Rows still queued once settled: none, unless the run stopped.
    return { id, run: (await store.runs.get(id))!, left: await store.journal.queued(id, Date.now()) };
  };
  return { store, clerk, engine, events, launch };
}
