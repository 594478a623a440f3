/**
 * The review's "what each invitation says": every option Clerk receives, under its wire name, with its one value
 * or how it varies by row, and the first row's body exactly as sent. Built from the requests the run will send.
 */
import type { RowRequest } from '../sheet/validate.ts';
import { wireBody } from './wire.ts';

export type ReviewFact = { wire: string; label: string; value: string };
export type ReviewWhat = { facts: ReviewFact[]; sample: { sheetRow: number; body: Record<string, unknown> } | null };

const MAX_SHOWN = 3;
const quote = (v: string) => `“${v.length > 60 ? `${v.slice(0, 59)}…` : v}”`;

/** One value: that value. Several: how many, and the first few with how many rows have each. */
function values<T>(reqs: readonly RowRequest[], pick: (r: RowRequest) => T, show: (v: T) => string): string {
  const counts = new Map<T, number>();
  for (const r of reqs) {
    const v = pick(r);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size <= 1) return show([...counts.keys()][0] as T);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_SHOWN);
  return `varies by row: ${top.map(([v, n]) => `${show(v)} (${n.toLocaleString('en-US')})`).join(', ')}${counts.size > MAX_SHOWN ? `, … ${counts.size} values in all` : ''}`;
}

function keysOf(reqs: readonly RowRequest[], scope: 'publicMetadata' | 'privateMetadata'): string {
  const keys = new Map<string, number>();
  for (const r of reqs) for (const k of Object.keys(r[scope])) keys.set(k, (keys.get(k) ?? 0) + 1);
  if (keys.size === 0) return 'none (not sent)';
  const list = [...keys].slice(0, 8).map(([k, n]) => (n === reqs.length ? k : `${k} (${n.toLocaleString('en-US')} rows)`));
  return `keys ${list.join(', ')}${keys.size > 8 ? `, … ${keys.size} keys in all` : ''}`;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function reviewWhat(rows: readonly { sheetRow: number; request: RowRequest }[], kind: 'app' | 'org'): ReviewWhat {
  const reqs = rows.map((r) => r.request);
  const first = rows[0];
  if (!first) return { facts: [], sample: null }; // nothing will be sent: nothing to describe
  const facts: ReviewFact[] = [
    { wire: 'notify', label: 'Clerk emails the invitation', value: values(reqs, (r) => r.notify, yesNo) },
    kind === 'app'
      ? { wire: 'ignore_existing', label: 'Invite even if already a user', value: values(reqs, (r) => r.ignoreExisting, yesNo) }
      : { wire: 'ignore_existing', label: 'Invite even if already a user', value: 'not sent: organization invitations have none' },
    {
      wire: 'expires_in_days',
      label: 'Expires in',
      value: values(
        reqs,
        (r) => r.expiresInDays ?? null,
        (d) => (d === null ? 'not sent: Clerk’s default' : `${d} days`),
      ),
    },
    {
      wire: 'redirect_url',
      label: 'After accepting, goes to',
      value: values(
        reqs,
        (r) => r.redirectUrl ?? null,
        (u) => (u === null ? 'not sent: Clerk’s default' : quote(u)),
      ),
    },
    kind === 'app'
      ? {
          wire: 'template_slug',
          label: 'Email template',
          value: values(
            reqs,
            (r) => r.templateSlug ?? null,
            (t) => (t === null ? 'not sent: invitation' : t),
          ),
        }
      : { wire: 'template_slug', label: 'Email template', value: 'not sent: organization invitations have one template' },
    ...(kind === 'org'
      ? [
          {
            wire: 'role',
            label: 'Role',
            value: values(
              reqs,
              (r) => r.role ?? '',
              (v) => v,
            ),
          },
          {
            wire: 'inviter_user_id',
            label: 'Invited by',
            value: values(
              reqs,
              (r) => r.inviterUserId ?? null,
              (v) => (v === null ? 'not sent: the instance' : v),
            ),
          },
        ]
      : []),
    { wire: 'public_metadata', label: 'Public metadata', value: keysOf(reqs, 'publicMetadata') },
    ...(kind === 'org' ? [{ wire: 'private_metadata', label: 'Private metadata', value: keysOf(reqs, 'privateMetadata') }] : []),
  ];
  return { facts, sample: first ? { sheetRow: first.sheetRow, body: wireBody(first.request, kind) } : null };
}
