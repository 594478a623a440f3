/**
 * Benchmarks only: the built renderer and main's real handlers on one 127.0.0.1 origin, `window.api` calling
 * them with fetch + JSON. Headless Chromium moves a request body over loopback at ~10 MB/s (8.5 MB: 0.8–1.3 s,
 * measured) where Electron's IPC clones the same values in milliseconds, so each call's transport is timed and
 * reported: the page's JSON.stringify, the upload (epoch clock of page and server, same machine), main's
 * JSON.parse, and the answer's JSON both ways; in its place comes what Electron does, the values' structured
 * clone (v8.serialize + v8.deserialize of the arguments and of the answer, timed here). Main's handler itself
 * runs for real and counts. `window.__bridge` holds the sums; `appMs(wall)` is the wall time with the swap made.
 * Events main → window are not delivered (the import does not need them).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import v8 from 'node:v8';
import type { Page } from '@playwright/test';
import { dispatch, type Handlers } from '../src/main/ipc/dispatch.ts';
import { CHANNELS, methodName } from '../src/shared/ipc/contract.ts';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
const epoch = () => performance.timeOrigin + performance.now();

/** What one call's transport cost, as the server saw it. */
export type ServerTimes = { upload: number; parse: number; handler: number; answerJson: number; clone: number };
/** The page's sums over every call (ms). */
export type BridgeTotals = { calls: number; transport: number; clone: number; handler: number };

function cloneMs(v: unknown): number {
  const t = performance.now();
  v8.deserialize(v8.serialize(v));
  return performance.now() - t;
}

export async function serveWithIpc(root: string, handlers: Handlers): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'POST' && path.startsWith('/__ipc/')) {
      const chunks: Buffer[] = [];
      const sent = Number(req.headers['x-sent-at']);
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const upload = epoch() - sent;
        let t = performance.now();
        const body = Buffer.concat(chunks).toString('utf8');
        const args: unknown = body === '' ? undefined : JSON.parse(body);
        const parse = performance.now() - t;
        t = performance.now();
        void dispatch(handlers, path.slice('/__ipc/'.length), args).then((r) => {
          const handler = performance.now() - t;
          t = performance.now();
          const answer = JSON.stringify(r);
          const answerJson = performance.now() - t;
          const times: ServerTimes = { upload, parse, handler, answerJson, clone: (args === undefined ? 0 : cloneMs(args)) + cloneMs(r) };
          res.writeHead(200, { 'Content-Type': 'application/json', 'X-Times': JSON.stringify(times) });
          res.end(answer);
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
      const w = window as unknown as { __bridge: BridgeTotals };
      w.__bridge = { calls: 0, transport: 0, clone: 0, handler: 0 };
      const now = () => performance.timeOrigin + performance.now();
      for (const [channel, method] of channels)
        api[method] = async (args?: unknown) => {
          let t = performance.now();
          const body = args === undefined ? '' : JSON.stringify(args);
          const stringify = performance.now() - t;
          const res = await fetch(`/__ipc/${channel}`, { method: 'POST', body, headers: { 'x-sent-at': String(now()) } });
          const text = await res.text();
          t = performance.now();
          const value: unknown = JSON.parse(text);
          const answerParse = performance.now() - t;
          const s = JSON.parse(res.headers.get('x-times') ?? '{}') as ServerTimes;
          const b = w.__bridge;
          b.calls++;
          b.transport += stringify + s.upload + s.parse + s.answerJson + answerParse;
          b.clone += s.clone;
          b.handler += s.handler;
          return value;
        };
      api['on'] = () => () => {};
      (window as unknown as { api: unknown }).api = api;
    },
    CHANNELS.map((c) => [c, methodName(c)] as [string, string]),
  );
}

/** The page's bridge sums so far. */
export const bridgeTotals = (page: Page): Promise<BridgeTotals> =>
  page.evaluate(() => ({ ...(window as unknown as { __bridge: BridgeTotals }).__bridge }));

/** Wall time in the page over a span, with the HTTP/JSON transport of the calls in it swapped for structured clone. */
export const appMs = (wall: number, before: BridgeTotals, after: BridgeTotals): number =>
  wall - (after.transport - before.transport) + (after.clone - before.clone);
