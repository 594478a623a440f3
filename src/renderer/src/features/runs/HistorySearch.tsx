/**
 * Search every run by email or domain (starts with, any case: “ana”, “acme.test”, “@acme”): where and when someone
 * was invited, and what happened. A hit opens its run scrolled to that row.
 */
import { isMemberRow } from '../../../../shared/domain/send/outcome.ts';
import { useRef, useState } from 'react';
import type { HistoryHit } from '../../../../shared/domain/send/types.ts';
import { when } from '../../lib/format.ts';
import { FILTER_LABEL, STATE_LABEL } from './RunRowsTable.tsx';
import { getApi } from '../../lib/api.ts';
import { useListNav } from '../../lib/useListNav.ts';
import { useRuns } from '../../store/runs.ts';

export function HistorySearch() {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<HistoryHit[] | null>(null);
  const open = useRuns((s) => s.open);
  const latest = useRef(0);
  const hitsRef = useRef<HTMLTableElement>(null);
  const nav = useListNav<HTMLTableRowElement>(hits?.length ?? 0, (i) => void open(hits![i]!.runId, hits![i]!.idx));
  const search = async (q: string) => {
    setQuery(q);
    const n = ++latest.current;
    if (q.trim().length < 2) return setHits(null);
    const r = await getApi().historySearch({ email: q });
    if (r.ok && n === latest.current) setHits(r.value); // answers to older keystrokes are dropped
  };
  return (
    <div className="history-search" data-testid="history-search">
      <input
        type="search"
        value={query}
        onChange={(e) => void search(e.target.value)}
        placeholder="Search all runs by email or domain…"
        aria-label="Search all runs by email or domain"
        data-testid="history-query"
        onKeyDown={(e) => {
          // Down from the search box goes to the hits, as in a command palette.
          if (e.key !== 'ArrowDown') return;
          const first = hitsRef.current?.querySelector<HTMLElement>('[data-testid="history-hit"]');
          if (!first) return;
          e.preventDefault();
          first.focus();
        }}
      />
      {hits && (
        <table className="runs-list" data-testid="history-hits" ref={hitsRef}>
          <tbody>
            {hits.length === 0 && (
              <tr>
                <td className="muted">No run has an email or domain starting with “{query.trim()}”.</td>
              </tr>
            )}
            {hits.map((h, i) => (
              <tr key={`${h.runId}:${h.idx}`} data-testid="history-hit" onClick={() => void open(h.runId, h.idx)} {...nav(i)}>
                <td>
                  <strong>{h.email}</strong>
                  <div className="muted small">
                    {h.sheetName} · {h.profileName} · {when(h.runCreatedAt)}
                  </div>
                </td>
                <td className="small">
                  {isMemberRow(h) ? FILTER_LABEL.member : STATE_LABEL[h.state]}
                  {h.errorCode ? ` (${h.errorCode})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
