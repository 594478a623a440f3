/** The one place that reads `window.api` (set by the preload, or by the test harness). */
import type { RendererApi } from '../../../shared/ipc/contract.ts';

declare global {
  interface Window {
    api?: RendererApi;
  }
}

export function getApi(): RendererApi {
  if (!window.api) throw new Error('Invite Desk must run inside its app window (window.api is missing).');
  return window.api;
}
