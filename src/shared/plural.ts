/**
 * Counts in words: `plural(1, 'row')` is "1 row", `plural(1234, 'row')` "1,234 rows" (the number in the user's
 * locale). Irregular nouns name their plural: `plural(n, 'person', 'people')`. One helper, so no screen says "1 rows".
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString()} ${noun(n, singular, pluralForm)}`;
}

/** Just the noun that agrees with `n` ("row" or "rows"), for sentences that put the number elsewhere. */
export function noun(n: number, singular: string, pluralForm = `${singular}s`): string {
  return n === 1 ? singular : pluralForm;
}

/** Sheet rows named by number, the first `max` of them (0-based in, 1-based out): "row 3", "rows 1, 2, 5…". */
export function rowsNamed(rows: readonly number[], max = 8): string {
  return `${noun(rows.length, 'row')} ${rows
    .slice(0, max)
    .map((r) => r + 1)
    .join(', ')}${rows.length > max ? '…' : ''}`;
}
