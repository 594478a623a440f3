/** A failed connection to Clerk in words: socket codes (ECONNREFUSED, ENOTFOUND…) say nothing to an ops person. */
/** Socket codes in words: "ECONNREFUSED" means nothing to the person reading it (issue 21 #9). */
const SOCKET_WORDS: Record<string, string> = {
  ECONNREFUSED: 'nothing answers at that address (connection refused): check the API base URL, or start the server it names',
  ENOTFOUND: 'that host name does not exist (DNS found nothing): check the API base URL and your network',
  EAI_AGAIN: 'the host name could not be looked up (DNS did not answer): check your network',
  ENETUNREACH: 'no network route to it: check your connection',
  ENETDOWN: 'the network is down: check your connection',
  EHOSTUNREACH: 'no route to that host: check your connection or VPN',
  ECONNRESET: 'the connection was cut before an answer came',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
};

/** The first socket code down fetch's chain of causes (TypeError → cause → AggregateError of attempts). */
function codeOf(e: unknown, depth = 0): string {
  if (depth > 4 || typeof e !== 'object' || e === null) return '';
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = codeOf((e as { cause?: unknown }).cause, depth + 1);
  if (inner) return inner;
  const errors = (e as { errors?: unknown }).errors;
  return Array.isArray(errors) ? (errors.map((x) => codeOf(x, depth + 1)).find(Boolean) ?? '') : '';
}

/** Why a request got no usable answer, in words the person reading it can act on. */
export function describe(cause: unknown): string {
  const code = codeOf(cause);
  if (code) return SOCKET_WORDS[code] ?? `the connection failed (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}
