/**
 * Quick start (issue 14): navigation → first screen interactive in Debian's Chromium (the Sheets page with its
 * import control in the DOM and a frame painted after it), and the JS the first screen loads. Goal < 400 ms.
 * The renderer is served from 127.0.0.1 (Electron reads it from disk); main's handlers are bridged over CDP,
 * so the figure includes one profiles:list round trip through the test bridge.
 */
import { chromium } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createMemorySecretStore } from '../src/main/services/secrets/secretStore.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.ts';
import { makeServices } from '../test/helpers/mainServices.ts';
import { bridgeRenderer } from '../test/helpers/rendererBridge.ts';
import { serveStatic } from '../test/helpers/staticServer.ts';

const OUT = join(import.meta.dirname, '../out/renderer');
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

/** The entry script and what it imports statically (modulepreload links and `from "./x.js"` imports). */
function initialJs(): { files: string[]; bytes: number; gzip: number; allJs: number } {
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  while (queue.length) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(OUT, f), 'utf8');
    // Static imports only (`import … from "./x.js"` / `import "./x.js"`); dynamic import("./x.js") loads later.
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]!}`);
  }
  const files = [...seen];
  const buf = files.map((f) => readFileSync(join(OUT, f)));
  const allJs = readdirSync(join(OUT, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + readFileSync(join(OUT, 'assets', f)).length, 0);
  return { files, bytes: buf.reduce((n, b) => n + b.length, 0), gzip: buf.reduce((n, b) => n + gzipSync(b).length, 0), allJs };
}

export async function benchStartup(): Promise<void> {
  const js = initialJs();
  const services = makeServices(createMemorySecretStore());
  const server = await serveStatic(OUT);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const times: number[] = [];
  try {
    for (let k = 0; k < 6; k++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } }); // cold cache each time
      const page = await context.newPage();
      await bridgeRenderer(page, services.handlers);
      await page.addInitScript(() => {
        const w = window as unknown as { __interactive?: number };
        const seen = () => {
          if (!document.querySelector('[data-testid="import-file"]')) return false;
          requestAnimationFrame(() => setTimeout(() => (w.__interactive ??= performance.now())));
          return true;
        };
        new MutationObserver((_m, o) => seen() && o.disconnect()).observe(document, { childList: true, subtree: true });
      });
      await page.goto(server.url);
      await page.waitForFunction(() => (window as unknown as { __interactive?: number }).__interactive !== undefined);
      times.push(await page.evaluate(() => (window as unknown as { __interactive: number }).__interactive));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await services.close();
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log('\n## Start: navigation → first screen interactive (Sheets page, import control painted)');
  console.log(
    `median ${warm[Math.floor(warm.length / 2)]!.toFixed(0)} ms, max ${warm.at(-1)!.toFixed(0)} ms over ${warm.length} cold loads (goal < 400 ms)`,
  );
  console.log(
    `initial JS: ${kb(js.bytes)} (${kb(js.gzip)} gzipped) in ${js.files.length} files, of ${kb(js.allJs)} in all; the grid, CodeMirror and the xlsx reader load on demand`,
  );
}
