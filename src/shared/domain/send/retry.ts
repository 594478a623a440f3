/** The run page's line while a request is being retried: what Clerk answered, which try, when the next one goes. */
import type { RunRetry } from './types.ts';

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** “Clerk answered 503, 3rd try; next at 14:05:07 (in 6 s)”, then the retry's note if any. `at` formats a time of day, `inMs` a duration. */
export function retryLine(retry: RunRetry, now: number, at: (t: number) => string, inMs: (ms: number) => string): string {
  const answer = retry.status === null ? 'Clerk did not answer' : `Clerk answered ${retry.status}`;
  const next =
    retry.nextAt === null || retry.nextAt <= now ? 'trying again now' : `next at ${at(retry.nextAt)} (in ${inMs(retry.nextAt - now)})`;
  return `${answer}, ${ordinal(retry.attempt)} try; ${next}${retry.note ? `. ${retry.note}` : ''}`;
}
