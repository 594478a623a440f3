/** Where runs, sheets and profiles are kept, with the way to change it (the Profiles page shows it under its title). */
import { useUi } from '../../store/ui.ts';
import { useWorkspace } from '../../store/workspace.ts';

export function WorkspaceLine() {
  const view = useWorkspace((s) => s.view);
  const go = useUi((s) => s.go);
  if (!view) return null;
  return (
    <p className="hint ws-line" data-testid="ws-line">
      {view.config.kind === 'team'
        ? `Kept in the team workspace at ${view.target ?? ''}.`
        : 'Runs, sheets and profiles are kept on this computer.'}{' '}
      <button type="button" className="link" onClick={() => go('workspace')} title="Workspace (Ctrl+,)" data-testid="ws-open">
        Workspace…
      </button>
    </p>
  );
}
