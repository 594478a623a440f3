/**
 * A teammate saved this sheet after it was opened here, so this window's save was refused: the two ways on, side by
 * side with the message. Reloading drops this window's edits, so it asks once more; the copy keeps every edit.
 */
import { useState } from 'react';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';

export function SaveConflict({ message }: { message: string }) {
  const reload = useSheet((s) => s.reload);
  const saveAsCopy = useSheet((s) => s.saveAsCopy);
  const toast = useUi((s) => s.toast);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (what: () => Promise<string | null>, done: string) => {
    setBusy(true);
    const error = await what();
    setBusy(false);
    setConfirming(false);
    toast(error ? 'error' : 'info', error ?? done);
  };
  return (
    <div className="save-conflict" data-testid="save-conflict">
      <span role="alert">{message}</span>
      <button
        type="button"
        className="primary"
        disabled={busy}
        data-testid="sheet-save-copy"
        onClick={() =>
          void act(saveAsCopy, 'Your version is saved as a sheet of its own; the shared sheet stays as your teammate saved it.')
        }
      >
        Save mine as a copy
      </button>
      {confirming ? (
        <>
          <button
            type="button"
            className="danger"
            disabled={busy}
            data-testid="sheet-reload-confirm"
            onClick={() => void act(reload, 'Reloaded: the sheet as it was last saved.')}
          >
            Drop my edits and reload
          </button>
          <button type="button" onClick={() => setConfirming(false)} autoFocus>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" disabled={busy} data-testid="sheet-reload" onClick={() => setConfirming(true)}>
          Reload
        </button>
      )}
    </div>
  );
}
