/** A column's target as a <select> value and back: the mapping step and the sheet's column menu pick targets alike. */
import { FIELDS, type ColumnTarget } from '../../../../shared/domain/sheet/types.ts';

export const encodeTarget = (t: ColumnTarget) =>
  t.kind === 'field' ? `field:${t.field}` : t.kind === 'meta' ? `meta:${t.scope}` : 'ignore';

export function decodeTarget(value: string, header: string, prev: ColumnTarget): ColumnTarget {
  if (value === 'ignore') return { kind: 'ignore' };
  const [kind, rest] = value.split(':') as [string, string];
  if (kind === 'field') return { kind: 'field', field: rest as (typeof FIELDS)[number] };
  const path =
    prev.kind === 'meta'
      ? prev.path
      : header
          .trim()
          .replace(/\s+/g, '_')
          .replace(/[^\w.-]/g, '') || 'key';
  return { kind: 'meta', scope: rest as 'public' | 'private', path, type: prev.kind === 'meta' ? prev.type : 'auto' };
}
