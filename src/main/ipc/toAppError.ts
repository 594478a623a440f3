/** Any thrown value → the `AppError` the renderer sees: a stable code and a sentence with the next step. */
import type { Channel } from '../../shared/ipc/contract.ts';
import type { AppError } from '../../shared/result.ts';
import { ClerkApiError, ClerkTransportError } from '../services/clerk/errors.ts';
import { Failure } from '../services/failure.ts';
import { MigrationError } from '../services/db/migrate.ts';
import { isDiskFull } from '../services/runs/journalProblem.ts';
import { KeychainUnavailableError } from '../services/secrets/secretStore.ts';

const SECRET = /sk_(test|live)_[A-Za-z0-9]+/g;

/** Defence in depth: no message that crosses IPC may carry a secret key, whatever produced it. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET, (k) => `${k.slice(0, 8)}…${k.slice(-4)}`);
}

function clerkMessage(e: ClerkApiError): string {
  switch (e.status) {
    case 401:
      return `Clerk rejected the key: ${e.longMessage} Replace the profile's key.`;
    case 429:
      return `Clerk's rate limit was reached${e.retryAfterSeconds !== null ? `; try again in ${e.retryAfterSeconds} s` : ''}.`;
    default:
      return e.status >= 500
        ? `Clerk had an internal error (HTTP ${e.status}). Try again in a moment.`
        : e.longMessage || `Clerk answered HTTP ${e.status}.`;
  }
}

/** After “Disk full: free space, then …”: what to do where the user met it, and what was kept. */
const AFTER_DISK_FULL: Partial<Record<Channel, string>> = {
  'sheets:create': 'press Create again. The import is still open here.',
  'sheets:save': 'edit again to save. Your edits are kept in this window until they are saved.',
  'runs:start': 'start the run again.',
  'runs:resume': 'Resume.',
  'profiles:add': 'add the profile again.',
};

/** `channel`: the request that failed, for the next step of a message (a full disk says what to press). */
export function toAppError(e: unknown, channel?: Channel): AppError {
  let error: AppError;
  if (isDiskFull(e)) {
    error = { code: 'disk_full', message: `Disk full: free space, then ${(channel && AFTER_DISK_FULL[channel]) ?? 'try again.'}` };
  } else if (e instanceof Failure) {
    error = { code: e.code, message: e.message };
    if (e.field !== undefined) error.field = e.field;
    if (e.detail !== undefined) error.detail = e.detail;
  } else if (e instanceof KeychainUnavailableError) {
    error = { code: 'keychain_unavailable', message: e.message };
  } else if (e instanceof ClerkApiError) {
    error = {
      code: e.code,
      message: clerkMessage(e),
      detail: { status: e.status, longMessage: e.longMessage, meta: e.meta, retryAfterSeconds: e.retryAfterSeconds },
    };
  } else if (e instanceof ClerkTransportError) {
    error = {
      code: e.kind === 'timeout' ? 'clerk_timeout' : 'clerk_unreachable',
      message: `${e.message}. Check your connection and try again.`,
    };
  } else if (e instanceof MigrationError) {
    error = { code: 'database', message: e.message };
  } else {
    error = { code: 'internal', message: `Something went wrong inside Invite Desk: ${e instanceof Error ? e.message : String(e)}` };
  }
  error.message = scrubSecrets(error.message);
  if (error.detail) error.detail = JSON.parse(scrubSecrets(JSON.stringify(error.detail))) as Record<string, unknown>;
  return error;
}
