/**
 * Every invitation of the active profile's instance, ours or not (issue 25): opens at once from the local copy, syncs
 * with progress and an ETA while it stays usable, filters, a virtualized table, a selection and its export.
 */
import { useEffect, useState } from 'react';
import { EmptyState, NoMatchState } from '../../components/EmptyState.tsx';
import { downloadText } from '../../lib/download.ts';
import { clock, when } from '../../lib/format.ts';
import { useNow } from '../../lib/useNow.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { useInventory } from '../../store/inventory.ts';
import { useUi } from '../../store/ui.ts';
import { ActionReviewDialog } from './ActionReviewDialog.tsx';
import { InventoryFilters } from './InventoryFilters.tsx';
import { InsightsPanel } from './InsightsPanel.tsx';
import { InventoryTable } from './InventoryTable.tsx';
import { ReminderRules } from './ReminderRules.tsx';

const n = (x: number) => x.toLocaleString();

function SyncStatus({ now }: { now: number }) {
  const progress = useInventory((s) => s.progress);
  const syncedAt = useInventory((s) => s.syncedAt);
  const all = useInventory((s) => s.all);
  const sync = useInventory((s) => s.sync);
  const going = progress?.state === 'syncing';
  return (
    <div className="inv-sync" data-testid="inventory-sync-status" aria-live="polite">
      {going ? (
        <>
          <progress max={progress.total ?? undefined} value={progress.total ? progress.read : undefined} aria-label="Sync progress" />
          <span>
            Syncing… {n(progress.read)}
            {progress.total !== null ? ` of ${n(progress.total)}` : ''} read
            {progress.eta !== null ? ` · done about ${clock(progress.eta, now)}` : ''}
          </span>
        </>
      ) : (
        <span>{syncedAt === null ? 'Never synced completely.' : `${n(all)} invitations · synced ${when(syncedAt, now)}.`}</span>
      )}
      <button type="button" disabled={going} onClick={() => void sync()} data-testid="inventory-sync">
        {going ? 'Syncing…' : syncedAt === null ? 'Sync now' : 'Sync again'}
      </button>
      {/* Below the line, whole: beside it, it wrapped around the button and pushed it down. */}
      {!going && progress?.state === 'failed' && (
        <p className="form-error inv-sync-error" role="alert" data-testid="inventory-sync-error">
          {progress.error}
        </p>
      )}
    </div>
  );
}

export function InvitationsPage() {
  const profile = useActiveProfile();
  const now = useNow(30_000);
  const { open, exportCsv, clearFilters, reviewAction } = useInventory.getState();
  const review = useInventory((s) => s.review);
  const syncedAt = useInventory((s) => s.syncedAt);
  const [tab, setTab] = useState<'list' | 'insights'>('list');
  const loaded = useInventory((s) => s.loaded);
  const total = useInventory((s) => s.total);
  const all = useInventory((s) => s.all);
  const selected = useInventory((s) => s.selected);
  const error = useInventory((s) => s.error);
  const toast = useUi((s) => s.toast);
  useEffect(() => {
    if (profile) void open(profile.id);
  }, [profile, open]);
  const download = async (which: 'selected' | 'shown') => {
    const r = await exportCsv(which);
    if (typeof r === 'string') return toast('error', r);
    downloadText(r.fileName, r.csv);
  };
  if (!profile)
    return (
      <EmptyState title="No profile">
        <p>Add a profile first: the Invitations page shows every invitation of its instance.</p>
      </EmptyState>
    );
  return (
    <section className="page invitations-page" data-testid="page-invitations">
      <h1>Invitations · {profile.name}</h1>
      <p className="muted small">
        Every invitation of this instance: sent by Invite Desk, or made in Clerk&apos;s Dashboard, by scripts and colleagues.
      </p>
      <SyncStatus now={now} />
      <div className="inv-tabs" role="tablist" aria-label="Invitations view">
        {(['list', 'insights'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? 'active' : ''}
            onClick={() => setTab(t)}
            data-testid={`inventory-tab-${t}`}
          >
            {t === 'list' ? 'List' : 'Insights'}
          </button>
        ))}
      </div>
      {tab === 'insights' ? (
        <InsightsPanel profileId={profile.id} syncedAt={syncedAt} />
      ) : (
        <>
          <ReminderRules now={now} />
          <InventoryFilters />
          <div className="inv-actions">
            <span data-testid="inventory-count">
              {n(total)} shown{total !== all ? ` of ${n(all)}` : ''}
              {selected.size > 0 ? ` · ${n(selected.size)} selected` : ''}
            </span>
            <button type="button" onClick={() => void clearFilters()}>
              Clear filters
            </button>
            {(['remind', 'resend', 'revoke'] as const).map((a) => (
              <button
                key={a}
                type="button"
                disabled={selected.size === 0}
                onClick={() => void reviewAction(a)}
                data-testid={`inventory-${a}`}
              >
                {a === 'remind' ? 'Remind…' : a === 'resend' ? 'Resend…' : 'Revoke…'}
              </button>
            ))}
            <button
              type="button"
              disabled={selected.size === 0}
              onClick={() => void download('selected')}
              title="The selected invitations as a CSV file"
              data-testid="inventory-export-selected"
            >
              Export selected
            </button>
            <button
              type="button"
              disabled={total === 0}
              onClick={() => void download('shown')}
              title="The invitations shown as a CSV file"
              data-testid="inventory-export-shown"
            >
              Export shown
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {loaded && all === 0 ? (
            <EmptyState title="Nothing here yet" testId="inventory-empty">
              <p>Sync to copy every invitation of this instance here; the copy opens at once next time, even offline.</p>
            </EmptyState>
          ) : loaded && total === 0 ? (
            <NoMatchState
              title="No invitation matches these filters"
              of={`${n(all)} invitations of this copy`}
              onClear={() => void clearFilters()}
              testId="inventory-no-match"
            />
          ) : (
            <InventoryTable now={now} />
          )}
        </>
      )}
      {review && <ActionReviewDialog />}
    </section>
  );
}
