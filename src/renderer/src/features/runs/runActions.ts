/**
 * What the run detail's buttons do: each asks main, then says how it went (a toast with the error's own words) and
 * moves on (opens the new run, refreshes the rows, goes to the sheet). The component only renders and calls these.
 */
import type { FollowUp } from '../../../../shared/domain/send/types.ts';
import { plural } from '../../../../shared/plural.ts';
import { getApi } from '../../lib/api.ts';
import { downloadText } from '../../lib/download.ts';
import { useMetadata } from '../../store/metadata.ts';
import { useRuns } from '../../store/runs.ts';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { startedRun } from '../../store/approvals.ts';

const toast = (kind: 'info' | 'error', message: string) => useUi.getState().toast(kind, message);
/** Rows the user selected, or none (the whole run). */
const rowsOf = (selected: ReadonlySet<number>) => (selected.size ? { rows: [...selected] } : {});

export async function controlRun(runId: string, op: 'runsPause' | 'runsResume' | 'runsCancel'): Promise<void> {
  const r = await getApi()[op]({ runId });
  if (!r.ok) toast('error', r.error.message);
}

/** A follow-up run (retry, resend, revoke…) of the selection or the whole run; opened once main made it. */
export async function startFollowUp(
  runId: string,
  which: FollowUp,
  selected: ReadonlySet<number>,
  confirmName: string | null,
): Promise<void> {
  const r = await getApi().runsFollowUp({ runId, which, ...(confirmName === null ? {} : { confirmName }), ...rowsOf(selected) });
  if (!r.ok) return toast('error', r.error.message);
  const id = startedRun(r.value);
  if (!id) return;
  await useRuns.getState().load();
  await useRuns.getState().open(id);
}

/** `checkMetadata`: then, for invitations found accepted, whether their metadata landed (issue 24). */
export async function syncStatuses(runId: string, checkMetadata = false): Promise<void> {
  const r = await getApi().historySync({ runId });
  if (!r.ok) return toast('error', r.error.message);
  toast('info', `Statuses refreshed from Clerk: ${r.value.changed.toLocaleString()} changed.`);
  await useRuns.getState().refreshRows();
  // Nobody accepted yet is no error here.
  if (checkMetadata && (await useMetadata.getState().check(runId, { quiet: 'nothing_to_check' }))) await useRuns.getState().refreshRows();
}

export async function copyLinks(runId: string, selected: ReadonlySet<number>): Promise<void> {
  const r = await getApi().runsLinks({ runId, ...rowsOf(selected) });
  if (!r.ok) return toast('error', r.error.message);
  await navigator.clipboard.writeText(r.value.join('\n'));
  toast('info', `${plural(r.value.length, 'accept link')} copied, one per line.`);
}

/** The run's rows (or its failed ones) as a new sheet, opened in the editor. */
export async function openAsSheet(runId: string, which: 'all' | 'failed'): Promise<void> {
  const r = await getApi().runsToSheet({ runId, which });
  if (!r.ok) return toast('error', r.error.message);
  const error = await useSheet.getState().open(r.value.id);
  if (error) return toast('error', error);
  useUi.getState().go('sheets');
}

export async function exportRun(runId: string): Promise<void> {
  const r = await getApi().runsExport({ runId });
  if (!r.ok) return toast('error', r.error.message);
  downloadText(r.value.fileName, r.value.csv);
}
