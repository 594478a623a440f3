/** Times and durations the way people read them. */
export const clock = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
/** For waits of seconds (retries), where the minute alone says little. */
export const clockSeconds = (t: number) =>
  new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export const endpointLabel = (e: string) =>
  ({
    'app.bulk': 'Bulk (≤10 each)',
    'app.single': 'Single',
    'org.bulk': 'Organization bulk (≤10 each)',
    'org.single': 'Organization single',
    general: 'Add as member (general limit, per 10 s)',
  })[e] ?? e;
