/**
 * The last line of defence for logs and diagnostics: no Clerk secret key is ever written, whatever a
 * message carries, and email addresses are masked unless the user asked for them.
 */
const SECRET = /\b(sk|rk)_(?:live|test)_[A-Za-z0-9_-]{4,}/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
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

/** Redacts every string inside a value (log arguments: errors, objects), leaving other values as they are. */
export function redactValue(value: unknown, opts: { keepEmails?: boolean } = {}, depth = 0): unknown {
  if (typeof value === 'string') return redact(value, opts);
  if (value instanceof Error) return redact(value.stack ?? `${value.name}: ${value.message}`, opts);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, opts, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, opts, depth + 1)]));
}
