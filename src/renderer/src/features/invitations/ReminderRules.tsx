/**
 * Reminder rules of the profile's instance: “remind people still pending after N days, at most M times”, each with
 * when the next person becomes due and how many are due now. Development sends them by itself while the app runs;
 * production waits for one click with the profile's name typed.
 */
import { useEffect, useState } from 'react';
import { clock } from '../../lib/format.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { useInventory } from '../../store/inventory.ts';
import { useRuns } from '../../store/runs.ts';
import { parseDays } from './InventoryFilters.tsx';

export function ReminderRules({ now }: { now: number }) {
  const rules = useInventory((s) => s.rules);
  const { saveRule, deleteRule, applyRule } = useInventory.getState();
  const profile = useActiveProfile();
  const production = profile?.environment === 'production' && !profile.isSandbox;
  const [days, setDays] = useState('7');
  const [times, setTimes] = useState('2');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirm, setConfirm] = useState('');
  const [runId, setRunId] = useState('');
  const allRuns = useRuns((s) => s.runs);
  const loadRuns = useRuns((s) => s.load);
  useEffect(() => void loadRuns(), [loadRuns]);
  const runs = allRuns.filter((r) => r.profileId === profile?.id && r.op === 'create' && r.counts.sent > 0);
  const add = async () => {
    const d = parseDays(days);
    const t = Number(times.trim());
    if (typeof d === 'string' || d === null || d < 1 || d > 365) return setProblem('Days: a whole number from 1 to 365.');
    if (!/^\d+$/.test(times.trim()) || t < 1 || t > 10) return setProblem('Times: a whole number from 1 to 10.');
    setProblem(await saveRule({ afterDays: d, maxReminders: t, enabled: true, ...(runId ? { runId } : {}) }));
  };
  return (
    <details className="inv-rules" data-testid="reminder-rules">
      <summary>
        Reminder rules{rules.length ? ` (${rules.length})` : ''}
        {rules.some((r) => r.dueNow > 0) ? ` · ${rules.reduce((n, r) => n + r.dueNow, 0).toLocaleString()} due now` : ''}
      </summary>
      <ul>
        {rules.map((r) => (
          <li key={r.id} data-testid="reminder-rule">
            Remind {r.runId ? `the people run “${r.runName ?? 'deleted'}” sent` : 'people'} still pending after {r.afterDays} days, at most{' '}
            {r.maxReminders === 1 ? 'once' : `${r.maxReminders} times`}.{' '}
            <span className="muted" data-testid="reminder-next">
              {!r.enabled
                ? 'Off.'
                : r.dueNow > 0
                  ? `${r.dueNow.toLocaleString()} due now${production ? ': waiting for you' : ': sent while the app runs'}.`
                  : r.nextDueAt !== null
                    ? `Next due ${clock(r.nextDueAt, now)}.`
                    : 'Nobody is due (as of the last sync).'}{' '}
              {r.sent.toLocaleString()} sent so far.
            </span>
            <button
              type="button"
              onClick={() => void saveRule({ id: r.id, afterDays: r.afterDays, maxReminders: r.maxReminders, enabled: !r.enabled })}
            >
              {r.enabled ? 'Turn off' : 'Turn on'}
            </button>
            <button type="button" onClick={() => void deleteRule(r.id)}>
              Delete
            </button>
            {production && r.enabled && r.dueNow > 0 && (
              <span className="inv-rule-send">
                <label className="inline">
                  <span>
                    Type <code>{profile.name}</code> to send them:
                  </span>
                  <input value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="reminder-confirm" />
                </label>
                <button
                  type="button"
                  disabled={confirm !== profile.name}
                  onClick={() => void applyRule(r.id, confirm).then((p) => setProblem(p))}
                  data-testid="reminder-apply"
                >
                  Send {r.dueNow.toLocaleString()} reminders
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <div className="inv-rule-form">
        Remind people still pending after
        <input aria-label="Days pending" size={3} value={days} onChange={(e) => setDays(e.target.value)} data-testid="rule-days" />
        days, at most
        <input aria-label="Times at most" size={2} value={times} onChange={(e) => setTimes(e.target.value)} data-testid="rule-times" />
        times, among
        <select aria-label="Whom" value={runId} onChange={(e) => setRunId(e.target.value)} data-testid="rule-run">
          <option value="">everyone of the instance</option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              the people run “{r.sheetName}” sent
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void add()} data-testid="rule-add">
          Add rule
        </button>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="muted small">
        Each reminder is a fresh invitation email; the older invitation is then revoked, so one link stays valid.{' '}
        {production ? 'On production, reminders wait for your click.' : 'On development they are sent while Invite Desk runs.'}
      </p>
    </details>
  );
}
