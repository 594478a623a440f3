/**
 * The last line of defence for logs and diagnostics: no Clerk secret key is ever written, whatever a
 * message carries, and email addresses are masked unless the user asked for them.
 */
/**
 * A key wherever it sits: glued to a letter or `_` (`xsk_live_…`, `secret_sk_live_…`: no word boundary to wait for),
 * after a URL-encoded quote or space (`%22sk_…`, `Bearer%20sk_…`), or with its underscores encoded (`sk%5Flive%5F…`).
 */
const SECRET = /(sk|rk)(?:_|%5F)(?:live|test)(?:_|%5F)[A-Za-z0-9_-]{4,}/gi;
/** A bearer token after spaces, tabs, `+` or `%20` (a URL-encoded header). */
const BEARER = /\b(Bearer)(?:\s|%20|\+)+[A-Za-z0-9._~+/=-]{8,}/gi;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*(\.[A-Za-z]{2,})\b/g;

export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_m, kind: string) => `${kind}_…[redacted]`).replace(BEARER, '$1 [redacted]');
}

/** `someone@example.com` → `s…@e….com`: enough to tell rows apart in a bug report, not to contact anyone. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (_m, first: string, domainFirst: string, tld: string) => `${first}…@${domainFirst}…${tld}`);
}

export function redact(text: string, opts: { keepEmails?: boolean } = {}): string {
  const safe = redactSecrets(text);
  return opts.keepEmails ? safe : maskEmails(safe);
}

/**
 * One log call's arguments. electron-log writes them joined by spaces, so a key split across two of them
 * (`log.info('key sk_live_Ab', 'Cd12…')`, or `'Bearer'` then the token) is one key in the file though neither
 * argument holds it: each key running across a boundary (joined as is, or with the space) is redacted on both sides.
 */
export function redactArgs(args: readonly unknown[], opts: { keepEmails?: boolean } = {}): unknown[] {
  const out = args.map((a) => (a instanceof Error ? (a.stack ?? `${a.name}: ${a.message}`) : a));
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i];
    const b = out[i + 1];
    if (typeof a !== 'string' || typeof b !== 'string') continue;
    for (const gap of ['', ' ']) {
      const joined = a + gap + b;
      for (const re of [SECRET, BEARER]) {
        for (const m of joined.matchAll(re)) {
          const start = m.index;
          const end = start + m[0].length;
          if (start < a.length && end > a.length + gap.length) {
            out[i] = `${a.slice(0, start)}[redacted]`;
            out[i + 1] = `[redacted]${b.slice(end - a.length - gap.length)}`;
          }
        }
      }
      if (out[i] !== a) break;
    }
  }
  return out.map((v) => redactValue(v, opts));
}

/** Redacts every string inside a value (log arguments: errors, objects), leaving other values as they are. */
export function redactValue(value: unknown, opts: { keepEmails?: boolean } = {}, depth = 0): unknown {
  if (typeof value === 'string') return redact(value, opts);
  if (value instanceof Error) return redact(value.stack ?? `${value.name}: ${value.message}`, opts);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, opts, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, opts, depth + 1)]));
}
