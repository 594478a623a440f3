/** Pick the header row, map each column (Clerk field, metadata key, or not sent), then create the sheet. */
import { plural } from '../../../../shared/plural.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { emailCol, mappingNotes, statsAfter, suggestColumns, validMetaPath } from '../../../../shared/domain/sheet/mapping.ts';
import { namedAddresses } from '../../../../shared/domain/sheet/emailColumn.ts';
import {
  FIELD_LABELS,
  FIELDS,
  VALUE_TYPES,
  type ColumnTarget,
  type SheetColumn,
  type SheetKind,
  type ValueType,
} from '../../../../shared/domain/sheet/types.ts';
import type { SheetDoc } from '../../../../shared/domain/sheet/types.ts';
import type { Prevalidated } from '../../store/sheet.ts';
import { headersOf, sheetHead } from './buildSheet.ts';
import { createSheet, rememberedColumns } from './createSheet.ts';
import { defaultChoice } from './importCore.ts';
import { decodeTarget, encodeTarget } from './targetCodec.ts';
import type { ImportSession } from './parseFile.ts';

type Props = {
  session: ImportSession;
  onPickSheet?: (name: string) => void;
  onCancel: () => void;
  onCreated: (doc: SheetDoc, checked: Prevalidated) => void;
};

export function MappingStep({ session, onPickSheet, onCancel, onCreated }: Props) {
  const table = session.preview;
  // Under a preamble (a title, a date) the header is not the first row: start from the one the import found.
  // The same start the worker prepares rows for as soon as the file is parsed (defaultChoice).
  const [initial] = useState(() => defaultChoice(table));
  const [headerRow, setHeaderRow] = useState(initial.headerRow);
  const headers = useMemo(() => headersOf(table, headerRow), [table, headerRow]);
  const [columns, setColumns] = useState<SheetColumn[]>(initial.columns);
  const [remembered, setRemembered] = useState(false);
  // A Role column means organization invitations (application invitations have no role).
  const [kind, setKind] = useState<SheetKind>(() =>
    initial.columns.some((c) => c.target.kind === 'field' && c.target.field === 'role') ? 'org' : 'app',
  );
  const [blankCells, setBlankCells] = useState<'omit' | 'null'>('omit');
  const [keepAddress, setKeepAddress] = useState(true);
  const [name, setName] = useState(table.fileName.replace(/\.(csv|tsv|txt|xlsx)$/i, ''));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The remembered mapping for these headers, if any (fetched; applied when it arrives).
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    let live = true;
    void rememberedColumns(headers, table, headerRow).then((remembered) => {
      if (!live) return;
      setSettled(true);
      if (!remembered) return;
      setColumns(remembered);
      setRemembered(true);
    });
    return () => {
      live = false;
    };
  }, [headers, table, headerRow]);
  const changeHeaderRow = (row: number) => {
    setHeaderRow(row);
    setColumns(suggestColumns(headersOf(table, row), undefined, table.rows.slice(row + 1)));
    setRemembered(false);
  };

  const dataRows = table.stats.rows - headerRow - 1;
  const bodyStats = useMemo(() => statsAfter(table.stats, table.rows.slice(0, headerRow + 1)), [table, headerRow]);
  const body = useMemo(() => table.rows.slice(headerRow + 1), [table, headerRow]);
  const notes = useMemo(() => mappingNotes(columns, bodyStats, kind, body), [columns, bodyStats, kind, body]);
  const email = emailCol(columns);
  const hasEmail = email >= 0;
  // The Email column holds no address at all: Create would make a sheet of nothing but problems.
  const noAddresses = notes.some((n) => n.level === 'error' && n.col === email);
  const named = useMemo(() => namedAddresses(body, email), [body, email]);
  // "Ana Lima" <ana@acme.test>: the address inside is offered, and taken unless the user says no.
  const unwrapEmails = keepAddress && named.count > 0;
  // The worker prepares the rows for the mapping as it stands (once the remembered one is in), so that Create
  // finds them ready; a change is passed on after a pause in typing.
  const first = useRef(true);
  useEffect(() => {
    if (!settled) return;
    const choice = () =>
      session.prepare(headerRow, columns, {
        settings: sheetHead(table.fileName, { kind, blankCells, name: '', columns }).settings,
        unwrapEmails,
      });
    if (first.current) {
      first.current = false;
      choice();
      return;
    }
    const t = setTimeout(choice, 250);
    return () => clearTimeout(t);
  }, [settled, session, table, headerRow, columns, kind, blankCells, unwrapEmails]);

  const badPath = columns.find((c) => c.target.kind === 'meta' && !validMetaPath(c.target.path));
  const taken = (field: string, except: number) =>
    columns.some((c, i) => i !== except && c.target.kind === 'field' && c.target.field === field);
  const update = (i: number, target: ColumnTarget) => setColumns((cs) => cs.map((c, j) => (j === i ? { ...c, target } : c)));

  const create = async () => {
    setBusy(true);
    setError(null);
    const r = await createSheet(session, headers, { headerRow, columns, kind, blankCells, name, unwrapEmails });
    if (!r.ok) {
      setBusy(false);
      setError(r.message);
      return;
    }
    onCreated(r.doc, r.checked);
    performance.mark('import:created');
  };

  return (
    <div className="card mapping" data-testid="mapping-step">
      <div className="mapping-head">
        <h3>Map the columns of {table.fileName}</h3>
        <span className="muted" data-testid="import-facts">
          {table.format.toUpperCase()}
          {table.delimiter ? ` · delimiter ${table.delimiter === '\t' ? 'tab' : `“${table.delimiter}”`}` : ''}
          {table.encoding ? ` · ${table.encoding}` : ''} · {plural(Math.max(0, dataRows), 'row')}
        </span>
      </div>
      {table.sheetNames && table.sheetNames.length > 1 && (
        <label className="inline">
          Sheet
          <select value={table.sheetName} onChange={(e) => onPickSheet?.(e.target.value)} data-testid="import-sheet-pick">
            {table.sheetNames.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      )}
      <label className="inline">
        Header row
        <select value={headerRow} onChange={(e) => changeHeaderRow(Number(e.target.value))} data-testid="import-header-row">
          <option value={-1}>No header row</option>
          {table.rows.slice(0, 10).map((r, i) => (
            <option key={i} value={i}>
              Row {table.sourceRows[i]}: {r.slice(0, 4).join(' · ').slice(0, 60)}
            </option>
          ))}
        </select>
      </label>
      {table.warnings && table.warnings.length > 0 && (
        <ul className="import-warnings" data-testid="import-warnings">
          {table.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="import-preview-wrap">
        <table className="import-preview" data-testid="import-preview" aria-label="The first rows of the file">
          <tbody>
            {table.rows.slice(0, 8).map((r, i) => (
              <tr key={i} className={i === headerRow ? 'is-header' : i < headerRow ? 'is-skipped' : ''} aria-selected={i === headerRow}>
                <th scope="row">{table.sourceRows[i]}</th>
                {r.map((c, j) => (
                  <td key={j} className={j === email ? 'is-email' : undefined}>
                    {c.length > 40 ? `${c.slice(0, 40)}…` : c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {remembered && (
        <p className="hint" data-testid="mapping-remembered">
          Using the mapping you chose last time for these columns.
        </p>
      )}
      <table className="mapping-table">
        <thead>
          <tr>
            <th>Column</th>
            <th>Sample</th>
            <th>Send as</th>
            <th>Key and type</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c, i) => (
            <tr key={c.id} data-testid={`map-row-${i}`}>
              <td>
                <strong>{c.header}</strong>
              </td>
              <td className="muted sample">
                {table.rows
                  .slice(headerRow + 1, headerRow + 4)
                  .map((r) => r[i] ?? '')
                  .filter(Boolean)
                  .join(' · ')
                  .slice(0, 80)}
              </td>
              <td>
                <select
                  aria-label={`Send ${c.header} as`}
                  value={encodeTarget(c.target)}
                  onChange={(e) => update(i, decodeTarget(e.target.value, c.header, c.target))}
                  data-testid={`map-target-${i}`}
                >
                  <option value="ignore">Not sent</option>
                  {FIELDS.map((f) => (
                    <option key={f} value={`field:${f}`} disabled={taken(f, i)}>
                      {FIELD_LABELS[f]}
                    </option>
                  ))}
                  <option value="meta:public">Public metadata key</option>
                  <option value="meta:private">Private metadata key</option>
                </select>
              </td>
              <td>
                {c.target.kind === 'meta' && (
                  <span className="meta-key">
                    <code>{c.target.scope}.</code>
                    <input
                      value={c.target.path}
                      onChange={(e) => c.target.kind === 'meta' && update(i, { ...c.target, path: e.target.value })}
                      aria-label={`Metadata key for ${c.header}`}
                      data-testid={`map-path-${i}`}
                    />
                    <select
                      value={c.target.type}
                      onChange={(e) => c.target.kind === 'meta' && update(i, { ...c.target, type: e.target.value as ValueType })}
                      aria-label={`Value type for ${c.header}`}
                      data-testid={`map-type-${i}`}
                    >
                      {VALUE_TYPES.map((t) => (
                        <option key={t}>{t}</option>
                      ))}
                    </select>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="mapping-options">
        <fieldset>
          <legend>Invitations to</legend>
          <label>
            <input type="radio" checked={kind === 'app'} onChange={() => setKind('app')} data-testid="kind-app" /> the application
          </label>
          <label>
            <input type="radio" checked={kind === 'org'} onChange={() => setKind('org')} data-testid="kind-org" /> an organization
          </label>
        </fieldset>
        <fieldset>
          <legend>Blank metadata cells</legend>
          <label>
            <input type="radio" checked={blankCells === 'omit'} onChange={() => setBlankCells('omit')} /> leave the key out
          </label>
          <label>
            <input type="radio" checked={blankCells === 'null'} onChange={() => setBlankCells('null')} data-testid="blank-null" /> set it to
            null
          </label>
        </fieldset>
        <label>
          Sheet name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} data-testid="import-sheet-name" />
        </label>
      </div>
      {notes.length > 0 && (
        <ul className="mapping-notes" data-testid="mapping-notes">
          {notes.map((n) => (
            <li key={`${n.col}-${n.message}`} className={n.level === 'error' ? 'form-error' : 'hint'} data-testid="mapping-note">
              {n.message}
            </li>
          ))}
        </ul>
      )}
      {named.count > 0 && (
        <label className="mapping-offer" data-testid="unwrap-emails">
          <input type="checkbox" checked={keepAddress} onChange={(e) => setKeepAddress(e.target.checked)} />
          Cells of “{columns[email]!.header}” like “{named.example}” hold a name and an address: keep only the address
        </label>
      )}
      {!hasEmail && <p className="form-error">Map one column to Email: every invitation needs one.</p>}
      {badPath && <p className="form-error">Give “{badPath.header}” a metadata key (dot-separated, like team.name).</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!hasEmail || noAddresses || !!badPath || busy || dataRows < 0}
          onClick={() => void create()}
          data-testid="import-create"
          autoFocus
        >
          Create sheet with {plural(Math.max(0, dataRows), 'row')}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
