// @ts-check
// Draws resources/icon.png (1024×1024: electron-builder makes the macOS .icns, the Windows .ico and the Linux
// sizes from it): an envelope on a rounded indigo square. `node scripts/make-icon.mjs` rewrites it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, crc32 } from 'node:zlib';

const N = 1024;
const SS = 4; // supersampling per axis
const bg = [79, 70, 229];
/** @param {number} x @param {number} y (0..1) */
function shade(x, y) {
  const r = 0.18; // corner radius
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null; // outside the rounded square
  const inEnvelope = x > 0.22 && x < 0.78 && y > 0.3 && y < 0.7;
  if (!inEnvelope) return bg;
  // The flap: a V from the top corners to the middle, drawn in the background colour.
  const t = 0.03;
  const d1 = Math.abs((x - 0.22) * 0.24 - (y - 0.3) * 0.28) / Math.hypot(0.24, 0.28);
  const d2 = Math.abs((0.78 - x) * 0.24 - (y - 0.3) * 0.28) / Math.hypot(0.24, 0.28);
  if ((x <= 0.5 && d1 < t) || (x >= 0.5 && d2 < t)) return y < 0.55 ? bg : [255, 255, 255];
  return [255, 255, 255];
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let py = 0; py < N; py++) {
  raw[py * (N * 4 + 1)] = 0;
  for (let px = 0; px < N; px++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const c = shade((px + (sx + 0.5) / SS) / N, (py + (sy + 0.5) / SS) / N);
        if (!c) continue;
        r += c[0] ?? 0;
        g += c[1] ?? 0;
        b += c[2] ?? 0;
        a += 255;
      }
    const n = SS * SS;
    const o = py * (N * 4 + 1) + 1 + px * 4;
    const cov = a / 255 || 1;
    raw[o] = Math.round(r / cov);
    raw[o + 1] = Math.round(g / cov);
    raw[o + 2] = Math.round(b / cov);
    raw[o + 3] = Math.round(a / n);
  }
}
/** @param {string} type @param {Buffer} data */
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
