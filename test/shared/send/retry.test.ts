import { describe, expect, it } from 'vitest';
import { ordinal, retryLine } from '../../../src/shared/domain/send/retry.ts';

describe('the run page’s retry line', () => {
  it('numbers tries the way people say them', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ]);
  });

  it('says what Clerk answered, which try, and when the next one goes', () => {
    const at = (t: number) => `T${t}`;
    const inMs = (ms: number) => `${ms} ms`;
    expect(retryLine({ status: 503, code: 'service_unavailable', attempt: 3, nextAt: 5000 }, 1000, at, inMs)).toBe(
      'Clerk answered 503, 3rd try; next at T5000 (in 4000 ms)',
    );
    expect(retryLine({ status: null, code: null, attempt: 1, nextAt: 900 }, 1000, at, inMs)).toBe(
      'Clerk did not answer, 1st try; trying again now',
    );
  });
});
