/**
 * A column's mapping, changed after the sheet exists (the header's ▾): Not sent → a metadata key, say, keeping every
 * edit made since the import. One undoable step.
 */
import { useRef, useState } from 'react';
import { validMetaPath } from '../../../../shared/domain/sheet/mapping.ts';
import {
  FIELD_LABELS,
  FIELDS,
  VALUE_TYPES,
  type ColumnTarget,
  type SheetColumn,
  type ValueType,
} from '../../../../shared/domain/sheet/types.ts';
import { useDialog } from '../../lib/useDialog.ts';
import { decodeTarget, encodeTarget } from '../import/targetCodec.ts';

type Props = {
  columns: readonly SheetColumn[];
  col: number;
  at: { x: number; y: number };
  onApply: (target: ColumnTarget) => void;
  onClose: () => void;
};

export function ColumnMapMenu({ columns, col, at, onApply, onClose }: Props) {
  const column = columns[col]!;
  const [target, setTarget] = useState<ColumnTarget>(column.target);
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onClose);
  const taken = (field: string) => columns.some((c, i) => i !== col && c.target.kind === 'field' && c.target.field === field);
  const badPath = target.kind === 'meta' && !validMetaPath(target.path);
  return (
    <div
      className="column-menu"
      role="dialog"
      aria-modal="true"
      aria-label={`Send “${column.header}” as`}
      ref={ref}
      style={{ left: Math.max(8, Math.min(at.x, window.innerWidth - 320)), top: at.y }}
      data-testid="column-menu"
    >
      <label>
        Send “{column.header}” as
        <select
          value={encodeTarget(target)}
          onChange={(e) => setTarget(decodeTarget(e.target.value, column.header, target))}
          data-testid="column-menu-target"
          data-autofocus
        >
          <option value="ignore">Not sent</option>
          {FIELDS.map((f) => (
            <option key={f} value={`field:${f}`} disabled={taken(f)}>
              {FIELD_LABELS[f]}
            </option>
          ))}
          <option value="meta:public">Public metadata key</option>
          <option value="meta:private">Private metadata key</option>
        </select>
      </label>
      {target.kind === 'meta' && (
        <span className="meta-key">
          <code>{target.scope}.</code>
          <input
            value={target.path}
            onChange={(e) => setTarget({ ...target, path: e.target.value })}
            aria-label="Metadata key"
            data-testid="column-menu-path"
          />
          <select value={target.type} onChange={(e) => setTarget({ ...target, type: e.target.value as ValueType })} aria-label="Value type">
            {VALUE_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </span>
      )}
      {badPath && <p className="field-error">Give it a key, dot-separated, like team.name.</p>}
      <p className="small muted">The cells stay as they are; only what they are sent as changes. Ctrl+Z undoes it.</p>
      <div className="actions">
        <button type="button" className="primary" disabled={badPath} onClick={() => onApply(target)} data-testid="column-menu-apply">
          Apply
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
