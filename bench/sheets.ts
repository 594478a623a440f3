/**
 * Sheets benchmark: a generated 100,000-row CSV, parsed and validated in Node, then imported through the
 * real UI in Debian's Chromium (worker parse → mapping → create → validated grid), then grid scroll frames.
 * Goal (issue 3): 100,000 rows parsed, validated and shown in under 1.5 s; scrolling under 16 ms a frame.
 */
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { join } from 'node:path';
import { createMemorySecretStore } from '../src/main/services/secrets/secretStore.ts';
import { parseDelimitedBytes } from '../src/shared/domain/import/delimited.ts';
import { suggestColumns } from '../src/shared/domain/sheet/mapping.ts';
import { defaultSettings } from '../src/shared/domain/sheet/types.ts';
import { validateSheet } from '../src/shared/domain/sheet/validate.ts';
import { makeServices } from '../test/helpers/mainServices.ts';
import { bridgeRenderer } from '../test/helpers/rendererBridge.ts';
import { serveStatic } from '../test/helpers/staticServer.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.ts';
import { makeTempDir } from '../test/helpers/tempDir.ts';

const ROWS = 100_000;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function generateCsv(rows: number): Buffer {
  const teams = ['Ops', 'Sales', 'Engineering', 'Support', 'Finance'];
  const lines = ['Email,Full name,public.team.name,public_metadata,Expires'];
  for (let i = 0; i < rows; i++) {
    lines.push(`user${i}@Example.com,Person ${i},${teams[i % 5]},"{""seat"":${i % 50},""vip"":${i % 7 === 0}}",${(i % 60) + 1}`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

function electronIpcEstimate(rows: string[][]): number {
  const t = performance.now();
  v8.deserialize(v8.serialize(rows));
  return performance.now() - t;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { mean: xs.reduce((a, b) => a + b, 0) / (xs.length || 1), p95: p(0.95), max: s.at(-1) ?? 0 };
}

export async function benchSheets(): Promise<void> {
  const dir = makeTempDir('invite-desk-bench-');
  try {
    const csv = generateCsv(ROWS);
    const file = join(dir.path, 'people-100k.csv');
    writeFileSync(file, csv);
    console.log(`\n## Sheets: ${ROWS.toLocaleString()} rows, ${mb(csv.length)} CSV`);

    // Node, the domain code alone.
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let t = performance.now();
    const table = parseDelimitedBytes(new Uint8Array(csv), 'people-100k.csv');
    const parseMs = performance.now() - t;
    const columns = suggestColumns(table.rows[0]!);
    t = performance.now();
    const v = validateSheet({ columns, rows: table.rows.slice(1), settings: defaultSettings() });
    const validateMs = performance.now() - t;
    console.log(
      `node: parse ${ms(parseMs)}, validate ${ms(validateMs)} (${v.validCount.toLocaleString()} ready), RSS +${mb(process.memoryUsage().rss - rss0)}`,
    );

    // Chromium, through the real UI with the real main handlers behind it.
    const services = makeServices(createMemorySecretStore());
    const server = await serveStatic(join(import.meta.dirname, '../out/renderer'));
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // Time spent inside main's handlers, to tell the app's cost from this bridge's (CDP) transport cost.
      const mainMs: Record<string, number> = {};
      const timed = Object.fromEntries(
        Object.entries(services.handlers).map(([k, h]) => [
          k,
          async (a: never) => {
            const s0 = performance.now();
            try {
              return await (h as (a: never) => Promise<unknown>)(a);
            } finally {
              mainMs[k] = (mainMs[k] ?? 0) + performance.now() - s0;
            }
          },
        ]),
      ) as typeof services.handlers;
      await bridgeRenderer(page, timed);
      // Time the renderer spends waiting on the bridge (Playwright/CDP JSON here; V8 structured clone in Electron).
      await page.addInitScript(() => {
        const w = window as unknown as { api: Record<string, unknown>; __ipcWait: number };
        w.__ipcWait = 0;
        for (const [k, f] of Object.entries(w.api)) {
          if (k === 'on' || typeof f !== 'function') continue;
          w.api[k] = async (...args: unknown[]) => {
            const s0 = performance.now();
            try {
              return await (f as (...a: unknown[]) => Promise<unknown>)(...args);
            } finally {
              w.__ipcWait += performance.now() - s0;
            }
          };
        }
      });
      await page.goto(server.url);
      await page.getByTestId('nav-sheets').click();
      const t0 = performance.now();
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('mapping-step').waitFor();
      const t1 = performance.now();
      const wait0 = await page.evaluate(() => (window as unknown as { __ipcWait: number }).__ipcWait);
      await page.getByTestId('import-create').click();
      await page
        .getByTestId('sheet-counts')
        .filter({ hasText: `${ROWS.toLocaleString('en-US')} ready` })
        .waitFor({ timeout: 60_000 });
      await page.getByTestId('glide-cell-2-0').filter({ hasText: 'user0@example.com' }).waitFor({ state: 'attached' });
      const t2 = performance.now();
      const waited = (await page.evaluate(() => (window as unknown as { __ipcWait: number }).__ipcWait)) - wait0;
      const inMain = Object.values(mainMs).reduce((a, b) => a + b, 0);
      const heap = await page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      );
      const ipc = electronIpcEstimate(table.rows);
      const app = t1 - t0 + (t2 - t1 - waited) + inMain + ipc;
      console.log(`chromium: file → mapping step (worker parse + clone back) ${ms(t1 - t0)}`);
      console.log(
        `chromium: create → validated grid shown ${ms(t2 - t1)}, of which ${ms(waited)} waiting on the test bridge (CDP JSON, harness only) and ${ms(inMain)} in main's handlers`,
      );
      console.log(
        `electron IPC estimate: V8 serialize + deserialize of the rows ${ms(ipc)} (what Electron's structured clone does instead of CDP JSON)`,
      );
      console.log(
        `=> import of ${ROWS.toLocaleString()} rows in the app ≈ ${ms(app)} (parse ${ms(t1 - t0)} + renderer ${ms(t2 - t1 - waited)} + main ${ms(inMain)} + IPC ${ms(ipc)}); goal < 1500 ms`,
      );
      console.log(`chromium: JS heap after import ${mb(heap)}`);
      console.log(
        `main handlers: ${Object.entries(mainMs)
          .filter(([, v]) => v > 1)
          .map(([k, v]) => `${k} ${ms(v)}`)
          .join(', ')}`,
      );

      // Scroll: wheel events while recording animation-frame intervals.
      const box = (await page.getByTestId('data-grid-canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __recording: boolean };
        w.__frames = [];
        w.__recording = true;
        let last = performance.now();
        const tick = (now: number) => {
          w.__frames.push(now - last);
          last = now;
          if (w.__recording) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      for (let i = 0; i < 120; i++) await page.mouse.wheel(0, i % 40 < 30 ? 900 : -900);
      const frames = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __recording: boolean };
        w.__recording = false;
        return w.__frames.slice(2);
      });
      const f = stats(frames);
      console.log(
        `chromium: scroll ${frames.length} frames, mean ${f.mean.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (goal < 16 ms; headless frames are paced at ~16.7 ms)`,
      );
    } finally {
      await browser.close();
      await server.close();
      await services.close();
    }
  } finally {
    dir.remove();
  }
}
