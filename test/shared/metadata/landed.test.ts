/** What “landed” means (issue 24): key by key, nested objects as deep merges leave them; and what a repair writes. */
import { describe, expect, it } from 'vitest';
import { checkLabel, compareMetadata, summaryLine } from '../../../src/shared/domain/metadata/landed.ts';
import { patchOf, planRepair, writeNow } from '../../../src/shared/domain/metadata/repairPlan.ts';

const pair = (pub: Record<string, unknown>, priv: Record<string, unknown> = {}) => ({ public: pub, private: priv });

describe('compareMetadata', () => {
  it('keys added since, nested or not, still count as landed; a changed or missing nested value does not', () => {
    const sent = pair({ plan: 'pro', team: { name: 'red', size: 3 }, tags: ['a', 'b'] });
    expect(
      compareMetadata(sent, pair({ plan: 'pro', team: { name: 'red', size: 3, lead: 'x' }, tags: ['a', 'b'], more: 1 }), 'u').status,
    ).toBe('landed');
    const c = compareMetadata(sent, pair({ team: { name: 'red' }, tags: ['a'] }), 'u');
    expect(checkLabel(c)).toBe(
      'missing: plan; differs: team (sent {"name":"red","size":3}, now {"name":"red"}), tags (sent ["a","b"], now ["a"])',
    );
  });

  it('organizations: private keys too, labelled; nobody with the address; a null sent is nothing to land', () => {
    const c = compareMetadata(pair({ plan: 'pro', gone: null }, { crm: 7 }), pair({ plan: 'pro' }, { crm: 8 }), 'u');
    expect(checkLabel(c)).toBe('differs: crm (private) (sent 7, now 8)');
    expect(checkLabel(compareMetadata(pair({ plan: 'pro' }), null, null))).toMatch(/^no account has this address now/);
    expect(checkLabel(compareMetadata(pair({ plan: 'pro' }), null, 'user_1'))).toBe('not a member now (left or removed)');
    expect(summaryLine({ accepted: 412, landed: 409, missing: 3, differs: 0, noAccount: 0 })).toBe('412 accepted: 409 landed, 3 missing');
  });
});

describe('planRepair and writeNow', () => {
  it('writes missing keys, a different key only when ticked (after = the deep merge), and never what changed since', () => {
    const sent = pair({ plan: 'pro', team: { name: 'red' }, seats: 3 });
    const check = compareMetadata(sent, pair({ plan: 'free', team: { name: 'blue', lead: 'x' } }), 'u');
    const plain = planRepair(check, sent, () => false);
    expect(plain.writes.map((w) => [w.key, w.kind])).toEqual([['seats', 'missing']]);
    expect(plain.leftAlone.map((d) => d.key)).toEqual(['plan', 'team']);
    const ticked = planRepair(check, sent, (k) => k.key === 'team');
    expect(ticked.writes.find((w) => w.key === 'team')).toMatchObject({
      before: { name: 'blue', lead: 'x' },
      after: { name: 'red', lead: 'x' },
    });
    expect(patchOf(ticked.writes)).toEqual({ publicMetadata: { seats: 3, team: { name: 'red' } }, privateMetadata: {} });
    const seats = ticked.writes[0]!;
    expect(writeNow(seats, pair({}))).toBe('write');
    expect(writeNow(seats, pair({ seats: 3 }))).toBe('in_place');
    expect(writeNow(seats, pair({ seats: 9 }))).toBe('changed');
    const team = ticked.writes[1]!;
    expect(writeNow(team, pair({ team: { name: 'blue', lead: 'x' } }))).toBe('write');
    expect(writeNow(team, pair({ team: { name: 'green' } }))).toBe('changed');
  });
});
