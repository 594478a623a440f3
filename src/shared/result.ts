/** What every IPC handler returns: handlers never throw across the process boundary. */
export type AppError = {
  /** Stable machine code the UI switches on (`clerk_key_invalid`, `keychain_unavailable`, …). */
  code: string;
  /** One sentence for the user: what went wrong and the next step to take. */
  message: string;
  /** Where the problem is, when it is a field of the request (`name`, `secretKey`, …). */
  field?: string;
  /** Extra detail a screen may show (Clerk's long message, HTTP status, retry-after). */
  detail?: Record<string, unknown>;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (error: AppError): Result<never> => ({ ok: false, error });

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
