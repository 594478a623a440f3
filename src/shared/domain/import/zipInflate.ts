/** A bounded streaming inflate: what lets an .xlsx be refused for its size or row count before it is unpacked. */
import { Inflate } from 'fflate';
import type { ZipEntry } from './zip.ts';

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The stored (compressed) bytes of an entry. */
function entryData(b: Uint8Array, e: ZipEntry): Uint8Array | null {
  const p = e.offset;
  if (p + 30 > b.length || u32(b, p) !== 0x04034b50) return null;
  const start = p + 30 + u16(b, p + 26) + u16(b, p + 28);
  return b.subarray(start, Math.min(b.length, start + e.compressedSize));
}

/**
 * Inflates an entry in small steps, handing each piece to `onChunk`, and stops as soon as more than `maxBytes`
 * come out or `onChunk` returns false. Never holds more than one piece. Returns the bytes that came out
 * (more than maxBytes when it stopped for that), or null when the entry cannot be read.
 */
export function inflateBounded(b: Uint8Array, e: ZipEntry, maxBytes: number, onChunk: (chunk: Uint8Array) => boolean): number | null {
  const data = entryData(b, e);
  if (!data) return null;
  if (e.method === 0) {
    onChunk(data);
    return data.length;
  }
  if (e.method !== 8) return null;
  let out = 0;
  let stop = false;
  const inflate = new Inflate((chunk) => {
    if (stop) return;
    out += chunk.length;
    if (out > maxBytes || !onChunk(chunk)) stop = true;
  });
  const STEP = 16 * 1024; // at most ~16 MB out per step (deflate expands at most ~1032:1)
  try {
    for (let i = 0; i < data.length && !stop; i += STEP) inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch {
    return null;
  }
  return out;
}
