import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Clerk-style ids: a prefix and 27 base62 characters (`inv_3JVVYKadwJnxHT7igYFoaUZmQ96`). */
export function newId(prefix: string, length = 27): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 62];
  return `${prefix}_${out}`;
}
