/** A zip's central directory (names and declared sizes), read without unzipping anything (see zipInflate.ts). */
export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; offset: number };

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

export const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4;

/** The entries a zip declares, or null when its central directory cannot be found (not a whole zip). */
export function zipEntries(b: Uint8Array): ZipEntry[] | null {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(b, eocd + 10);
  let p = u32(b, eocd + 16);
  const entries: ZipEntry[] = [];
  const names = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) return null;
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    entries.push({
      name: names.decode(b.subarray(p + 46, p + 46 + nameLen)),
      method: u16(b, p + 10),
      compressedSize: u32(b, p + 20),
      // 0xFFFFFFFF means "see the ZIP64 field": at least 4 GiB, which is over every limit anyway.
      size: u32(b, p + 24),
      offset: u32(b, p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
