import { describe, expect, it } from 'vitest';
import { expiryLabel } from '../../../src/shared/domain/send/expiry.ts';

const DAY = 86_400_000;
describe('expiry label', () => {
  it('says how many days a pending invitation has left, and nothing for other statuses', () => {
    const now = 1_800_000_000_000;
    expect(expiryLabel(now + 3 * DAY + 5, 'pending', now)).toBe('expiring in 3 days');
    expect(expiryLabel(now + DAY, 'pending', now)).toBe('expiring in 1 day');
    expect(expiryLabel(now + 3_600_000, 'pending', now)).toBe('expiring today');
    expect(expiryLabel(now - 1, 'pending', now)).toBe('expired');
    expect(expiryLabel(now + DAY, 'accepted', now)).toBeNull();
    expect(expiryLabel(null, 'pending', now)).toBeNull();
  });
});
