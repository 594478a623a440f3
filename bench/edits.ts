/**
 * Edits at 100,000 rows: what one autosave costs, through the real parse → handler → SQLite path.
 * IPC bytes are the V8 structured-clone size (what Electron's IPC carries) of the arguments, the result and
 * any event main sends back. Goal (issue 14): one cell < 1 KB and < 5 ms in main.
 */
import v8 from 'node:v8';
import { dispatch } from '../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../src/main/services/secrets/secretStore.ts';
import { defaultSettings, type SheetColumn } from '../src/shared/domain/sheet/types.ts';
import type { RowPatch } from '../src/shared/domain/sheet/patch.ts';
import { makeServices } from '../test/helpers/mainServices.ts';

const ROWS = 100_000;
const bytes = (v: unknown) => v8.serialize(v).length;
const fmtBytes = (n: number) => (n < 10_240 ? `${n} B` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export async function benchEdits(): Promise<void> {
  let eventBytes = 0;
  const s = makeServices(createMemorySecretStore(), (_e, payload) => (eventBytes += bytes(payload)));
  try {
    const columns: SheetColumn[] = [
      { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
      { id: 'c1', header: 'Name', target: { kind: 'ignore' } },
      { id: 'c2', header: 'Team', target: { kind: 'meta', scope: 'public', path: 'team', type: 'string' } },
    ];
    const rows = Array.from({ length: ROWS }, (_, i) => [`user${i}@example.com`, `Person ${i}`, 'Ops']);
    const created = await dispatch(s.handlers, 'sheets:create', { name: 'Bench', settings: defaultSettings(), columns, rows });
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: string }).id;

    const measure = async (args: unknown, n: number) => {
      const times: number[] = [];
      let ipc = 0;
      for (let k = 0; k < n; k++) {
        eventBytes = 0;
        const t = performance.now();
        const r = await dispatch(s.handlers, 'sheets:save', args);
        times.push(performance.now() - t);
        if (!r.ok) throw new Error(r.error.message);
        ipc = bytes(args) + bytes(r) + eventBytes;
      }
      times.sort((a, b) => a - b);
      return { ipc, median: times[Math.floor(n / 2)]!, max: times.at(-1)! };
    };
    await dispatch(s.handlers, 'sheets:save', { id, patches: [{ t: 'set', index: 0, row: rows[0]! }] }); // warm-up
    const cell: RowPatch[] = [{ t: 'set', index: 54_321, row: ['user54321@example.com', 'Ada Lovelace', 'Ops'] }];
    const one = await measure({ id, patches: cell }, 50);
    const paste: RowPatch[] = Array.from({ length: 1000 }, (_, i) => ({
      t: 'set',
      index: i * 7,
      row: [`p${i}@example.com`, `Paste ${i}`, 'Sales'],
    }));
    const block = await measure({ id, patches: paste }, 10);
    const whole = await measure({ id, rows }, 3);
    const t = performance.now();
    await dispatch(s.handlers, 'sheets:get', { id });
    const reopen = performance.now() - t;
    console.log(`\n## Edits: autosave at ${ROWS.toLocaleString()} rows (parse → handler → SQLite)`);
    console.log(
      `one cell: ${fmtBytes(one.ipc)} over IPC, main median ${one.median.toFixed(2)} ms, max ${one.max.toFixed(2)} ms (goal < 1 KB and < 5 ms)`,
    );
    console.log(`paste of 1,000 rows: ${(block.ipc / 1024).toFixed(0)} KB over IPC, main median ${block.median.toFixed(1)} ms`);
    console.log(
      `for comparison, the whole sheet as before: ${fmtBytes(whole.ipc)} over IPC, main median ${whole.median.toFixed(0)} ms; reopen after 60 patched saves ${reopen.toFixed(0)} ms (folds them in once)`,
    );
  } finally {
    await s.close();
  }
}
