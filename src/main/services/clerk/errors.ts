/** Typed failures of a Clerk call: an error body from Clerk, or no usable answer at all. */
export type ClerkErrorItem = { code: string; message: string; longMessage: string; meta: Record<string, unknown> };

export class ClerkApiError extends Error {
  override readonly name = 'ClerkApiError';
  readonly status: number;
  readonly code: string;
  readonly longMessage: string;
  readonly meta: Record<string, unknown>;
  readonly errors: ClerkErrorItem[];
  /** Seconds from `Retry-After`, when Clerk sent one (429), at most the endpoint's window (see boundRetryAfter). */
  readonly retryAfterSeconds: number | null;
  /** What Clerk asked for, when it was more than the window allows (else null): the run page says so. */
  readonly retryAfterAskedSeconds: number | null;
  readonly traceId: string | null;

  constructor(init: {
    status: number;
    errors: ClerkErrorItem[];
    retryAfterSeconds: number | null;
    retryAfterAskedSeconds?: number | null;
    traceId: string | null;
  }) {
    const first = init.errors[0];
    super(first?.longMessage || first?.message || `Clerk answered HTTP ${init.status}`);
    this.status = init.status;
    this.errors = init.errors;
    this.code = first?.code ?? `http_${init.status}`;
    this.longMessage = first?.longMessage ?? this.message;
    this.meta = first?.meta ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.retryAfterAskedSeconds = init.retryAfterAskedSeconds ?? null;
    this.traceId = init.traceId;
  }
}

/** `bad_request`: refused before sending (nothing reached Clerk). */
export type TransportKind = 'timeout' | 'network' | 'redirect' | 'bad_response' | 'bad_request';

export class ClerkTransportError extends Error {
  override readonly name = 'ClerkTransportError';
  readonly kind: TransportKind;
  /**
   * The request never reached Clerk (no DNS answer, connection refused, no route): nothing can have been
   * created, so it may be resent without a look-up and costs the row no attempt. "Can't reach Clerk", not
   * "Clerk failed".
   */
  readonly unreachable: boolean;
  constructor(kind: TransportKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.unreachable = kind === 'network' && neverConnected(options?.cause);
  }
}

/** Socket error codes that mean the connection was never made (so no request was sent). */
const NOT_CONNECTED = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'ECONNREFUSED',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Walks fetch's error chain (TypeError → cause → AggregateError of per-address attempts) for a code. */
export function neverConnected(cause: unknown, depth = 0): boolean {
  if (depth > 4 || typeof cause !== 'object' || cause === null) return false;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return NOT_CONNECTED.has(code);
  const inner = (cause as { cause?: unknown }).cause;
  if (inner !== undefined) return neverConnected(inner, depth + 1);
  const errors = (cause as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => neverConnected(e, depth + 1));
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Reads Clerk's `{errors:[…]}` envelope; tolerates bodies that are not one (proxies, HTML pages). */
export function parseErrorBody(body: unknown): { errors: ClerkErrorItem[]; traceId: string | null } {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { errors?: unknown }).errors)) {
    return { errors: [], traceId: null };
  }
  const b = body as { errors: unknown[]; clerk_trace_id?: unknown };
  const errors = b.errors.map((e): ClerkErrorItem => {
    const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const meta = typeof o['meta'] === 'object' && o['meta'] !== null ? (o['meta'] as Record<string, unknown>) : {};
    return { code: str(o['code']), message: str(o['message']), longMessage: str(o['long_message']), meta };
  });
  return { errors, traceId: typeof b.clerk_trace_id === 'string' ? b.clerk_trace_id : null };
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Clerk's windows (API.md): the invitation creates' hourly limits, and every other call's general limit (per 10 s). */
export const HOURLY_WINDOW_SECONDS = 3600;
export const GENERAL_WINDOW_SECONDS = 10;

/** The window of the limit a call counts against: an hour for the invitation creates (single or bulk), else 10 s. */
export function windowSecondsOf(method: string, path: string): number {
  const p = path.split('?')[0] ?? '';
  // A waitlist invite may draw the hourly invitation budget (unknown: API.md), so its wait may be an hour's.
  const create = method === 'POST' && (/(^|\/)invitations(\/bulk)?\/?$/.test(p) || /(^|\/)waitlist_entries\/[^/]+\/invite\/?$/.test(p));
  return create ? HOURLY_WINDOW_SECONDS : GENERAL_WINDOW_SECONDS;
}

/**
 * A `Retry-After` longer than its limit's window cannot be needed (the window is over by then, fixed or sliding):
 * 3600000 s would block an instance for 41.7 days. Bounded to the window; `asked` keeps what Clerk said, when more.
 */
export function boundRetryAfter(seconds: number | null, windowSeconds: number): { seconds: number | null; asked: number | null } {
  if (seconds === null || seconds <= windowSeconds) return { seconds, asked: null };
  return { seconds: windowSeconds, asked: seconds };
}

/** “Clerk asked to wait 41 days 16 h; waiting at most 1 h (the limit’s window)”. */
export function retryAfterNote(askedSeconds: number, waitSeconds: number): string {
  return `Clerk asked to wait ${spell(askedSeconds)}; waiting at most ${spell(waitSeconds)} (the limit’s window)`;
}

/** A duration in its two largest units: 31 years 259 days, 41 days 16 h, 1 h, 10 s. */
function spell(seconds: number): string {
  const units: [number, string, string][] = [
    [365 * 86400, 'year', 'years'],
    [86400, 'day', 'days'],
    [3600, 'h', 'h'],
    [60, 'min', 'min'],
    [1, 's', 's'],
  ];
  const total = Math.max(0, Math.round(seconds));
  const first = units.findIndex(([size]) => total >= size);
  if (first === -1) return '0 s';
  const say = (n: number, [, one, many]: [number, string, string]) => `${n} ${n === 1 ? one : many}`;
  const [size] = units[first]!;
  const next = units[first + 1];
  const n = Math.floor(total / size);
  const m = next ? Math.floor((total - n * size) / next[0]) : 0;
  return next && m > 0 ? `${say(n, units[first]!)} ${say(m, next)}` : say(n, units[first]!);
}
