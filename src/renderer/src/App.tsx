import { useEffect } from 'react';
import { subscribeProfiles, useProfiles } from './store/profiles.ts';
import { AppShell } from './features/shell/AppShell.tsx';

export function App() {
  const { loaded, loadError, load } = useProfiles();
  useEffect(() => {
    subscribeProfiles();
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
