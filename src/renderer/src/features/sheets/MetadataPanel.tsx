/** Per-row metadata JSON editors, and bulk set / deep-merge / remove over the selection, with a preview of what each row will send. */
import { plural } from '../../../../shared/plural.ts';
import { metadataFact, metadataLabel } from '../../../../shared/domain/sheet/metadataFacts.ts';
import { useMemo, useState } from 'react';
import { buildRow, templateOf } from '../../../../shared/domain/sheet/validate.ts';
import { wireBody } from '../../../../shared/domain/send/wire.ts';
import { JsonEditor, jsonObjectError } from '../../components/JsonEditor.tsx';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { applyOp } from './ops.ts';
import { bulkOp, jsonColumnIndex, type BulkAction, type Scope } from './metadataOps.ts';
import { setCellsOp } from './ops.ts';
import { ensureJsonColumn } from './metadataOps.ts';

/** The row's request body exactly as Clerk receives it (wire names), from the function the send engine uses. */
function RequestPreview({ row }: { row: number }) {
  const validation = useSheet((s) => s.validation);
  const kind = useSheet((s) => s.doc?.settings.kind ?? 'app');
  const o = validation?.rows[row];
  if (!o) return null;
  return (
    <pre className="preview" data-testid="row-preview">
      {o.ok
        ? JSON.stringify(wireBody(o.request, kind), null, 2)
        : `Not sent:\n${o.problems.map((p) => `• ${p.message}`).join('\n') || '• blank row'}`}
    </pre>
  );
}

export function RowMetadata({ row }: { row: number | null }) {
  const doc = useSheet((s) => s.doc)!;
  if (row === null) return <p className="muted">Select a cell to edit that row’s metadata.</p>;
  const cellText = (scope: Scope) => {
    const i = jsonColumnIndex(doc.columns, scope);
    return i < 0 ? '' : (doc.rows[row]?.[i] ?? '');
  };
  // Keyed by the row and its cells: the editors start from the cells again whenever those change.
  return <RowMetadataEditor key={`${row}:${cellText('public')}\u0000${cellText('private')}`} row={row} cellText={cellText} />;
}

function RowMetadataEditor({ row, cellText }: { row: number; cellText: (scope: Scope) => string }) {
  const doc = useSheet((s) => s.doc)!;
  const apply = useSheet((s) => s.apply);
  const scopes: Scope[] = doc.settings.kind === 'org' ? ['public', 'private'] : ['public'];
  const [drafts, setDrafts] = useState<Record<Scope, string>>(() => ({
    public: pretty(cellText('public')),
    private: pretty(cellText('private')),
  }));
  const errors = scopes.map((s) => jsonObjectError(drafts[s]));
  const save = () => {
    let d = doc;
    const ops = [];
    for (const scope of scopes) {
      const text = drafts[scope].trim() === '' ? '' : JSON.stringify(JSON.parse(drafts[scope]));
      if (text === cellText(scope)) continue;
      const ensured = ensureJsonColumn(d, scope);
      if (ensured.op) {
        ops.push(ensured.op);
        d = applyOp(d, ensured.op, {});
      }
      const op = setCellsOp(d, [{ row, col: ensured.index, value: text }], `Edit ${scope} metadata of row ${row + 1}`);
      if (op) {
        ops.push(op);
        d = applyOp(d, op, {});
      }
    }
    if (ops.length) apply({ kind: 'batch', label: `Edit metadata of row ${row + 1}`, ops });
  };
  return (
    <div data-testid="row-metadata">
      <h4>Row {row + 1} metadata</h4>
      {scopes.map((scope, i) => (
        <div key={scope}>
          <label className="small">{metadataLabel(doc.settings.kind, scope)} (JSON cell)</label>
          <JsonEditor
            label={`${scope} metadata`}
            testId={`row-${scope}-json`}
            value={drafts[scope]}
            onChange={(v) => setDrafts((d) => ({ ...d, [scope]: v }))}
          />
          {errors[i] && <p className="field-error">{errors[i]}</p>}
        </div>
      ))}
      <button type="button" className="primary" disabled={errors.some(Boolean)} onClick={save} data-testid="row-metadata-save">
        Save to row
      </button>
      <p className="small muted">Exactly what this row will send (template, JSON cells and key columns merged):</p>
      <RequestPreview row={row} />
    </div>
  );
}

function pretty(text: string): string {
  if (text.trim() === '') return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function BulkMetadata({ rows }: { rows: number[] }) {
  const doc = useSheet((s) => s.doc)!;
  const apply = useSheet((s) => s.apply);
  const toast = useUi((s) => s.toast);
  const [scope, setScope] = useState<Scope>('public');
  const [action, setAction] = useState<BulkAction['action']>('set');
  const [path, setPath] = useState('');
  const [value, setValue] = useState('');

  const parsed = useMemo((): { ok: true; action: BulkAction } | { ok: false; message: string } => {
    if (action !== 'merge' && !/^[^.\s][^\s]*$/.test(path.trim())) return { ok: false, message: 'Enter a key, like team or team.name' };
    if (action === 'remove') return { ok: true, action: { action, path: path.trim() } };
    try {
      const v: unknown = JSON.parse(value);
      if (action === 'merge') {
        return typeof v === 'object' && v !== null && !Array.isArray(v)
          ? { ok: true, action: { action, value: v as Record<string, unknown> } }
          : { ok: false, message: 'Merge needs a JSON object' };
      }
      return { ok: true, action: { action, path: path.trim(), value: v } };
    } catch {
      return { ok: false, message: 'The value must be JSON: "text" in quotes, 42, true, {…}, […]' };
    }
  }, [action, path, value]);

  const result = useMemo(() => (parsed.ok && rows.length ? bulkOp(doc, rows, scope, parsed.action) : null), [doc, rows, scope, parsed]);
  const preview = useMemo(() => {
    if (!result?.op) return [];
    const after = applyOp(doc, result.op, {});
    const template = templateOf(after.settings);
    return rows.slice(0, 3).map((r) => ({ row: r, outcome: buildRow(r, after.rows[r] ?? [], after.columns, after.settings, template) }));
  }, [doc, result, rows]);

  return (
    <div data-testid="bulk-metadata">
      <h4>Apply to {plural(rows.length, 'selected row')}</h4>
      <p className="muted small" data-testid="metadata-fact">
        {metadataFact(doc.settings.kind)}
      </p>
      {rows.length === 0 && <p className="muted">Select rows (row numbers, or a range of cells) to change their metadata at once.</p>}
      <div className="bulk-form">
        <select value={scope} onChange={(e) => setScope(e.target.value as Scope)} aria-label="Metadata" data-testid="bulk-scope">
          <option value="public">{metadataLabel(doc.settings.kind, 'public')}</option>
          {doc.settings.kind === 'org' && <option value="private">{metadataLabel(doc.settings.kind, 'private')}</option>}
        </select>
        <select
          value={action}
          onChange={(e) => setAction(e.target.value as BulkAction['action'])}
          aria-label="Action"
          data-testid="bulk-action"
        >
          <option value="set">Set key</option>
          <option value="merge">Deep-merge object</option>
          <option value="remove">Remove key</option>
        </select>
        {action !== 'merge' && (
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="key, e.g. team.name"
            aria-label="Key"
            data-testid="bulk-path"
          />
        )}
      </div>
      {action !== 'remove' && <JsonEditor label="Value" testId="bulk-value" value={value} onChange={setValue} height="80px" />}
      {!parsed.ok && (path || value) && <p className="field-error">{parsed.message}</p>}
      {result && result.skipped.length > 0 && (
        <p className="field-error">
          {plural(result.skipped.length, 'row')} {result.skipped.length === 1 ? 'has' : 'have'} a broken JSON cell and will be left as they
          are (first: row {result.skipped[0]!.row + 1}: {result.skipped[0]!.message}).
        </p>
      )}
      {preview.length > 0 && (
        <div data-testid="bulk-preview">
          <p className="small muted">Preview of what the first rows will send:</p>
          {preview.map(({ row, outcome }) => (
            <pre key={row} className="preview">
              Row {row + 1}:{' '}
              {outcome.ok
                ? JSON.stringify(scope === 'public' ? outcome.request.publicMetadata : outcome.request.privateMetadata)
                : outcome.problems.map((p) => p.message).join('; ')}
            </pre>
          ))}
        </div>
      )}
      <button
        type="button"
        className="primary"
        disabled={!result?.op}
        data-testid="bulk-apply"
        onClick={() => {
          if (!result?.op) return;
          apply(result.op);
          toast('info', `${result.op.label}. Ctrl+Z undoes it.`);
        }}
      >
        Apply to selection
      </button>
    </div>
  );
}
