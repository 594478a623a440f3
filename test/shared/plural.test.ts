import { describe, expect, it } from 'vitest';
import { noun, plural, rowsNamed } from '../../src/shared/plural.ts';

describe('plural', () => {
  it('says "1 row", never "1 rows"', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(2, 'duplicate')).toBe('2 duplicates');
  });
  it('writes the number in the locale and takes an irregular plural', () => {
    expect(plural(1234, 'row')).toBe(`${(1234).toLocaleString()} rows`);
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(3, 'person', 'people')).toBe('3 people');
  });
  it('gives the agreeing noun alone', () => {
    expect(noun(1, 'invitation')).toBe('invitation');
    expect(noun(5, 'invitation')).toBe('invitations');
  });
});

describe('rowsNamed', () => {
  it('names sheet rows by their number as people count them, the first eight, then an ellipsis', () => {
    expect(rowsNamed([2])).toBe('row 3');
    expect(rowsNamed([0, 1, 4])).toBe('rows 1, 2, 5');
    expect(rowsNamed([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe('rows 1, 2, 3, 4, 5, 6, 7, 8…');
  });
});
