/** All drafts: open, rename (in the editor), duplicate, delete with undo. */
import type { SheetSummary } from '../../../../shared/domain/sheet/types.ts';
import { getApi } from '../../lib/api.ts';
import { when } from '../../lib/format.ts';
import { useListNav } from '../../lib/useListNav.ts';
import { useUi } from '../../store/ui.ts';

export function SheetList({ sheets, onOpen }: { sheets: SheetSummary[]; onOpen: (id: string) => void }) {
  const toast = useUi((s) => s.toast);
  const api = getApi();
  const nav = useListNav<HTMLTableRowElement>(sheets.length, (i) => onOpen(sheets[i]!.id));
  if (sheets.length === 0) return null;
  const remove = async (s: SheetSummary) => {
    const r = await api.sheetsDelete({ id: s.id });
    if (!r.ok) return toast('error', r.error.message);
    toast('info', `Deleted “${s.name}”.`, { label: 'Undo', run: () => void api.sheetsRestore({ id: s.id }) });
  };
  return (
    <table className="sheet-list" data-testid="sheet-list">
      <thead>
        <tr>
          <th>Sheet</th>
          <th>Kind</th>
          <th>Rows</th>
          <th>Last edit</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sheets.map((s, i) => (
          <tr key={s.id} data-testid="sheet-item" aria-label={`${s.name}: press Enter to open`} {...nav(i)}>
            <td>
              <button type="button" className="link" onClick={() => onOpen(s.id)} data-testid="sheet-open">
                {s.name}
              </button>
            </td>
            <td>{s.kind === 'org' ? 'Organization' : 'Application'}</td>
            <td>{s.rowCount.toLocaleString()}</td>
            <td>{when(s.updatedAt)}</td>
            <td className="actions">
              <button type="button" onClick={() => void api.sheetsDuplicate({ id: s.id })} data-testid="sheet-duplicate">
                Duplicate
              </button>
              <button type="button" className="danger" onClick={() => void remove(s)} data-testid="sheet-delete">
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
