/**
 * Machine checks of a screen, for any e2e spec to call: axe-core on the page as it is now (fails on a serious or
 * critical violation, listing each with the elements it hit), the layout at the desktop widths we support (no
 * horizontal overflow, no action orphaned on a row of its own), and screenshots in both themes.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from './harness.ts';

export const SCREENSHOT_DIR = join(import.meta.dirname, '../../test-results/screenshots');
export const WIDTHS = [1024, 1280, 1440] as const;
const HEIGHT = 800;

/** axe-core's own script, put into the page once (not through @axe-core/playwright: see axeProblems). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ALL_RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
type AxeViolation = { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] };
type AxeWindow = { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } };

/**
 * The serious and critical axe violations of the page as it is now (every WCAG A/AA and best-practice rule, or
 * `only` these), each with the elements it hit. axe runs in the page itself: the app is one frame, and
 * @axe-core/playwright's per-frame run with its finishing step in a page of its own took ~2 s a call (7× this).
 */
export async function axeProblems(page: Page, only?: string[]): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    async (runOnly) => (await (window as unknown as AxeWindow).axe.run(document, { runOnly, resultTypes: ['violations'] })).violations,
    only ? { type: 'rule', values: only } : { type: 'tag', values: ALL_RULES },
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
    );
}

/** axe on the current page state (see axeProblems); `what` names the state. */
export async function expectAccessible(page: Page, what: string, only?: string[]): Promise<void> {
  expect.soft(await axeProblems(page, only), `axe on “${what}”`).toEqual([]);
}

/**
 * At 1024, 1280 and 1440 px: the page never scrolls sideways, and no row of actions wraps so that one control is
 * left alone on a row; the sheet toolbar is one row at every width.
 * Leaves the viewport at 1280 px.
 */
export async function expectLayoutFits(page: Page, what: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    const problems = await page.evaluate(() => {
      const out: string[] = [];
      const name = (el: Element) =>
        el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`.replace(/\.$/, '');
      const doc = document.documentElement;
      if (doc.scrollWidth > doc.clientWidth) out.push(`the window scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
      for (const el of document.querySelectorAll('main.content, .toolbar, .modal, .mapping, .card, .side, .run-detail')) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`${name(el)} overflows sideways (${el.scrollWidth} > ${el.clientWidth})`);
      }
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      };
      for (const row of document.querySelectorAll('.toolbar, .toolbar-actions, .actions, .follow-ups, .runs-tools, .history-tools')) {
        if (!visible(row)) continue;
        // Children in reading order, split into visual rows: a child starts a new row below the current row's bottom.
        const boxes = [...row.children]
          .filter((child) => visible(child) && getComputedStyle(child).position !== 'absolute')
          .map((child) => child.getBoundingClientRect())
          .sort((a, b) => a.top - b.top);
        const rows: { bottom: number; count: number }[] = [];
        for (const b of boxes) {
          const last = rows.at(-1);
          if (last && b.top < last.bottom - 1) {
            last.count++;
            last.bottom = Math.max(last.bottom, b.bottom);
          } else rows.push({ bottom: b.bottom, count: 1 });
        }
        // The sheet toolbar is one row at every width (issue 21 #5: it wrapped at 1024, moving the grid).
        const oneRow = row.classList.contains('toolbar-actions') || row.classList.contains('toolbar');
        if (oneRow && rows.length > 1) out.push(`${name(row)} wraps onto ${rows.length} rows`);
        else if (!row.classList.contains('toolbar') && rows.length > 1 && rows.at(-1)!.count === 1)
          out.push(`${name(row)} leaves its last control alone on a row`);
      }
      return out;
    });
    expect.soft(problems, `layout of “${what}” at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: HEIGHT });
}

/** Widths the screenshots are taken at: the narrowest supported window and a common laptop one. */
export const SHOT_WIDTHS = [1024, 1440] as const;

/**
 * The whole check of one screen state: layout at the three widths; at 1280 px, axe in the light and the dark theme;
 * screenshots at 1024 and 1440 px in both (test-results/screenshots/<name>-<width>-<theme>.png). Ends at 1280 px in
 * the light theme.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await expectLayoutFits(page, name);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // The themes differ in colour only: the dark one is checked for contrast, the light one for everything.
    await expectAccessible(page, `${name} (${colorScheme})`, colorScheme === 'dark' ? ['color-contrast'] : undefined);
    for (const width of SHOT_WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}.png`), animations: 'disabled', caret: 'hide' });
    }
    await page.setViewportSize({ width: 1280, height: HEIGHT });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
