/**
 * The Waitlist of the active profile's instance (issue 23): counts per status, the time of the last sync and a Sync
 * with its progress, search by email or @domain, filters (status, requested after / before), every entry in a
 * virtualized table, and runs on a selection (the ticked entries, every match, or a pasted list or sheet).
 */
import { useEffect, useState } from 'react';
import { WAITLIST_STATUSES, type WaitlistFilter, type WaitlistStatus } from '../../../../shared/domain/waitlist/types.ts';
import { EmptyState, NoMatchState } from '../../components/EmptyState.tsx';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { when } from '../../lib/format.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { inviteWithMetadata } from './waitlistActions.ts';
import { useSheets } from '../../store/sheets.ts';
import { useWaitlist } from '../../store/waitlist.ts';
import { STATUS_LABEL } from './labels.ts';
import { WaitlistListDialog } from './WaitlistListDialog.tsx';
import { WaitlistReviewDialog } from './WaitlistReviewDialog.tsx';
import { WaitlistTable } from './WaitlistTable.tsx';

const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`).getTime() : undefined);

export function WaitlistPage() {
  const profile = useActiveProfile();
  const s = useWaitlist();
  const [search, setSearch] = useState('');
  const [after, setAfter] = useState('');
  const [before, setBefore] = useState('');
  const [listOpen, setListOpen] = useState(false);
  useEffect(() => {
    void useSheets.getState().load();
  }, []);
  useEffect(() => {
    if (profile) void useWaitlist.getState().open(profile.id);
  }, [profile?.id]); // eslint-disable-line react-hooks/exhaustive-deps -- a new profile, not each profile update
  const apply = (patch: Partial<{ search: string; after: string; before: string; status: WaitlistStatus | '' }>) => {
    const f: WaitlistFilter = {};
    const q = (patch.search ?? search).trim();
    const a = dayStart(patch.after ?? after);
    const b = dayStart(patch.before ?? before);
    const st = patch.status === undefined ? s.filter.status : patch.status || undefined;
    if (q) f.search = q;
    if (st) f.status = st;
    if (a !== undefined) f.after = a;
    if (b !== undefined) f.before = b;
    s.setFilter(f);
  };
  if (!profile)
    return (
      <EmptyState title="No profile" testId="waitlist-no-profile">
        <p>Add a profile (or use the Sandbox) to see its waitlist.</p>
      </EmptyState>
    );
  const st = s.state;
  const n = (x: number) => x.toLocaleString();
  const chosen = s.allMatching ? s.total : s.ticked.size;
  const scope = chosen > 0 ? `${n(chosen)} selected` : `all ${n(s.total)} shown`;
  const filtered = !!(search.trim() || after || before || s.filter.status);
  const clear = () => {
    setSearch('');
    setAfter('');
    setBefore('');
    s.setFilter({});
  };
  const act = (action: 'invite' | 'reject') => void s.openReview(action, s.selection());
  return (
    <section className="page waitlist-page" data-testid="page-waitlist">
      <div className="waitlist-head">
        <h1>Waitlist</h1>
        <EnvBadge profile={profile} />
        <span className="muted">{profile.name}</span>
        <span className="muted small" data-testid="waitlist-last-sync">
          {st?.lastSync ? `Synced ${when(st.lastSync.at)} (${n(st.lastSync.total)} entries)` : 'Never synced'}
        </span>
        <button type="button" className="primary" disabled={s.syncing} onClick={() => void s.sync()} data-testid="waitlist-sync">
          {s.syncing ? 'Syncing…' : 'Sync from Clerk'}
        </button>
        {s.syncing && s.syncProgress && (
          <span className="muted small" role="status" data-testid="waitlist-sync-progress">
            {n(s.syncProgress.fetched)}
            {s.syncProgress.total !== null ? ` of ${n(s.syncProgress.total)}` : ''} entries read (500 a request)
          </span>
        )}
      </div>
      {s.error && (
        <p className="callout" role="alert" data-testid="waitlist-error">
          {s.error}
        </p>
      )}
      <div className="waitlist-counts" role="group" aria-label="Entries per status" data-testid="waitlist-counts">
        <button type="button" aria-pressed={!s.filter.status} onClick={() => apply({ status: '' })} data-testid="waitlist-count-all">
          All <strong>{n(s.counts?.total ?? 0)}</strong>
        </button>
        {WAITLIST_STATUSES.map((x) => (
          <button
            key={x}
            type="button"
            aria-pressed={s.filter.status === x}
            onClick={() => apply({ status: x })}
            data-testid={`waitlist-count-${x}`}
          >
            {STATUS_LABEL[x]} <strong>{n(s.counts?.[x] ?? 0)}</strong>
          </button>
        ))}
      </div>
      <div className="runs-tools waitlist-filters">
        <input
          type="search"
          placeholder="Search an email, or @domain"
          aria-label="Search by email or @domain"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            apply({ search: e.target.value });
          }}
          data-testid="waitlist-search"
        />
        <label className="small">
          Requested from{' '}
          <input
            type="date"
            value={after}
            onChange={(e) => {
              setAfter(e.target.value);
              apply({ after: e.target.value });
            }}
            data-testid="waitlist-after"
          />
        </label>
        <label className="small">
          before{' '}
          <input
            type="date"
            value={before}
            onChange={(e) => {
              setBefore(e.target.value);
              apply({ before: e.target.value });
            }}
            data-testid="waitlist-before"
          />
        </label>
      </div>
      <div className="actions waitlist-actions">
        <span className="muted" data-testid="waitlist-scope">
          {n(s.total)} shown{chosen > 0 ? ` · ${n(chosen)} selected` : ''}
        </span>
        <button type="button" className="primary" disabled={s.total === 0} onClick={() => act('invite')} data-testid="waitlist-invite">
          Invite {scope}…
        </button>
        <button type="button" className="danger" disabled={s.total === 0} onClick={() => act('reject')} data-testid="waitlist-reject">
          Reject {scope}…
        </button>
        <button
          type="button"
          disabled={s.total === 0}
          onClick={() => void inviteWithMetadata(profile.id)}
          data-testid="waitlist-to-sheet"
          title="Invite through an application sheet with template_slug waitlist_invitation: metadata, redirect and expiry"
        >
          Invite with metadata…
        </button>
        <button type="button" onClick={() => setListOpen(true)} data-testid="waitlist-list">
          A list or sheet…
        </button>
      </div>
      {st && st.lastSync === null && s.total === 0 ? (
        <EmptyState title="Not synced yet" testId="waitlist-empty">
          <p>
            Press “Sync from Clerk” to read this instance’s waitlist (500 entries a request). It is kept here, so it opens at once next
            time.
          </p>
        </EmptyState>
      ) : s.counts !== null && s.total === 0 ? (
        filtered ? (
          <NoMatchState
            title="No entry matches these filters"
            of={`${n(st?.lastSync?.total ?? 0)} entries of the last sync`}
            onClear={clear}
            testId="waitlist-no-match"
          />
        ) : (
          <EmptyState title="The waitlist is empty" testId="waitlist-no-match">
            <p>Clerk had no waitlist entry for this instance at the last sync. Sync again to look for new ones.</p>
          </EmptyState>
        )
      ) : (
        <WaitlistTable />
      )}
      {listOpen && <WaitlistListDialog onClose={() => setListOpen(false)} />}
      {s.review && <WaitlistReviewDialog />}
    </section>
  );
}
