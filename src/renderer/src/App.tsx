import { useEffect } from 'react';
import { useProfiles } from './store/profiles.ts';
import { useMetadata } from './store/metadata.ts';
import { useRuns } from './store/runs.ts';
import { useSheet } from './store/sheet.ts';
import { useSheets } from './store/sheets.ts';
import { useWaitlist } from './store/waitlist.ts';
import { useApprovals } from './store/approvals.ts';
import { AppShell } from './features/shell/AppShell.tsx';

export function App() {
  const { loaded, loadError, load } = useProfiles();
  // The stores listen to main (and the sheet to the window's hide and close) from boot, explicitly, not as a side
  // effect of being imported: a run that finishes before its page is opened is not missed.
  useEffect(() => {
    const stops = [useProfiles, useSheets, useRuns, useSheet, useMetadata, useWaitlist, useApprovals].map((store) =>
      store.getState().start(),
    );
    return () => stops.forEach((stop) => stop());
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (!loaded)
    return (
      <div className="loading" data-testid="loading">
        Starting Invite Desk…
      </div>
    );
  if (loadError) {
    return (
      <div className="fatal" role="alert" data-testid="fatal-error">
        <h1>Invite Desk could not start</h1>
        <p>{loadError.message}</p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  return <AppShell />;
}
