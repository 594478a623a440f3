/** Revoking is irreversible in Clerk: say how many and where, and on production ask for the profile's name. */
import { plural } from '../../../../shared/plural.ts';
import { useRef } from 'react';
import { useDialog } from '../../lib/useDialog.ts';

export function RevokeConfirm(props: {
  count: number;
  profileName: string;
  target: string;
  production: boolean;
  confirmName: string;
  onConfirmName: (v: string) => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, props.onCancel);
  const ready = !props.production || props.confirmName === props.profileName;
  return (
    <div
      className="revoke-confirm"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="revoke-title"
      data-testid="revoke-confirm"
      ref={ref}
      tabIndex={-1}
    >
      <h3 id="revoke-title">Revoke {plural(props.count, 'pending invitation')}?</h3>
      <p data-testid="revoke-target">
        In {props.target} of <strong>{props.profileName}</strong>
        {props.production ? ' (production)' : ''}. Those people can no longer accept them. This cannot be undone in Clerk: you would have to
        invite them again.
      </p>
      {props.production && (
        <label>
          Type <code>{props.profileName}</code> to confirm:
          <input
            data-autofocus
            value={props.confirmName}
            onChange={(e) => props.onConfirmName(e.target.value)}
            data-testid="revoke-confirm-name"
          />
        </label>
      )}
      <div className="actions">
        <button type="button" onClick={props.onCancel} data-testid="revoke-cancel" data-autofocus={!props.production || undefined}>
          Keep them
        </button>
        <button type="button" className="danger" disabled={!ready} onClick={props.onConfirm} data-testid="revoke-go">
          Revoke {props.count}
        </button>
      </div>
    </div>
  );
}
