/**
 * What an import may hold, enforced while the file is read (not after it is all in memory), and named in the
 * message. Rows, columns and cell size are the sheet's own limits (ipc/parse.ts LIMITS; a test keeps them equal).
 */
const MiB = 1024 * 1024;
export const IMPORT_LIMITS = {
  /** A CSV/TSV file, or pasted text (UTF-16 code units for a paste). */
  textBytes: 64 * MiB,
  /** An .xlsx file as stored (zipped). */
  xlsxBytes: 32 * MiB,
  /** Everything an .xlsx holds once unzipped (a 1 MB zip can expand to gigabytes). */
  xlsxUnzippedBytes: 256 * MiB,
  rows: 200_000,
  columns: 200,
  cell: 20_000,
} as const;
export type ImportLimits = { readonly [K in keyof typeof IMPORT_LIMITS]: number };

export const mib = (n: number): string => `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MB`;
