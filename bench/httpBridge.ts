/**
 * Benchmarks only: the built renderer and main's real handlers on one 127.0.0.1 origin, `window.api` calling
 * them with fetch + JSON. Unlike the tests' CDP binding (seconds of JSON for 100,000 rows), this costs about
 * what Electron's structured-clone IPC costs, so an import can be timed end to end in the page as one number.
 * Events main → window are not delivered (the import does not need them).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from '@playwright/test';
import { dispatch, type Handlers } from '../src/main/ipc/dispatch.ts';
import { CHANNELS, methodName } from '../src/shared/ipc/contract.ts';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

export async function serveWithIpc(root: string, handlers: Handlers): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'POST' && path.startsWith('/__ipc/')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        void dispatch(handlers, path.slice('/__ipc/'.length), body === '' ? undefined : JSON.parse(body)).then((r) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(r));
        });
      });
      return;
    }
    let file = join(root, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export async function bridgeOverHttp(page: Page): Promise<void> {
  await page.addInitScript(
    (channels: [string, string][]) => {
      const api: Record<string, unknown> = {};
      for (const [channel, method] of channels)
        api[method] = async (args?: unknown) =>
          (await fetch(`/__ipc/${channel}`, { method: 'POST', body: args === undefined ? '' : JSON.stringify(args) })).json();
      api['on'] = () => () => {};
      (window as unknown as { api: unknown }).api = api;
    },
    CHANNELS.map((c) => [c, methodName(c)] as [string, string]),
  );
}
