/** Refresh statuses of every run of the active profile; keep history N days. */
import { plural } from '../../../../shared/plural.ts';
import { useEffect, useState } from 'react';
import { getApi } from '../../lib/api.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { useRuns } from '../../store/runs.ts';
import { useUi } from '../../store/ui.ts';

export function HistoryTools() {
  const profile = useActiveProfile();
  const toast = useUi((s) => s.toast);
  const [days, setDays] = useState<number | null>(null);
  useEffect(() => {
    void getApi()
      .historyRetention()
      .then((r) => r.ok && setDays(r.value.days));
  }, []);
  return (
    <div className="history-tools">
      {profile && (
        <button
          type="button"
          data-testid="sync-profile"
          onClick={async () => {
            const r = await getApi().historySync({ profileId: profile.id });
            if (!r.ok) return toast('error', r.error.message);
            toast(
              'info',
              `Statuses of ${plural(r.value.runs, 'run')} of “${profile.name}” refreshed from Clerk: ${r.value.changed.toLocaleString()} changed.`,
            );
            await useRuns.getState().load();
            await useRuns.getState().refreshRows();
          }}
        >
          Sync all runs of {profile.name}
        </button>
      )}
      <label className="inline small">
        Keep history
        <select
          value={days ?? ''}
          data-testid="retention"
          onChange={async (e) => {
            const value = e.target.value === '' ? null : Number(e.target.value);
            const r = await getApi().historySetRetention({ days: value });
            if (!r.ok) return toast('error', r.error.message);
            setDays(r.value.days);
            if (r.value.deleted) toast('info', `Deleted ${plural(r.value.deleted, 'run')} older than ${plural(value ?? 0, 'day')}.`);
            await useRuns.getState().load();
          }}
        >
          <option value="">forever</option>
          <option value="30">30 days</option>
          <option value="90">90 days</option>
          <option value="365">1 year</option>
        </select>
      </label>
    </div>
  );
}
