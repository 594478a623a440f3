/** The Invitations page's filters as one SQL condition over `inventory i` (parameters bound, never spliced). */
import { emailKey } from '../../../shared/domain/email.ts';
import type { InventoryFilter } from '../../../shared/domain/inventory/types.ts';
import type { SqlValue } from '../db/types.ts';

export type Where = InventoryFilter & { profileId: string; now: number };

const DAY = 86_400_000;
/** LIKE's wildcards in what the user typed are literal characters. */
const likeText = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function whereOf(w: Where): { sql: string; params: SqlValue[] } {
  const parts = ['i.profile_id = ?'];
  const params: SqlValue[] = [w.profileId];
  const search = (w.search ?? '').trim();
  if (search !== '') {
    const key = emailKey(search);
    if (key.startsWith('@') || (!key.includes('@') && /^[^\s@]+\.[^\s@]+$/.test(key) && !key.includes(' '))) {
      // A domain: exactly it or one of its subdomains (`@acme.com` finds `eu.acme.com` too), else an email part.
      const domain = key.replace(/^@/, '');
      parts.push(
        key.startsWith('@')
          ? `(i.domain = ? OR i.domain LIKE ? ESCAPE '\\')`
          : `(i.domain = ? OR i.domain LIKE ? ESCAPE '\\' OR i.email_key LIKE ? ESCAPE '\\')`,
      );
      params.push(domain, `%.${likeText(domain)}`);
      if (!key.startsWith('@')) params.push(`%${likeText(key)}%`);
    } else {
      parts.push(`i.email_key LIKE ? ESCAPE '\\'`);
      params.push(`%${likeText(key)}%`);
    }
  }
  if (w.status && w.status.length > 0) {
    parts.push(`i.status IN (${w.status.map(() => '?').join(', ')})`);
    params.push(...w.status);
  }
  if (w.kind) {
    parts.push('i.kind = ?');
    params.push(w.kind);
  }
  if (w.organizationId) {
    parts.push('i.organization_id = ?');
    params.push(w.organizationId);
  }
  if (w.olderThanDays !== undefined) {
    parts.push('i.created_at <= ?');
    params.push(w.now - w.olderThanDays * DAY);
  }
  if (w.expiringWithinDays !== undefined) {
    parts.push(`i.status = 'pending' AND i.expires_at IS NOT NULL AND i.expires_at > ? AND i.expires_at <= ?`);
    params.push(w.now, w.now + w.expiringWithinDays * DAY);
  }
  if (w.origin) parts.push(w.origin === 'ours' ? 'i.run_id IS NOT NULL' : 'i.run_id IS NULL');
  return { sql: parts.join(' AND '), params };
}
