// @ts-check
// `npm test`: every check and test, on a Node that satisfies the project, the unit and renderer tests inside a
// private keyring (Linux). Ends with one line `tests: N passed, M failed`.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runInKeyring } from './lib/keyring.mjs';
import { binOf, ensureNode, fail, ROOT, runNode } from './lib/runtime.mjs';

const rt = ensureNode();
if (!existsSync(path.join(ROOT, 'node_modules'))) fail('test: run npm install first');
const results = path.join(ROOT, 'test-results');
mkdirSync(results, { recursive: true });
for (const f of ['vitest.json', 'playwright.json']) rmSync(path.join(results, f), { force: true });
const quiet = { npm_config_loglevel: 'error' };

/** @param {string} title @param {() => Promise<number>} step */
async function must(title, step) {
  console.log(`== ${title}`);
  if ((await step()) !== 0) fail(`test: ${title} failed`);
}
await must('typecheck', () => runNode(rt, [binOf('typescript', 'tsc'), '-b']));
await must('lint', () => runNode(rt, [binOf('eslint'), '.']));
await must('format', () => runNode(rt, [binOf('prettier'), '--check', '--log-level', 'warn', '.']));
await must('build', () => runNode(rt, [binOf('electron-vite'), 'build', '--logLevel', 'error']));

let status = 0;
console.log('== unit (vitest, real keyring)');
const vitest = [binOf('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'vitest.json')}`];
if ((await runInKeyring(rt, vitest, quiet)) !== 0) status = 1;
if (!process.env['SKIP_E2E']) {
  console.log('== renderer e2e (Playwright + Debian Chromium)');
  const pw = [binOf('@playwright/test', 'playwright'), 'test', '--project=renderer', '--reporter=list,json'];
  if ((await runInKeyring(rt, pw, { ...quiet, PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(results, 'playwright.json') })) !== 0) status = 1;
}
const summary = await runNode(rt, [
  path.join('scripts', 'test-summary.mjs'),
  path.join(results, 'vitest.json'),
  path.join(results, 'playwright.json'),
]);
process.exit(status || summary);
