/**
 * The Invitations page's filters: search by email or domain, status, kind, organization, age, expiring within N days,
 * ours or not. A number that is not a whole number of days says so beside its field and keeps what was typed.
 */
import { useState } from 'react';
import { INVENTORY_STATUSES, type InventoryFilter } from '../../../../shared/domain/inventory/types.ts';
import { useInventory } from '../../store/inventory.ts';
import { STATUS_LABEL } from './InventoryTable.tsx';

/** A whole number of days 0–3650, or null for an empty field; a string says what is wrong. */
export function parseDays(text: string): number | null | string {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return `“${t.slice(0, 20)}” is not a whole number of days`;
  const n = Number(t);
  return n > 3650 ? 'At most 3,650 days (ten years)' : n;
}

function DaysField({ label, testId, onValue }: { label: string; testId: string; onValue: (n: number | undefined) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const change = (t: string) => {
    setText(t);
    const v = parseDays(t);
    if (typeof v === 'string') return setProblem(v);
    setProblem(null);
    onValue(v ?? undefined);
  };
  return (
    <label className="inv-days">
      {label}
      <input
        type="text"
        inputMode="numeric"
        size={4}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${testId}-problem` : undefined}
        data-testid={testId}
        onChange={(e) => change(e.target.value)}
      />
      days
      {problem && (
        <span className="form-error" id={`${testId}-problem`} role="alert">
          {problem}
        </span>
      )}
    </label>
  );
}

export function InventoryFilters() {
  const filter = useInventory((s) => s.filter);
  const organizations = useInventory((s) => s.organizations);
  const setFilter = useInventory((s) => s.setFilter);
  const [search, setSearch] = useState(filter.search ?? '');
  const statuses = new Set(filter.status ?? []);
  const toggleStatus = (s: (typeof INVENTORY_STATUSES)[number], on: boolean) => {
    const next = new Set(statuses);
    if (on) next.add(s);
    else next.delete(s);
    void setFilter({ status: [...next] });
  };
  const set = (patch: { [K in keyof InventoryFilter]?: InventoryFilter[K] | undefined }) => void setFilter(patch);
  return (
    <div className="inv-filters" role="search" aria-label="Filter invitations">
      <input
        type="search"
        placeholder="Email, or @domain"
        aria-label="Search by email or domain"
        value={search}
        data-testid="inventory-search"
        onChange={(e) => {
          setSearch(e.target.value);
          set({ search: e.target.value });
        }}
      />
      <fieldset className="inv-statuses">
        <legend className="visually-hidden">Status</legend>
        {INVENTORY_STATUSES.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={statuses.has(s)}
              data-testid={`inventory-status-${s}`}
              onChange={(e) => toggleStatus(s, e.target.checked)}
            />
            {STATUS_LABEL[s]}
          </label>
        ))}
      </fieldset>
      <select
        aria-label="Kind"
        value={filter.kind ?? ''}
        data-testid="inventory-kind"
        onChange={(e) => set({ kind: e.target.value === '' ? undefined : (e.target.value as 'app' | 'org') })}
      >
        <option value="">Application and organization</option>
        <option value="app">Application invitations</option>
        <option value="org">Organization invitations</option>
      </select>
      <select
        aria-label="Organization"
        value={filter.organizationId ?? ''}
        data-testid="inventory-org"
        onChange={(e) => set({ organizationId: e.target.value || undefined })}
      >
        <option value="">Every organization</option>
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Sent by"
        value={filter.origin ?? ''}
        data-testid="inventory-origin-filter"
        onChange={(e) => set({ origin: e.target.value === '' ? undefined : (e.target.value as 'ours' | 'outside') })}
      >
        <option value="">Sent by anyone</option>
        <option value="ours">Sent by Invite Desk</option>
        <option value="outside">Made outside Invite Desk</option>
      </select>
      <DaysField label="Older than" testId="inventory-older" onValue={(n) => set({ olderThanDays: n })} />
      <DaysField label="Expiring within" testId="inventory-expiring" onValue={(n) => set({ expiringWithinDays: n })} />
    </div>
  );
}
