/** For every channel: check the sender → parse → handle → Result envelope. */
import { ipcMain, type BrowserWindow } from 'electron';
import { CHANNELS, type EventName, type Events } from '../../shared/ipc/contract.ts';
import { err } from '../../shared/result.ts';
import { dispatch, type Handlers } from './dispatch.ts';
import { isTrustedSender } from './sender.ts';

export function registerIpc(handlers: Handlers, getWindow: () => BrowserWindow | null, rendererUrl: string): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, raw: unknown) => {
      const win = getWindow();
      const trusted =
        win !== null &&
        isTrustedSender(
          { webContentsId: event.sender.id, isMainFrame: event.senderFrame?.parent === null, frameUrl: event.senderFrame?.url },
          { webContentsId: win.webContents.id, rendererUrl },
        );
      if (!trusted) return err({ code: 'forbidden', message: 'Request refused: it did not come from the Invite Desk window.' });
      return dispatch(handlers, channel, raw);
    });
  }
}

export function emitter(getWindow: () => BrowserWindow | null) {
  return <E extends EventName>(event: E, payload: Events[E]): void => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(event, payload);
  };
}
