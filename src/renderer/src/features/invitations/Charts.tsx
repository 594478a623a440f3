/**
 * Plain SVG charts of aggregates (a few dozen marks each, whatever the number of invitations), drawn with the theme's
 * colour tokens so light and dark both read. Each chart is a figure whose table beside it carries the same numbers for
 * screen readers (the SVG itself is hidden from them).
 */
import type { ReactNode } from 'react';

const W = 360;
const H = 140;
const PAD = { l: 36, r: 8, t: 8, b: 22 };

export function Figure({ title, testId, chart, table }: { title: string; testId: string; chart: ReactNode; table: ReactNode }) {
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="chart-body">
        <div className="chart-svg" aria-hidden="true">
          {chart}
        </div>
        {/* Scrolls when long: reachable by keyboard, named for screen readers. */}
        <div className="chart-table" tabIndex={0} role="region" aria-label={`${title}: the numbers`}>
          {table}
        </div>
      </div>
    </figure>
  );
}

/** Table rows under a header: the accessible twin of a chart. */
export function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {c}
                </th>
              ) : (
                <td key={j}>{typeof c === 'number' ? c.toLocaleString() : c}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const axisMax = (m: number) => {
  if (m <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(m));
  return Math.ceil(m / p) * p;
};

/** Lines over x positions 0…n-1 (e.g. days), each series its own class (colour). */
export function LineChart({ series, labels }: { series: { name: string; values: number[]; className: string }[]; labels: string[] }) {
  const n = labels.length;
  const max = axisMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (i: number) => PAD.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - PAD.l - PAD.r));
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="svg-chart" role="presentation">
      <line x1={PAD.l} x2={W - PAD.r} y1={y(0)} y2={y(0)} className="axis" />
      <text x={PAD.l - 4} y={y(max) + 4} className="tick" textAnchor="end">
        {max.toLocaleString()}
      </text>
      <text x={PAD.l - 4} y={y(0)} className="tick" textAnchor="end">
        0
      </text>
      {n > 0 && (
        <>
          <text x={x(0)} y={H - 6} className="tick">
            {labels[0]}
          </text>
          <text x={x(n - 1)} y={H - 6} className="tick" textAnchor="end">
            {labels[n - 1]}
          </text>
        </>
      )}
      {series.map((s) => (
        <polyline
          key={s.name}
          className={`series ${s.className}`}
          points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
        />
      ))}
    </svg>
  );
}

/** Horizontal bars; `part` (e.g. accepted of total) drawn over each bar. */
export function BarChart({ bars }: { bars: { label: string; value: number; part?: number }[] }) {
  const max = axisMax(Math.max(0, ...bars.map((b) => b.value)));
  const row = (H - PAD.t) / Math.max(1, bars.length);
  const w = (v: number) => (v / max) * (W - 110 - PAD.r);
  return (
    <svg viewBox={`0 0 ${W} ${Math.max(H, bars.length * 16 + PAD.t)}`} className="svg-chart" role="presentation">
      {bars.map((b, i) => {
        const top = PAD.t + i * Math.max(14, row);
        return (
          <g key={b.label}>
            <text x={104} y={top + 10} className="tick" textAnchor="end">
              {b.label.length > 18 ? `${b.label.slice(0, 17)}…` : b.label}
            </text>
            <rect x={108} y={top} width={w(b.value)} height={11} className="bar" />
            {b.part !== undefined && <rect x={108} y={top} width={w(b.part)} height={11} className="bar-part" />}
          </g>
        );
      })}
    </svg>
  );
}
