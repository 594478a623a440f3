/** At start: the workspace setting could not be read (this computer's data is used). Said on every page until fixed. */
import { useEffect } from 'react';
import { useUi } from '../../store/ui.ts';
import { useWorkspace } from '../../store/workspace.ts';

export function WorkspaceWarning() {
  const warning = useWorkspace((s) => s.view?.warning ?? null);
  const view = useUi((s) => s.view);
  const go = useUi((s) => s.go);
  useEffect(() => void useWorkspace.getState().load(), []);
  // The Workspace page says it itself, beside the choice.
  if (!warning || view === 'workspace') return null;
  return (
    <div className="notices">
      <div className="notice notice-warning" role="alert" data-testid="ws-startup-warning">
        <span>{warning}</span>
        <button type="button" className="link" onClick={() => go('workspace')}>
          Open Workspace
        </button>
      </div>
    </div>
  );
}
