/** "expiring in N days": so pending invitations can be followed up before they expire. */
const DAY = 86_400_000;

export function expiryLabel(expiresAt: number | null, status: string | null, now: number): string | null {
  if (expiresAt === null || (status !== null && status !== 'pending')) return null;
  const left = expiresAt - now;
  if (left <= 0) return 'expired';
  const days = Math.floor(left / DAY);
  if (days === 0) return 'expiring today';
  return `expiring in ${days} day${days === 1 ? '' : 's'}`;
}
