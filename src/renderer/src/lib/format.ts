/** Times, dates and durations the way people read them: one format for each, everywhere. */
const DAY = 86_400_000;
const dayStart = (t: number) => new Date(t).setHours(0, 0, 0, 0);
const time = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** A day relative to today: "", "tomorrow", "yesterday", else the date ("Dec 7", with the year when not this one). */
export function dayOf(t: number, now: number = Date.now()): string {
  const days = Math.round((dayStart(t) - dayStart(now)) / DAY);
  if (days === 0) return '';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return shortDate(t, now);
}

/** "Dec 7", with the year when it is not this one. */
function shortDate(t: number, now: number): string {
  const sameYear = new Date(t).getFullYear() === new Date(now).getFullYear();
  return new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** A time of day, with its day when it is not today ("tomorrow at 01:44": an ETA past midnight says so). */
export function clock(t: number, now: number = Date.now()): string {
  const day = dayOf(t, now);
  return day ? `${day} at ${time(t)}` : time(t);
}

/** When something happened, in lists: "14:05" today, else "Dec 5, 14:05" (and the year when not this one). */
export function when(t: number, now: number = Date.now()): string {
  const day = dayOf(t, now);
  return day === '' ? time(t) : day === 'yesterday' || day === 'tomorrow' ? `${day} ${time(t)}` : `${day}, ${time(t)}`;
}

/** A day in a narrow column: the time today, else the day ("yesterday", "Dec 3", "Jan 3, 2027"); fullWhen in its
 * tooltip gives the rest. */
export function dayWhen(t: number, now: number = Date.now()): string {
  return dayOf(t, now) || time(t);
}

/** A calendar day as main counts them (`2026-12-03`) the way the rest of the app writes days: "Dec 3" (and the year
 * when not this one). */
export function dayLabel(day: string, now: number = Date.now()): string {
  const [y, m, d] = day.split('-').map(Number);
  return y && m && d ? shortDate(new Date(y, m - 1, d).getTime(), now) : day;
}

/** The full date and time, for tooltips and exports read by people. */
export const fullWhen = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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
