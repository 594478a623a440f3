/**
 * A list of people to act on: pasted addresses (one per line, or separated by commas or semicolons) or a sheet's
 * Email column; then invite or reject their entries, or add them to the waitlist. What was pasted is kept while the
 * dialog is open; main checks every address and says which it skips and why.
 */
import { useRef, useState } from 'react';
import type { WaitlistAction, WaitlistSelection } from '../../../../shared/domain/waitlist/types.ts';
import { useDialog } from '../../lib/useDialog.ts';
import { useSheets } from '../../store/sheets.ts';
import { useWaitlist } from '../../store/waitlist.ts';

export const splitPasted = (text: string): string[] =>
  text
    .split(/[\n\r,;\t]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function WaitlistListDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onClose);
  const sheets = useSheets((s) => s.sheets);
  const [source, setSource] = useState<'paste' | 'sheet'>('paste');
  const [text, setText] = useState('');
  const [sheetId, setSheetId] = useState('');
  const emails = splitPasted(text);
  const selection: WaitlistSelection | null =
    source === 'paste' ? (emails.length ? { kind: 'emails', emails } : null) : sheetId ? { kind: 'sheet', sheetId } : null;
  const act = (action: WaitlistAction) => {
    if (!selection) return;
    onClose();
    void useWaitlist.getState().openReview(action, selection);
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="A list of people" data-testid="waitlist-list-dialog">
      <div className="modal waitlist-list-dialog" ref={ref} tabIndex={-1}>
        <h3>A list of people</h3>
        <div className="segmented" role="radiogroup" aria-label="Where the addresses come from">
          <label>
            <input type="radio" checked={source === 'paste'} onChange={() => setSource('paste')} /> Pasted addresses
          </label>
          <label>
            <input type="radio" checked={source === 'sheet'} onChange={() => setSource('sheet')} /> A sheet’s Email column
          </label>
        </div>
        {source === 'paste' ? (
          <label className="waitlist-list-field">
            One address a line (or separated by commas):
            <textarea
              data-autofocus
              rows={8}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="waitlist-paste"
              placeholder={'ann@acme.com\nbob@globex.com'}
            />
            <span className="muted small" data-testid="waitlist-paste-count">
              {emails.length.toLocaleString()} {emails.length === 1 ? 'address' : 'addresses'}
            </span>
          </label>
        ) : (
          <label className="waitlist-list-field">
            Sheet:
            <select value={sheetId} onChange={(e) => setSheetId(e.target.value)} data-testid="waitlist-sheet">
              <option value="">Pick a sheet…</option>
              {sheets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" disabled={!selection} onClick={() => act('add')} data-testid="waitlist-list-add">
            Add to the waitlist…
          </button>
          <button type="button" className="danger" disabled={!selection} onClick={() => act('reject')} data-testid="waitlist-list-reject">
            Reject their entries…
          </button>
          <button type="button" className="primary" disabled={!selection} onClick={() => act('invite')} data-testid="waitlist-list-invite">
            Invite their entries…
          </button>
        </div>
      </div>
    </div>
  );
}
