/** The renderer's only door to main: one method per channel (built from the contract), plus events. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildRendererApi, type RendererApi } from '../shared/ipc/contract.ts';

const api: RendererApi = buildRendererApi(
  (channel, args) => ipcRenderer.invoke(channel, args),
  (event, listener) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => void ipcRenderer.removeListener(event, wrapped);
  },
);

contextBridge.exposeInMainWorld('api', api satisfies RendererApi);
