/**
 * Every invitation the filter shows, however many: a virtualized table (only the rows in view are in the DOM, fixed
 * 33 px rows, as the run's rows table) over the store's pages, fetched from main's local copy as they come into view.
 */
import { VirtualTable } from '../../components/VirtualTable.tsx';
import type { InventoryRow } from '../../../../shared/domain/inventory/types.ts';
import { dayWhen, fullWhen } from '../../lib/format.ts';
import { useInventory } from '../../store/inventory.ts';

const DAY = 86_400_000;

export const STATUS_LABEL: Record<InventoryRow['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** A pending invitation whose expiry passed since the last sync reads as expired (Clerk says so at the next sync). */
function statusOf(r: InventoryRow, now: number): string {
  if (r.status === 'pending' && r.expiresAt !== null && r.expiresAt <= now) return 'Expired';
  if (r.status === 'pending' && r.expiresAt !== null && r.expiresAt - now < 7 * DAY)
    return `Pending · expires in ${Math.max(1, Math.ceil((r.expiresAt - now) / DAY))} d`;
  return STATUS_LABEL[r.status];
}

export function InventoryTable({ now }: { now: number }) {
  const rows = useInventory((s) => s.rows);
  const total = useInventory((s) => s.total);
  const filter = useInventory((s) => s.filter);
  const selected = useInventory((s) => s.selected);
  const allShown = useInventory((s) => s.allShown);
  const { need, tick, selectAll } = useInventory.getState();
  return (
    <VirtualTable
      total={total}
      rows={rows}
      need={need}
      resetKey={filter}
      testIds={{ table: 'inventory-rows', scroll: 'inventory-scroll' }}
      className="run-rows inventory-rows"
      loading={{ lead: 1, span: 6 }}
      head={
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Select all shown invitations"
              data-testid="inventory-select-all"
              checked={total > 0 && allShown}
              onChange={(e) => void selectAll(e.target.checked)}
            />
          </th>
          <th>Email</th>
          <th>Status</th>
          <th>Kind</th>
          <th>Created</th>
          <th>Expires</th>
          <th>Sent by</th>
        </tr>
      }
      row={(r, at) => (
        <tr key={r.id} data-testid="inventory-row" aria-rowindex={at} className={`inv-${r.status}`}>
          <td>
            <input
              type="checkbox"
              aria-label={`Select ${r.email}`}
              checked={selected.has(r.id)}
              onChange={(e) => tick(r.id, e.target.checked)}
            />
          </td>
          <td title={r.email}>{r.email}</td>
          <td data-testid="inventory-status">{statusOf(r, now)}</td>
          <td title={r.kind === 'app' ? undefined : [r.organizationName ?? r.organizationId, r.role].filter(Boolean).join(' · ')}>
            {r.kind === 'app' ? 'Application' : (r.organizationName ?? r.organizationId)}
          </td>
          <td title={fullWhen(r.createdAt)}>{dayWhen(r.createdAt, now)}</td>
          <td title={r.expiresAt === null ? undefined : fullWhen(r.expiresAt)}>{r.expiresAt === null ? '—' : dayWhen(r.expiresAt, now)}</td>
          <td data-testid="inventory-origin">
            {r.runId ? <span title={`Run ${r.runId}`}>Run “{r.runName}”</span> : <span className="muted">Made outside Invite Desk</span>}
          </td>
        </tr>
      )}
    />
  );
}
