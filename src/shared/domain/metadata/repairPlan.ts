/**
 * What a repair writes for one row, from its check: every missing key (the value the row sent), and a key the user
 * now holds with another value only when the user ticked it. Each write remembers what was there at the check, so
 * the write itself can leave alone a key that changed since, and the review can show before → after.
 */
import { contains, deepMerge, same, type Differ, type Meta, type MetaKey, type MetaPair, type RowCheck, type Scope } from './landed.ts';

export type RepairWrite = {
  scope: Scope;
  key: string;
  /** What the row sent: what is written (a deep merge in Clerk). */
  value: unknown;
  /** Whether the key was there at the check, and its value then. */
  had: boolean;
  before?: unknown;
  /** The key's value once the write lands. */
  after: unknown;
  kind: 'missing' | 'overwrite';
};

/** One row of a repair run: whose metadata, and what to write. */
export type RepairRequest = { userId: string; writes: RepairWrite[] };

/** One row of the review: its changes, and the different keys left alone (not ticked). */
export type RepairRowPlan = { idx: number; email: string; userId: string; writes: RepairWrite[]; leftAlone: Differ[] };

/** A metadata check as it goes. */
export type CheckProgress = { runId: string; checked: number; total: number };

export type RepairChoice = { runId: string; overwrite?: string[]; rows?: number[] };

/** What the review shows: each row's changes, the different keys one may tick, the totals. */
export type RepairReview = {
  runId: string;
  rows: RepairRowPlan[];
  /** Keys some user holds with another value (ticking one overwrites it on every such row), with how many rows. */
  differing: { key: string; rows: number }[];
  writes: number;
  overwrites: number;
  leftAlone: number;
  checkedAt: number | null;
};

const isObject = (v: unknown): v is Meta => typeof v === 'object' && v !== null && !Array.isArray(v);
const afterOf = (before: unknown, value: unknown) => (isObject(before) && isObject(value) ? deepMerge(before, value) : value);

/** The writes for a checked row; `overwrite` says which different keys the user ticked. */
export function planRepair(
  check: Pick<RowCheck, 'missing' | 'differs' | 'now'>,
  sent: MetaPair,
  overwrite: (k: MetaKey) => boolean,
): { writes: RepairWrite[]; leftAlone: Differ[] } {
  const writes: RepairWrite[] = check.missing.map((k) => {
    const held = check.now[k.scope][k.key];
    const value = sent[k.scope][k.key];
    return { ...k, value, had: held !== undefined, ...(held !== undefined ? { before: held } : {}), after: value, kind: 'missing' };
  });
  const leftAlone: Differ[] = [];
  for (const d of check.differs) {
    if (!overwrite(d)) leftAlone.push(d);
    else
      writes.push({
        scope: d.scope,
        key: d.key,
        value: d.sent,
        had: true,
        before: d.now,
        after: afterOf(d.now, d.sent),
        kind: 'overwrite',
      });
  }
  return { writes, leftAlone };
}

/** The PATCH body's metadata for some writes: `{ public, private }`, each only with its keys. */
export function patchOf(writes: readonly RepairWrite[]): { publicMetadata: Meta; privateMetadata: Meta } {
  const of = (scope: Scope) => Object.fromEntries(writes.filter((w) => w.scope === scope).map((w) => [w.key, w.value]));
  return { publicMetadata: of('public'), privateMetadata: of('private') };
}

export type WriteNow = 'write' | 'in_place' | 'changed';

/**
 * Right before writing, against what Clerk holds now: already in place; still as at the check (write it); or
 * changed since the check by someone else (left alone: a repair never overwrites what it did not see).
 */
export function writeNow(w: RepairWrite, now: MetaPair): WriteNow {
  const held = now[w.scope][w.key];
  if (held !== undefined && held !== null && contains(held, w.value)) return 'in_place';
  const unchanged = w.had ? same(held, w.before) : held === undefined || held === null;
  return unchanged ? 'write' : 'changed';
}
