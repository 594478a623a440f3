import type { Page } from '@playwright/test';
import { expect, type Harness } from './harness.ts';

/** A grid cell as Glide Data Grid mirrors it into its accessible table (column 0 is Status; 1… are the sheet's). */
export const cell = (page: Page, col: number, row: number) => page.getByTestId(`glide-cell-${col + 1}-${row}`);

export async function openSheetsPage(app: Harness): Promise<Page> {
  await app.open();
  await app.page.getByTestId('nav-sheets').click();
  await expect(app.page.getByTestId('import-dropzone')).toBeVisible();
  return app.page;
}
