/**
 * Did the metadata land? (issue 24) On a run that sent invitations: the last check's tally ("412 accepted: 409
 * landed, 3 missing"), "Check metadata" with its progress, and "Repair…" when something is missing or different.
 */
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../../shared/domain/send/types.ts';
import { when } from '../../lib/format.ts';
import { useMetadata } from '../../store/metadata.ts';
import { useRuns } from '../../store/runs.ts';
import { useUi } from '../../store/ui.ts';
import { RepairDialog } from './RepairDialog.tsx';

export function MetadataCheck({ run, now }: { run: RunSummary; now: number }) {
  const summary = useMetadata((s) => s.summaries[run.id]);
  const progress = useMetadata((s) => s.progress[run.id]);
  const error = useMetadata((s) => s.error);
  const review = useMetadata((s) => s.review);
  const toast = useUi((s) => s.toast);
  const [checking, setChecking] = useState(false);
  useEffect(() => void useMetadata.getState().load(run.id), [run.id]);
  const going = checking || summary?.checking === true;
  const check = async () => {
    setChecking(true);
    const done = await useMetadata.getState().check(run.id);
    setChecking(false);
    if (done) {
      toast('info', `Metadata checked: ${done.line}.`);
      await useRuns.getState().refreshRows();
    }
  };
  const repairable = (summary?.missing ?? 0) + (summary?.differs ?? 0);
  const lostInBulk = useMetadata((s) => s.lostInBulk);
  const acceptAll = async () => {
    const n = await useMetadata.getState().acceptInSandbox(run.id);
    if (n !== null) toast('info', `${n.toLocaleString()} Sandbox invitations accepted: Sync statuses to see them (the check follows).`);
  };
  return (
    <section className="meta-check" aria-label="Metadata after acceptance" data-testid="meta-check-panel">
      <span data-testid="meta-summary">
        <strong>Metadata:</strong>{' '}
        {summary && summary.checkedAt !== null
          ? `${summary.line} (checked ${when(summary.checkedAt, now)})`
          : 'not checked yet. Sync statuses, then check whether what each accepted row sent is on the user (or membership).'}
      </span>
      {going && progress && progress.total > 0 && (
        <span className="muted" role="status" data-testid="meta-progress">
          Checking {progress.checked.toLocaleString()} of {progress.total.toLocaleString()}… (you can leave this page; it goes on)
        </span>
      )}
      <button type="button" onClick={() => void check()} disabled={going} data-testid="meta-check">
        {going ? 'Checking…' : 'Check metadata'}
      </button>
      {repairable > 0 && !going && (
        <button type="button" onClick={() => void useMetadata.getState().openReview(run.id)} data-testid="meta-repair">
          Repair…
        </button>
      )}
      {run.profileId === 'sandbox' && (
        <span className="sandbox-accept">
          <button type="button" onClick={() => void acceptAll()} data-testid="sandbox-accept">
            Accept the pending invitations (Sandbox)
          </button>
          <label className="small">
            <input
              type="checkbox"
              checked={lostInBulk}
              onChange={(e) => useMetadata.getState().setLostInBulk(e.target.checked)}
              data-testid="sandbox-lost-in-bulk"
            />
            as under Clerk’s bug #7956 (bulk-made invitations’ metadata lost)
          </label>
        </span>
      )}
      {error && !review && (
        <p className="callout" role="alert" data-testid="meta-error">
          {error}
        </p>
      )}
      {review?.runId === run.id && <RepairDialog run={run} />}
    </section>
  );
}
