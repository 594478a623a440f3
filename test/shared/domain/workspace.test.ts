/** The switch's confirmation: exactly what moves where, in the three cases, with counts that agree with their noun. */
import { describe, expect, it } from 'vitest';
import { switchSummary } from '../../../src/shared/domain/workspace.ts';

const target = 'ops@db.acme.example:5432/invites (TLS on)';

describe('switch summary', () => {
  it('to a team workspace, this computer’s runs staying here', () => {
    expect(switchSummary({ to: 'team', target, local: { runs: 1, rows: 1 }, copyHistory: false })).toEqual([
      `Runs, sheets and profiles will be read from and written to ${target}.`,
      'Keys stay in this computer’s keychain; the database password is kept there too, never in a file.',
      'This computer’s history (1 run) stays here and is not copied.',
      'This computer’s profiles and sheets are brought along (copied; one the team already has for an instance is joined, with your key).',
      'Invite Desk restarts to switch.',
    ]);
  });

  it('to a team workspace with the history copied and checked', () => {
    expect(switchSummary({ to: 'team', target, local: { runs: 1204, rows: 56_001 }, copyHistory: true })[2]).toBe(
      'This computer’s history (1,204 runs, 56,001 rows) is copied into the team database and checked (counted before and after); it also stays here.',
    );
  });

  it('back to this computer: the team database left as it is', () => {
    expect(switchSummary({ to: 'local', target, local: { runs: 0, rows: 0 }, copyHistory: false })).toEqual([
      'Runs, sheets and profiles will be read from and written to this computer’s own database.',
      `The team database at ${target} is left as it is: nothing in it is changed or deleted, and your colleagues keep working in it.`,
      'Its password is removed from this computer’s keychain. Keys stay in this computer’s keychain.',
      'Invite Desk restarts to switch.',
    ]);
  });
});
