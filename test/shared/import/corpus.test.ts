/** The import corpus: real-world shapes and hostile files, each with the outcome a user should see (expected.json). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, importOutcome } from './corpus.ts';

const expected = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Record<string, { what: string }>;
const files = readdirSync(CORPUS).filter((f) => !/\.(ts|json|md)$/.test(f));

describe('import corpus', () => {
  it('has an expected outcome for every file', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files.map((f) => [f, expected[f]?.what ?? '']))('%s: %s', async (file) => {
    const { what: _what, ...outcome } = expected[file]!;
    expect(await importOutcome(file)).toEqual(outcome);
  });
});
