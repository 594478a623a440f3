/**
 * Hostile imports (issue 12): each is refused in a fresh process, timed from "file chosen" to the message,
 * with that process's peak memory (RSS, Node itself included). Goal: < 1 s and < 500 MB each.
 * Before issue 12: 50 MB one-line CSV 30 s / 3.9 GB; 1 MB xlsx → 1 GiB: 2.1 GB; 3M-row xlsx: 51 s, then a stack overflow.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bombXlsx, lyingBombXlsx, oneLineCsv, tallXlsx } from '../test/helpers/hostile.ts';
import { makeTempDir } from '../test/helpers/tempDir.ts';

const MiB = 1024 * 1024;
type Case = { label: string; file: string; make: () => Uint8Array | Buffer };

const cases: Case[] = [
  { label: '50 MB one-line CSV', file: 'one-line.csv', make: () => oneLineCsv(50) },
  { label: '15 MB CSV, one 15 MB cell in quotes', file: 'one-cell.csv', make: () => Buffer.from(`email\n"${'x'.repeat(15 * MiB)}"\n`) },
  {
    label: '60 MB CSV, 3,000,000 rows',
    file: 'tall.csv',
    make: () => Buffer.from(`email\n${'a@example.com\n'.repeat(3_000_000)}`.slice(0, 60 * MiB)),
  },
  { label: '10 MB CSV, 1,000,000 columns', file: 'wide.csv', make: () => Buffer.from(`${'a,'.repeat(5 * MiB)}\n`) },
  { label: '200 MB CSV (size check before reading)', file: 'huge.csv', make: () => Buffer.alloc(200 * MiB, 0x61) },
  { label: '1 MB xlsx that unpacks to 1 GiB', file: 'bomb.xlsx', make: () => bombXlsx(1024, 9) },
  { label: 'xlsx unpacking to 1 GiB, declaring 1 KB', file: 'liar.xlsx', make: () => lyingBombXlsx(1024, 9) },
  { label: 'xlsx with 3,000,000 rows', file: 'tall.xlsx', make: () => tallXlsx(3_000_000) },
  // Not hostile: the largest files an import accepts (200,000 rows just under 64 MB), plain and accented.
  { label: 'accepted: 64 MB CSV, 200,000 rows × 20 columns, ASCII', file: 'full.csv', make: () => fullCsv('v') },
  { label: 'accepted: 64 MB CSV, 200,000 rows × 20 columns, accented (é)', file: 'full-accented.csv', make: () => fullCsv('vé') },
];

/** Rows of 20 short cells under a header, as many as fit in 64 MB (about 200,000): an import at its size limit. */
function fullCsv(prefix: string): Buffer {
  const head = ['email', ...Array.from({ length: 19 }, (_, i) => `c${i}`)].join(',');
  const lines = [head];
  for (let i = 0; i < 210_000; i++) {
    const cells = [`user${String(i).padStart(6, '0')}@example.com`];
    for (let c = 1; c < 20; c++) cells.push(`${prefix}${c}_${String(i).padStart(10, '0')}`);
    lines.push(cells.join(','));
  }
  const all = Buffer.from(lines.join('\n'));
  // Just under the limit, cut at a line end (an accented file has fewer rows).
  return all.subarray(0, all.lastIndexOf(10, 64 * MiB - 1024));
}

export async function benchHostile(): Promise<void> {
  console.log('\n## Hostile imports: time and peak memory to refuse each (goal < 1000 ms, < 500 MB); the largest accepted (goal < 500 MB)');
  const dir = makeTempDir('invite-desk-hostile-');
  try {
    for (const c of cases) {
      const path = join(dir.path, c.file);
      const bytes = c.make();
      writeFileSync(path, bytes);
      const out = execFileSync(
        process.execPath,
        [...process.execArgv.filter((a) => !a.startsWith('--expose')), join(import.meta.dirname, 'hostile-child.ts'), path],
        {
          encoding: 'utf8',
        },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; maxRssMb: number; baseRssMb: number; message: string };
      const accepted = c.label.startsWith('accepted');
      const ok = (accepted || r.ms < 1000) && r.maxRssMb < 500 ? 'ok' : 'OVER GOAL';
      console.log(
        `${c.label} (${(bytes.length / MiB).toFixed(1)} MB file): ${accepted ? 'read' : 'refused'} in ${r.ms.toFixed(0)} ms, peak RSS ${r.maxRssMb.toFixed(0)} MB (Node at start ${r.baseRssMb.toFixed(0)} MB); goal ${accepted ? '' : '< 1000 ms, '}< 500 MB: ${ok}`,
      );
      console.log(`  → ${r.message.length > 160 ? `${r.message.slice(0, 160)}…` : r.message}`);
    }
  } finally {
    dir.remove();
  }
}
