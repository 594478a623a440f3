/** Before a switch: exactly what moves where, then the app restarts into the workspace chosen. */
import { useRef } from 'react';
import { switchSummary } from '../../../../shared/domain/workspace.ts';
import { useDialog } from '../../lib/useDialog.ts';
import { useWorkspace } from '../../store/workspace.ts';

/** `user@host:port/database (TLS on)` as main would say it, from what is typed (the dialog never waits on main). */
function targetOf(url: string, tls: boolean): string {
  const m = /^postgres(?:ql)?:\/\/([^@/]+)@([^/]+)\/([^?]+)/i.exec(url.trim());
  if (!m) return url.trim();
  const user = decodeURIComponent(m[1]!.split(':')[0]!);
  const host = /:\d+$/.test(m[2]!) ? m[2]! : `${m[2]!}:5432`;
  return `${user}@${host}/${decodeURIComponent(m[3]!)} (TLS ${tls ? 'on' : 'off'})`;
}

export function SwitchDialog() {
  const { view, draft, switching, tested } = useWorkspace();
  const { cancelSwitch, confirmSwitch } = useWorkspace.getState();
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, () => !switching && cancelSwitch());
  if (!view) return null;
  const toTeam = draft.kind === 'team';
  const lines = switchSummary({
    to: draft.kind,
    target: toTeam ? (tested?.target ?? targetOf(draft.url, draft.tls)) : view.target,
    local: view.local,
    // Also from the team workspace in use: a history not copied at the switch can be copied later (what is there stays).
    copyHistory: toTeam && draft.copyHistory,
  });
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="ws-confirm-title"
        ref={ref}
        tabIndex={-1}
        data-testid="ws-confirm"
      >
        <h2 id="ws-confirm-title">{toTeam ? 'Switch to the team workspace?' : 'Switch to this computer?'}</h2>
        <ul className="ws-summary" data-testid="ws-summary">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
        <div className="actions">
          <button type="button" onClick={cancelSwitch} disabled={switching} data-testid="ws-confirm-cancel" data-autofocus>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => void confirmSwitch()} disabled={switching} data-testid="ws-confirm-go">
            {switching ? (toTeam && draft.copyHistory ? 'Copying and checking the history…' : 'Switching…') : 'Switch and restart'}
          </button>
        </div>
      </div>
    </div>
  );
}
