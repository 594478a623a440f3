/**
 * Insights you look at, not read (issue 25): the acceptance curve (made vs accepted, cumulative), pending by age,
 * expiring in the next two weeks, acceptance by domain and by a metadata key's values; for the instance or one run.
 * Every chart has its table beside it. The numbers are aggregated in main from the local copy.
 */
import { useEffect, useState } from 'react';
import type { Insights } from '../../../../shared/domain/inventory/types.ts';
import { getApi } from '../../lib/api.ts';
import { dayLabel } from '../../lib/format.ts';
import { BarChart, DataTable, Figure, LineChart } from './Charts.tsx';

const pct = (a: number, t: number) => (t === 0 ? '—' : `${Math.round((a / t) * 100)}%`);

export function InsightsPanel({ profileId, syncedAt }: { profileId: string; syncedAt: number | null }) {
  const [data, setData] = useState<Insights | null>(null);
  const [key, setKey] = useState<string | undefined>(undefined);
  const [runId, setRunId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [drawMs, setDrawMs] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    const t0 = performance.now();
    void getApi()
      .inventoryInsights({ profileId, ...(key ? { metadataKey: key } : {}), ...(runId ? { runId } : {}) })
      .then((r) => {
        if (!live) return;
        if (!r.ok) return setError(r.error.message);
        setData(r.value);
        requestAnimationFrame(() => live && setDrawMs(performance.now() - t0));
      });
    return () => {
      live = false;
    };
  }, [profileId, key, runId, syncedAt]);
  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="muted">Counting…</p>;
  const c = data.curve;
  return (
    <section className="insights" data-testid="insights" aria-label="Insights">
      <label>
        Show{' '}
        <select value={runId} onChange={(e) => setRunId(e.target.value)} data-testid="insights-scope">
          <option value="">the whole instance</option>
          {data.runs.map((r) => (
            <option key={r.id} value={r.id}>
              run “{r.name}”
            </option>
          ))}
        </select>
      </label>
      <p className="muted small" data-testid="insights-timing">
        {data.total.toLocaleString()} invitations · counted in {Math.round(data.ms)} ms
        {drawMs !== null ? `, on screen in ${Math.round(drawMs)} ms` : ''}
      </p>
      <div className="charts">
        <Figure
          title="Sent and accepted (cumulative)"
          testId="chart-curve"
          chart={
            <LineChart
              labels={c.map((d) => d.day.slice(5))}
              series={[
                { name: 'sent', values: c.map((d) => d.sentTotal), className: 'series-sent' },
                { name: 'accepted', values: c.map((d) => d.acceptedTotal), className: 'series-accepted' },
              ]}
            />
          }
          table={
            <DataTable
              caption="Invitations sent and accepted per day"
              head={['Day', 'Sent', 'Accepted', 'Accepted so far']}
              rows={c.slice(-14).map((d) => [dayLabel(d.day), d.sent, d.accepted, pct(d.acceptedTotal, d.sentTotal)])}
            />
          }
        />
        <Figure
          title="Pending, by age"
          testId="chart-age"
          chart={<BarChart bars={data.pendingByAge.map((b) => ({ label: b.label, value: b.count }))} />}
          table={
            <DataTable
              caption="Pending invitations by age"
              head={['Age', 'Pending']}
              rows={data.pendingByAge.map((b) => [b.label, b.count])}
            />
          }
        />
        <Figure
          title="Expiring in the next 14 days"
          testId="chart-expiring"
          chart={<BarChart bars={data.expiring.map((d) => ({ label: d.day.slice(5), value: d.count }))} />}
          table={
            <DataTable
              caption="Pending invitations expiring per day"
              head={['Day', 'Expiring']}
              rows={data.expiring.filter((d) => d.count > 0).map((d) => [dayLabel(d.day), d.count])}
            />
          }
        />
        <Figure
          title="Acceptance by domain"
          testId="chart-domain"
          chart={<BarChart bars={data.byDomain.map((d) => ({ label: d.label, value: d.total, part: d.accepted }))} />}
          table={
            <DataTable
              caption="Acceptance by email domain"
              head={['Domain', 'Invited', 'Accepted', 'Rate']}
              rows={data.byDomain.map((d) => [d.label, d.total, d.accepted, pct(d.accepted, d.total)])}
            />
          }
        />
        <Figure
          title={`Acceptance by ${data.metadataKey ?? 'a metadata key'}`}
          testId="chart-metadata"
          chart={<BarChart bars={data.byMetadata.map((d) => ({ label: d.label, value: d.total, part: d.accepted }))} />}
          table={
            <>
              {data.metadataKeys.length > 1 && (
                <select
                  aria-label="Metadata key"
                  value={data.metadataKey ?? ''}
                  onChange={(e) => setKey(e.target.value)}
                  data-testid="insights-key"
                >
                  {data.metadataKeys.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              )}
              <DataTable
                caption={`Acceptance by public metadata ${data.metadataKey ?? ''}`}
                head={[data.metadataKey ?? 'Value', 'Invited', 'Accepted', 'Rate']}
                rows={data.byMetadata.map((d) => [d.label, d.total, d.accepted, pct(d.accepted, d.total)])}
              />
            </>
          }
        />
      </div>
    </section>
  );
}
