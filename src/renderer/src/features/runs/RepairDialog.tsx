/**
 * The repair review (issue 24): every change as before → after, missing keys written, different keys left alone
 * unless ticked (per key, over every row where it differs), the typed profile name on production, then a run.
 */
import { useRef } from 'react';
import { keyLabel, valueText } from '../../../../shared/domain/metadata/landed.ts';
import type { RunSummary } from '../../../../shared/domain/send/types.ts';
import { plural } from '../../../../shared/plural.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { useDialog } from '../../lib/useDialog.ts';
import { useMetadata } from '../../store/metadata.ts';
import { useRuns } from '../../store/runs.ts';
import { FourEyesNote } from '../approvals/FourEyesNote.tsx';

/** Rows listed in full; the rest are counted (the run writes them all). */
const SHOWN = 200;

export function RepairDialog({ run }: { run: RunSummary }) {
  const review = useMetadata((s) => s.review);
  const overwrite = useMetadata((s) => s.overwrite);
  const confirm = useMetadata((s) => s.confirm);
  const busy = useMetadata((s) => s.busy);
  const error = useMetadata((s) => s.error);
  const ref = useRef<HTMLDivElement>(null);
  const close = () => useMetadata.getState().closeReview();
  useDialog(ref, close);
  if (!review) return null;
  const prod = run.environment === 'production' && run.profileId !== 'sandbox';
  const ready = review.rows.length > 0 && !busy && (!prod || confirm === run.profileName);
  const start = async () => {
    const id = await useMetadata.getState().repair();
    if (!id) return;
    await useRuns.getState().load();
    await useRuns.getState().open(id);
  };
  const where = run.kind === 'org' ? `the memberships of ${run.organizationName ?? 'the organization'}` : 'the users';
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Review the metadata repair" data-testid="repair-dialog">
      <div className={`modal modal-review ${prod ? 'modal-prod' : ''}`} ref={ref} tabIndex={-1}>
        <div className="target">
          <EnvBadge profile={{ environment: run.environment, isSandbox: run.profileId === 'sandbox' }} />
          <span className="target-name">{run.profileName}</span>
          <span className="muted">→ {where}</span>
        </div>
        <div className="modal-body" data-testid="repair-body">
          <p data-testid="repair-what">
            Writes {plural(review.writes, 'key')} on {plural(review.rows.length, run.kind === 'org' ? 'membership' : 'user')} (Clerk merges
            them in; nothing else on them changes). Keys someone changed since the check are left alone when the write goes.
          </p>
          {review.differing.length > 0 && (
            <fieldset className="repair-ticks" data-testid="repair-differing">
              <legend>Keys the user now holds with another value: left alone unless ticked</legend>
              {review.differing.map((d) => (
                <label key={d.key}>
                  <input
                    type="checkbox"
                    checked={overwrite.includes(d.key)}
                    onChange={() => void useMetadata.getState().toggle(d.key)}
                    data-testid={`repair-tick-${d.key}`}
                  />
                  Overwrite <code>{d.key}</code> with what the row sent ({plural(d.rows, 'row')})
                </label>
              ))}
            </fieldset>
          )}
          <table className="repair-rows" data-testid="repair-rows">
            <thead>
              <tr>
                <th>Email</th>
                <th>Change (before → after)</th>
              </tr>
            </thead>
            <tbody>
              {review.rows.slice(0, SHOWN).map((r) => (
                <tr key={r.idx} data-testid="repair-row">
                  <td>{r.email}</td>
                  <td>
                    {r.writes.map((w) => (
                      <div key={keyLabel(w)} className={w.kind === 'overwrite' ? 'repair-overwrite' : undefined}>
                        <code>{keyLabel(w)}</code>: {valueText(w.before)} → {valueText(w.after)}
                        {w.kind === 'overwrite' ? ' (overwrites)' : ''}
                      </div>
                    ))}
                    {r.leftAlone.length > 0 && (
                      <div className="muted small">
                        Left alone: {r.leftAlone.map((d) => `${keyLabel(d)} (${valueText(d.now)})`).join(', ')}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {review.rows.length > SHOWN && <p className="muted">…and {plural(review.rows.length - SHOWN, 'more row')}.</p>}
          {review.leftAlone > 0 && (
            <p className="muted" data-testid="repair-left-alone">
              {plural(review.leftAlone, 'different key')} left alone (not ticked).
            </p>
          )}
          {error && (
            <p className="callout" role="alert" data-testid="repair-error">
              {error}
            </p>
          )}
        </div>
        <FourEyesNote production={prod} />
        {prod && (
          <label>
            Type <code>{run.profileName}</code> to write to production:
            <input
              data-autofocus
              value={confirm}
              onChange={(e) => useMetadata.getState().setConfirm(e.target.value)}
              data-testid="repair-confirm-name"
            />
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={close} data-testid="repair-cancel" data-autofocus={!prod || undefined}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!ready} onClick={() => void start()} data-testid="repair-go">
            Repair {plural(review.rows.length, 'row')}
          </button>
        </div>
      </div>
    </div>
  );
}
