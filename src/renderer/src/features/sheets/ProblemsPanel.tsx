/** Every problem in the sheet; a click selects the cell in the grid. */
import { useListNav } from '../../lib/useListNav.ts';
import { useSheet } from '../../store/sheet.ts';

const MAX = 300;

export function ProblemsPanel({ onJump }: { onJump: (row: number, col: number | null) => void }) {
  const validation = useSheet((s) => s.validation);
  const columns = useSheet((s) => s.doc?.columns ?? []);
  const problems = validation?.problems ?? [];
  const shown = Math.min(problems.length, MAX);
  const nav = useListNav<HTMLButtonElement>(shown, (i) => onJump(problems[i]!.row, problems[i]!.col));
  if (!validation) return null;
  return (
    <div className="panel" data-testid="problems-panel">
      <h4>
        Problems <span className="muted">({problems.length.toLocaleString()})</span>
      </h4>
      {problems.length === 0 && <p className="muted">No problems: every non-blank row is ready.</p>}
      <ul className="problems">
        {problems.slice(0, MAX).map((p, i) => (
          <li key={i}>
            <button type="button" className="problem" onClick={() => onJump(p.row, p.col)} data-testid="problem" {...nav(i)}>
              <span className="where">
                {p.row >= 0 ? `Row ${p.row + 1}` : 'Sheet'}
                {p.col !== null ? ` · ${columns[p.col]?.header ?? ''}` : ''}
              </span>
              <span>{p.message}</span>
            </button>
          </li>
        ))}
      </ul>
      {problems.length > MAX && (
        <p className="muted">
          …and {(problems.length - MAX).toLocaleString()} more. Use the “Problems only” filter to see them in the grid.
        </p>
      )}
    </div>
  );
}
