/** What the Waitlist page's buttons do beyond its store: start the reviewed run and watch it; invite with metadata. */
import { getApi } from '../../lib/api.ts';
import { useRuns } from '../../store/runs.ts';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { useWaitlist } from '../../store/waitlist.ts';

/** Starts the reviewed run and opens it on the Runs page (where its progress, ETA and rows are). */
export async function startReviewed(): Promise<void> {
  const runId = await useWaitlist.getState().startRun();
  if (!runId) return; // the review shows why
  await useRuns.getState().load();
  await useRuns.getState().open(runId);
  useUi.getState().go('runs');
}

/** The selection's pending entries as a sheet (metadata, redirect, expiry), opened in the sheet editor. */
export async function inviteWithMetadata(profileId: string): Promise<void> {
  const { toast, go } = useUi.getState();
  const r = await getApi().waitlistToSheet({ profileId, selection: useWaitlist.getState().selection() });
  if (!r.ok) return toast('error', r.error.message);
  const error = await useSheet.getState().open(r.value.id);
  if (error) return toast('error', error);
  toast('info', `${r.value.name}: the pending entries as a sheet sending template_slug waitlist_invitation. Add metadata, then Send….`);
  go('sheets');
}
