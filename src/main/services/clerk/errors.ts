/** Typed failures of a Clerk call: an error body from Clerk, or no usable answer at all. */
export type ClerkErrorItem = { code: string; message: string; longMessage: string; meta: Record<string, unknown> };

export class ClerkApiError extends Error {
  override readonly name = 'ClerkApiError';
  readonly status: number;
  readonly code: string;
  readonly longMessage: string;
  readonly meta: Record<string, unknown>;
  readonly errors: ClerkErrorItem[];
  /** Seconds from `Retry-After`, when Clerk sent one (429). */
  readonly retryAfterSeconds: number | null;
  readonly traceId: string | null;

  constructor(init: { status: number; errors: ClerkErrorItem[]; retryAfterSeconds: number | null; traceId: string | null }) {
    const first = init.errors[0];
    super(first?.longMessage || first?.message || `Clerk answered HTTP ${init.status}`);
    this.status = init.status;
    this.errors = init.errors;
    this.code = first?.code ?? `http_${init.status}`;
    this.longMessage = first?.longMessage ?? this.message;
    this.meta = first?.meta ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds;
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
