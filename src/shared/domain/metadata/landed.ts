/**
 * Did the metadata land? What a row sent compared with what the user (application) or the membership (organization)
 * holds now: each top-level key landed, missing or different, as the run detail says it ("missing: plan, team",
 * "differs: plan (sent pro, now free)"), and a run's tally ("412 accepted: 409 landed, 3 missing").
 */
export type Meta = Record<string, unknown>;
export type Scope = 'public' | 'private';
export type MetaKey = { scope: Scope; key: string };
export type Differ = MetaKey & { sent: unknown; now: unknown };

/** Both kinds of metadata of one user or membership (applications: public only; private stays empty). */
export type MetaPair = { public: Meta; private: Meta };

export type CheckStatus = 'landed' | 'missing' | 'differs' | 'no_account';
export type RowCheck = {
  status: CheckStatus;
  /** Who accepted (the user; for organizations the membership is this user's). Null: nobody has the address now. */
  userId: string | null;
  missing: MetaKey[];
  differs: Differ[];
  /** What was there at the check (the repair's "before"). */
  now: MetaPair;
};

/** One row's check as the run detail shows it. */
export type RowCheckView = RowCheck & { idx: number; label: string; checkedAt: number };

export type CheckSummary = {
  runId: string;
  /** Accepted rows (and rows added as members) the check covered. */
  accepted: number;
  landed: number;
  missing: number;
  differs: number;
  noAccount: number;
  checkedAt: number | null;
  line: string;
};

const isObject = (v: unknown): v is Meta => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `now` holds everything `sent` holds (objects key by key, so keys added since do not count as a change). */
export function contains(now: unknown, sent: unknown): boolean {
  if (isObject(sent)) return isObject(now) && Object.entries(sent).every(([k, v]) => contains(now[k], v));
  if (Array.isArray(sent))
    return Array.isArray(now) && now.length === sent.length && sent.every((v, i) => contains(now[i], v) && contains(v, now[i]));
  return Object.is(now, sent);
}

/** Exactly equal (a value the user held at the check and still holds). */
export const same = (a: unknown, b: unknown): boolean => contains(a, b) && contains(b, a);

/** Clerk's deep merge, as a repair's write will land: objects key by key, null removes, the rest replaces. */
export function deepMerge(base: Meta, patch: Meta): Meta {
  const out: Meta = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = deepMerge(out[k], v);
    else out[k] = v;
  }
  return out;
}

/** Compares what a row sent with what is there now, key by key. `userId` null: no account has the address now. */
export function compareMetadata(sent: MetaPair, now: MetaPair | null, userId: string | null): RowCheck {
  const found = now ?? { public: {}, private: {} };
  const missing: MetaKey[] = [];
  const differs: Differ[] = [];
  for (const scope of ['public', 'private'] as const) {
    for (const [key, value] of Object.entries(sent[scope])) {
      if (value === null) continue; // a null sent removes nothing on creation: there is nothing to land
      const held = found[scope][key];
      if (held === undefined || held === null) missing.push({ scope, key });
      else if (!contains(held, value)) differs.push({ scope, key, sent: value, now: held });
    }
  }
  const status: CheckStatus = now === null ? 'no_account' : missing.length ? 'missing' : differs.length ? 'differs' : 'landed';
  return { status, userId, missing, differs, now: found };
}

export const keyLabel = (k: MetaKey): string => (k.scope === 'private' ? `${k.key} (private)` : k.key);

/** A value in a sentence: strings as they are, the rest as JSON, long ones cut. */
export function valueText(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** "metadata landed" / "missing: plan, team" / "differs: plan (sent pro, now free)" (both when both). */
export function checkLabel(c: Pick<RowCheck, 'status' | 'missing' | 'differs' | 'userId'>): string {
  if (c.status === 'no_account')
    return c.userId === null ? 'no account has this address now (deleted, or its address changed)' : 'not a member now (left or removed)';
  const parts: string[] = [];
  if (c.missing.length) parts.push(`missing: ${c.missing.map(keyLabel).join(', ')}`);
  if (c.differs.length)
    parts.push(`differs: ${c.differs.map((d) => `${keyLabel(d)} (sent ${valueText(d.sent)}, now ${valueText(d.now)})`).join(', ')}`);
  return parts.length ? parts.join('; ') : 'metadata landed';
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** "412 accepted: 409 landed, 3 missing" (only the parts there are; "none accepted yet" before any). */
export function summaryLine(s: Pick<CheckSummary, 'accepted' | 'landed' | 'missing' | 'differs' | 'noAccount'>): string {
  if (s.accepted === 0) return 'No accepted invitations checked yet';
  const parts = [
    `${fmt(s.landed)} landed`,
    ...(s.missing ? [`${fmt(s.missing)} missing`] : []),
    ...(s.differs ? [`${fmt(s.differs)} differ`] : []),
    ...(s.noAccount ? [`${fmt(s.noAccount)} without an account`] : []),
  ];
  return `${fmt(s.accepted)} accepted: ${parts.join(', ')}`;
}
