/** Turning cell text into typed values, per the column's chosen type. */
import type { ValueType } from './types.ts';

export type Typed = { ok: true; value: unknown } | { ok: false; message: string };

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

export function parseBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return null;
}

export function typeValue(text: string, type: ValueType): Typed {
  const t = text.trim();
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
      return NUMBER.test(t) ? { ok: true, value: Number(t) } : { ok: false, message: `“${t}” is not a number` };
    case 'boolean': {
      const b = parseBoolean(t);
      return b === null ? { ok: false, message: `“${t}” is not true/false (or yes/no, 1/0)` } : { ok: true, value: b };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(t) };
      } catch (e) {
        return { ok: false, message: `Not valid JSON: ${(e as Error).message}` };
      }
    case 'auto': {
      // Numbers with leading zeros (zip codes, ids) stay text; so does anything that is not unambiguous.
      if (NUMBER.test(t) && !/^-?0\d/.test(t) && Number.isSafeInteger(Math.trunc(Number(t)))) return { ok: true, value: Number(t) };
      if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
      if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
        try {
          return { ok: true, value: JSON.parse(t) };
        } catch {
          return { ok: true, value: text };
        }
      }
      return { ok: true, value: text };
    }
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key, recursively; anything else from `over` replaces. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isPlainObject(cur) && isPlainObject(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

/** Sets `a.b.c` in a copy of `obj`; fails when a key on the way holds a non-object value. */
export function setPath(
  obj: Record<string, unknown>,
  path: string,
  value: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const keys = path.split('.');
  const root: Record<string, unknown> = { ...obj };
  let cur = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const next = cur[k];
    if (next === undefined) cur[k] = {};
    else if (!isPlainObject(next))
      return { ok: false, message: `${keys.slice(0, i + 1).join('.')} is already a value, so ${path} cannot go inside it` };
    else cur[k] = { ...next };
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys.at(-1)!] = value;
  return { ok: true, value: root };
}

/** Removes `a.b.c` from a copy (no-op when absent). */
export function removePath(obj: Record<string, unknown>, path: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (head === undefined || !(head in obj)) return obj;
  const out = { ...obj };
  if (rest.length === 0) delete out[head];
  else if (isPlainObject(out[head])) out[head] = removePath(out[head], rest.join('.'));
  return out;
}

/** Parses a JSON-object cell; blank is an empty object. */
export function parseObjectCell(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const v: unknown = JSON.parse(text);
    return isPlainObject(v) ? { ok: true, value: v } : { ok: false, message: 'Metadata must be a JSON object ({…})' };
  } catch (e) {
    return { ok: false, message: `Not valid JSON: ${(e as Error).message}` };
  }
}

/** UTF-8 byte length of a string (what Clerk's 8 KB limit counts), without TextEncoder. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
