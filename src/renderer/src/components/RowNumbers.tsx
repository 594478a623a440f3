/** "(rows 1, 2, 3…)" after a count in the review and history lists: which sheet rows it means, the first eight. */
import { rowsNamed } from '../../../shared/plural.ts';

export function RowNumbers({ rows }: { rows: readonly number[] }) {
  return <span className="muted">({rowsNamed(rows)})</span>;
}
