/**
 * What a run was sent with, under Clerk's wire names as the review showed them: read from the options a run keeps
 * (the sheet's settings and column mapping when it started), not a JSON dump.
 */
import { targetLabel, type SheetColumn, type SheetSettings } from '../sheet/types.ts';
import type { ReviewFact } from './summary.ts';
import type { RunOp } from './limits.ts';
import type { RunOptions } from './types.ts';

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const orDefault = (v: string, show: (v: string) => string = (x) => x) => (v.trim() === '' ? 'not sent: Clerk’s default' : show(v.trim()));

export function runOptionFacts(options: RunOptions | null, op: RunOp): ReviewFact[] | null {
  const s: SheetSettings | null | undefined = options?.settings;
  if (!s) return null;
  const columns: SheetColumn[] = options?.columns ?? [];
  const byColumn = (field: string) => {
    const c = columns.find((x) => x.target.kind === 'field' && x.target.field === field);
    return c ? ` (a row’s “${c.header}” cell wins)` : '';
  };
  const app = s.kind === 'app';
  const keys = (scope: 'public' | 'private', template: string) => {
    const cols = columns.filter(
      (c) =>
        (c.target.kind === 'meta' && c.target.scope === scope) || (c.target.kind === 'field' && c.target.field === `${scope}_metadata`),
    );
    let tpl: string[] = [];
    try {
      const v: unknown = template.trim() ? JSON.parse(template) : {};
      if (v && typeof v === 'object' && !Array.isArray(v)) tpl = Object.keys(v);
    } catch {
      // A template that does not parse was refused before the run started.
    }
    const parts = [...tpl.map((k) => `${k} (template)`), ...cols.map((c) => `${targetLabel(c.target)} from “${c.header}”`)];
    return parts.length ? parts.join(', ') : 'none (not sent)';
  };
  const facts: ReviewFact[] = [
    ...(op === 'revoke' ? [{ wire: 'op', label: 'What this run did', value: 'revoked the pending invitations of its rows' }] : []),
    { wire: 'notify', label: 'Clerk emails the invitation', value: yesNo(s.notify) + byColumn('notify') },
    app
      ? { wire: 'ignore_existing', label: 'Invite even if already a user', value: yesNo(s.ignoreExisting) + byColumn('ignore_existing') }
      : { wire: 'ignore_existing', label: 'Invite even if already a user', value: 'not sent: organization invitations have none' },
    { wire: 'expires_in_days', label: 'Expires in', value: orDefault(s.expiresInDays, (d) => `${d} days`) + byColumn('expires_in_days') },
    {
      wire: 'redirect_url',
      label: 'After accepting, goes to',
      value: orDefault(s.redirectUrl, (u) => `“${u}”`) + byColumn('redirect_url'),
    },
    app
      ? { wire: 'template_slug', label: 'Email template', value: (s.templateSlug || 'not sent: invitation') + byColumn('template_slug') }
      : { wire: 'template_slug', label: 'Email template', value: 'not sent: organization invitations have one template' },
    ...(app
      ? []
      : [
          {
            wire: 'organization_id',
            label: 'Organization',
            value: `${s.organizationName || '?'} (${s.organizationId})` + byColumn('organization_id'),
          },
          { wire: 'role', label: 'Role', value: (s.role || 'from the rows') + byColumn('role') },
          {
            wire: 'inviter_user_id',
            label: 'Invited by',
            value: (s.inviterUserId || 'not sent: the instance') + byColumn('inviter_user_id'),
          },
        ]),
    { wire: 'public_metadata', label: 'Public metadata', value: keys('public', s.templatePublic) },
    ...(app ? [] : [{ wire: 'private_metadata', label: 'Private metadata', value: keys('private', s.templatePrivate) }]),
  ];
  return facts;
}
