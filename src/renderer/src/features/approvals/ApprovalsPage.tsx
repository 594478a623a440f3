/**
 * Approvals (four eyes on production): the team's production sends waiting for a second member, and the latest
 * decided, with who prepared what and when. Opening one shows its review read-only with Approve and Reject.
 */
import { useEffect } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { fullWhen, when } from '../../lib/format.ts';
import { useListNav } from '../../lib/useListNav.ts';
import { useApprovals, waitingFor } from '../../store/approvals.ts';
import { ApprovalDialog } from './ApprovalDialog.tsx';
import { APPROVAL_STATE_LABEL, decisionLine } from './labels.ts';

export function ApprovalsPage() {
  const { settings, list, openId, open, load } = useApprovals();
  const nav = useListNav<HTMLTableRowElement>(list.length, (i) => open(list[i]!.id));
  useEffect(() => {
    void load();
  }, [load]);
  const waiting = waitingFor(list, settings?.member);
  return (
    <section className="page approvals-page" data-testid="page-approvals">
      <h1>Approvals</h1>
      {settings && !settings.fourEyes ? (
        <EmptyState title="Four eyes on production is off" testId="approvals-off">
          <p>
            On a team workspace with “Four eyes on production” turned on, a production send prepared by one member waits here until another
            member reviews and approves it. This workspace starts production sends at once (after the typed profile name).
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="lead" data-testid="approvals-member">
            You are <strong>{settings?.member ?? '…'}</strong>.{' '}
            {waiting === 0
              ? 'No production send is waiting for you.'
              : `${waiting} production ${waiting === 1 ? 'send waits' : 'sends wait'} for a teammate’s approval.`}
          </p>
          {list.length === 0 ? (
            <EmptyState title="Nothing to approve" testId="approvals-empty">
              <p>A production send a teammate prepares shows up here by itself, with its review.</p>
            </EmptyState>
          ) : (
            <table className="approvals-list" data-testid="approvals-list">
              <thead>
                <tr>
                  <th>Sheet or run</th>
                  <th>Where</th>
                  <th>What</th>
                  <th>Prepared by</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {list.map((a, i) => (
                  <tr
                    key={a.id}
                    className={`approval-${a.state}`}
                    data-testid="approval-item"
                    data-state={a.state}
                    onClick={() => open(a.id)}
                    {...nav(i)}
                  >
                    <td className="approval-sheet">{a.sheetName}</td>
                    <td>
                      {a.profileName}
                      {a.organizationName ? <span className="muted"> → {a.organizationName}</span> : null}
                    </td>
                    <td>{a.summary}</td>
                    <td title={fullWhen(a.preparedAt)}>
                      {a.preparedBy === settings?.member ? 'You' : a.preparedBy}
                      <span className="muted small"> · {when(a.preparedAt)}</span>
                    </td>
                    <td data-testid="approval-state">
                      <span className={`approval-badge approval-badge-${a.state}`}>{APPROVAL_STATE_LABEL[a.state]}</span>
                      {decisionLine(a) && <div className="small muted">{decisionLine(a)}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {openId && <ApprovalDialog key={openId} id={openId} onClose={() => open(null)} />}
    </section>
  );
}
