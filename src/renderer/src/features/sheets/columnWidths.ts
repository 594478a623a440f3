/** Column widths a person dragged, remembered per sheet on this computer (like a spreadsheet file keeps them). */
const key = (sheetId: string) => `invite-desk:col-widths:${sheetId}`;

export function loadWidths(sheetId: string): Record<string, number> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key(sheetId)) ?? '{}');
    if (typeof v !== 'object' || v === null) return {};
    return Object.fromEntries(
      Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 40 && e[1] <= 2000),
    );
  } catch {
    return {};
  }
}

export function saveWidths(sheetId: string, widths: Record<string, number>): void {
  try {
    localStorage.setItem(key(sheetId), JSON.stringify(widths));
  } catch {
    // A full or refused storage only forgets the widths.
  }
}
