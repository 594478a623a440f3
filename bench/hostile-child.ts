/** One hostile import in a fresh process, so its peak memory is its own: prints {ms, maxRssMb, message}. */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { checkFileSize, parseImportFile } from '../src/shared/domain/import/parseImport.ts';

const file = process.argv[2]!;
const name = basename(file);
/** Peak RSS of this process in KB: Linux's VmHWM (maxRSS there carries the parent's peak across exec). */
function peakKb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
const rss0 = peakKb();
const t0 = performance.now();
let message = 'accepted (not refused!)';
try {
  // As the app does: the size first (the renderer knows a File's size before reading it), then the bytes.
  checkFileSize(name, statSync(file).size);
  const b = readFileSync(file);
  // A big file is read into a Buffer of its own: hand over its memory as the app hands over a File's.
  const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
  await parseImportFile((whole ? b.buffer : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) as ArrayBuffer, name);
} catch (e) {
  message = (e as Error).message;
}
const ms = performance.now() - t0;
const maxRss = peakKb();
console.log(JSON.stringify({ ms, maxRssMb: maxRss / 1024, baseRssMb: rss0 / 1024, message }));
