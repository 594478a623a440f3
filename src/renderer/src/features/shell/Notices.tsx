import { useEffect, useState } from 'react';
import type { Events } from '../../../../shared/ipc/contract.ts';
import { getApi } from '../../lib/api.ts';
import { useUi, type View } from '../../store/ui.ts';

type Notice = Events['app:notice'] & { id: number };
let nextId = 1;

/**
 * Messages from main that must not be missed: the window was reloaded after a crash, a run ended while
 * the OS refused the notification, diagnostics copied. They stay until dismissed. Also carries out the
 * menu's navigation items.
 */
export function Notices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const go = useUi((s) => s.go);
  useEffect(() => {
    const api = getApi();
    const offNotice = api.on('app:notice', (n) => setNotices((all) => [...all.slice(-2), { ...n, id: nextId++ }]));
    // 'go:<view>' names the view to show.
    const offMenu = api.on('app:menu', ({ command }) => go(command.slice('go:'.length) as View));
    return () => {
      offNotice();
      offMenu();
    };
  }, [go]);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} data-testid="app-notice">
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setNotices((all) => all.filter((x) => x.id !== n.id))}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
