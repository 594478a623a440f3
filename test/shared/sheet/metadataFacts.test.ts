import { describe, expect, it } from 'vitest';
import { metadataFact, metadataLabel } from '../../../src/shared/domain/sheet/metadataFacts.ts';

describe('metadata facts in the UI', () => {
  it('organization sheets label metadata as landing on the membership, not the user', () => {
    expect(metadataLabel('org', 'public')).toBe('Public metadata of the membership');
    expect(metadataLabel('org', 'private')).toBe('Private metadata of the membership');
    expect(metadataLabel('app', 'public')).toBe('Public metadata of the user');
    expect(metadataFact('org')).toMatch(/organization membership once accepted, not on the user/);
  });
});
