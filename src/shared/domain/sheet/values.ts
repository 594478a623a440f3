/** Turning cell text into typed values, per the column's chosen type. */
import type { ValueType } from './types.ts';

export type Typed = { ok: true; value: unknown } | { ok: false; message: string };

/** Metadata nesting Clerk gets from us at most (its docs state none; real metadata is a few levels deep). */
export const METADATA_MAX_DEPTH = 32;
/** Keys JavaScript treats specially: `{"__proto__":…}` would vanish on the way to Clerk, so they are refused. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks parsed JSON without recursion (a 6,000-deep cell must not overflow the stack): nesting depth and
 * reserved keys. Returns the problem, or null.
 */
export function jsonProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  // Only objects and arrays are stacked (a flat cell stacks one entry); a key's path is spelled out only for a
  // message, from the chain of parents.
  type Entry = { v: object; depth: number; parent: Entry | null; key: string | null };
  const pathOf = (e: Entry | null, k: string): string => {
    const keys = [k];
    for (let p = e; p; p = p.parent) if (p.key !== null) keys.unshift(p.key);
    return keys.join('.');
  };
  const stack: Entry[] = [{ v: value, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const { v, depth } = e;
    if (depth >= METADATA_MAX_DEPTH) return `Metadata is nested more than ${METADATA_MAX_DEPTH} levels deep; flatten it`;
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push({ v: x, depth: depth + 1, parent: e, key: null });
      continue;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (RESERVED_KEYS.has(k)) {
        const at = pathOf(e, k);
        return `Metadata key “${at.length > 80 ? `${at.slice(0, 80)}…` : at}” is not allowed (${k} is reserved in JavaScript and would be lost); rename it`;
      }
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null) stack.push({ v: x, depth: depth + 1, parent: e, key: k });
    }
  }
  return null;
}

/** JSON.parse plus the checks above; messages never quote more than a short excerpt of the text. */
export function parseJson(text: string): Typed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `Not valid JSON: ${excerpt((e as Error).message, 160)}` };
  }
  const problem = jsonProblem(value);
  return problem ? { ok: false, message: problem } : { ok: true, value };
}

export const excerpt = (s: string, max = 80): string => (s.length > max ? `${s.slice(0, max)}…` : s);

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
    case 'number': {
      if (!NUMBER.test(t)) return { ok: false, message: `“${excerpt(t)}” is not a number` };
      const n = Number(t);
      if (/^-?\d+$/.test(t) && !Number.isSafeInteger(n))
        return {
          ok: false,
          message: `${excerpt(t)} is beyond 2^53: as a number it would be sent as ${n}. Use type string to keep it exact`,
        };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const b = parseBoolean(t);
      return b === null ? { ok: false, message: `“${excerpt(t)}” is not true/false (or yes/no, 1/0)` } : { ok: true, value: b };
    }
    case 'json':
      return parseJson(t);
    case 'auto': {
      // Numbers with leading zeros (zip codes, ids) stay text; so does anything that is not unambiguous.
      if (NUMBER.test(t) && !/^-?0\d/.test(t) && Number.isSafeInteger(Math.trunc(Number(t)))) return { ok: true, value: Number(t) };
      if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
      if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
        const parsed = parseJson(t);
        // Not JSON after all: the text is sent as typed. JSON that breaks a limit is an error, never dropped.
        if (parsed.ok || !parsed.message.startsWith('Not valid JSON')) return parsed;
        return { ok: true, value: text };
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
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  return isPlainObject(parsed.value) ? { ok: true, value: parsed.value } : { ok: false, message: 'Metadata must be a JSON object ({…})' };
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
