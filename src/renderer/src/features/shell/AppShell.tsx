import { lazy, Suspense, useEffect } from 'react';
import { useUi, type View } from '../../store/ui.ts';
import { ProfileSwitcher } from './ProfileSwitcher.tsx';
import { Toasts } from '../../components/Toasts.tsx';
import { AskedDialog } from '../approvals/AskedDialog.tsx';
import { Notices } from './Notices.tsx';
import { WorkspaceWarning } from '../workspace/WorkspaceWarning.tsx';
import { TeamWaiting } from '../workspace/TeamWaiting.tsx';
import { SheetsPage } from '../sheets/SheetsPage.tsx';
import { useApprovals, waitingFor } from '../../store/approvals.ts';

// The first screen (Sheets) is in the entry chunk; the other pages, the grid and the editors load on demand,
// and are fetched while the app is idle so a click on them does not wait either.
const loadRuns = () => import('../runs/RunsPage.tsx');
const loadProfiles = () => import('../profiles/ProfilesPage.tsx');
const loadInvitations = () => import('../invitations/InvitationsPage.tsx');
const InvitationsPage = lazy(() => loadInvitations().then((m) => ({ default: m.InvitationsPage })));
const RunsPage = lazy(() => loadRuns().then((m) => ({ default: m.RunsPage })));
const ProfilesPage = lazy(() => loadProfiles().then((m) => ({ default: m.ProfilesPage })));
const WorkspacePage = lazy(() => import('../workspace/WorkspacePage.tsx').then((m) => ({ default: m.WorkspacePage })));
const ApprovalsPage = lazy(() => import('../approvals/ApprovalsPage.tsx').then((m) => ({ default: m.ApprovalsPage })));
const WaitlistPage = lazy(() => import('../waitlist/WaitlistPage.tsx').then((m) => ({ default: m.WaitlistPage })));
const prefetch = () => {
  void loadRuns();
  void loadProfiles();
  void import('../sheets/SheetEditor.tsx');
  void import('../../components/CodeMirrorJson.tsx');
};

/** `menuOnly`: reached by its shortcut, the View menu and a link (the header has no room left at 1024 px). */
const NAV: { view: View; label: string; key: string; menuOnly?: boolean }[] = [
  { view: 'sheets', label: 'Sheets', key: '1' },
  { view: 'runs', label: 'Runs', key: '2' },
  { view: 'profiles', label: 'Profiles', key: '3' },
  { view: 'invitations', label: 'Invitations', key: '4' },
  { view: 'waitlist', label: 'Waitlist', key: '5' },
  { view: 'workspace', label: 'Workspace', key: ',', menuOnly: true },
  { view: 'approvals', label: 'Approvals', key: '6' },
];

export function AppShell() {
  const { view, go } = useUi();
  // Approvals only on a workspace with four eyes on production; its count: sends waiting for this member.
  const approvals = useApprovals((s) => s.settings);
  const waiting = useApprovals((s) => waitingFor(s.list, s.settings?.member));
  const nav = NAV.filter((n) => !n.menuOnly && (n.view !== 'approvals' || approvals?.fourEyes));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const item = NAV.find((n) => n.key === e.key);
      if (item) {
        e.preventDefault();
        go(item.view);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
  useEffect(() => {
    const idle = requestIdleCallback(prefetch, { timeout: 2000 });
    return () => cancelIdleCallback(idle);
  }, []);
  return (
    <div className="shell">
      <header className="header">
        <div className="brand">Invite Desk</div>
        <nav className="nav" aria-label="Main">
          {nav.map((n) => (
            <button
              key={n.view}
              type="button"
              className={view === n.view ? 'nav-item active' : 'nav-item'}
              aria-current={view === n.view ? 'page' : undefined}
              data-testid={`nav-${n.view}`}
              title={`${n.label} (Ctrl+${n.key})`}
              onClick={() => go(n.view)}
            >
              {n.label}
              {n.view === 'approvals' && waiting > 0 && (
                <span className="nav-count" data-testid="nav-approvals-count" aria-label={`${waiting} waiting`}>
                  {waiting}
                </span>
              )}
            </button>
          ))}
        </nav>
        <ProfileSwitcher />
      </header>
      {/* One grid row for every banner (none, one or several), so the page keeps the row that fills the window. */}
      <div className="banners">
        <Notices />
        <WorkspaceWarning />
        <TeamWaiting />
      </div>
      <main className="content">
        <Suspense
          fallback={
            <div className="loading" data-testid="page-loading">
              Loading…
            </div>
          }
        >
          {view === 'sheets' && <SheetsPage />}
          {view === 'runs' && <RunsPage />}
          {view === 'profiles' && <ProfilesPage />}
          {view === 'invitations' && <InvitationsPage />}
          {view === 'waitlist' && <WaitlistPage />}
          {view === 'workspace' && <WorkspacePage />}
          {view === 'approvals' && <ApprovalsPage />}
        </Suspense>
      </main>
      <AskedDialog />
      <Toasts />
    </div>
  );
}
