/**
 * The Sandbox's stand-in for people clicking their links (issue 24): accepts the pending invitations of a Sandbox
 * run, so the metadata check and repair can be tried without a Clerk account. Optionally as under clerk/javascript#7956
 * (bulk-made application invitations' metadata lost). Real instances are refused: people accept by email there.
 */
import { SANDBOX_PROFILE_ID } from '../../../shared/domain/profile.ts';
import type { ClerkEmulator } from '../../emulator/server.ts';
import { Failure } from '../failure.ts';
import type { RunsRepo } from '../runs/runsRepo.ts';

export function createSandboxAccept(deps: { repo: RunsRepo; emulator: () => ClerkEmulator | null }) {
  return (runId: string, lostInBulk = false): { accepted: number } => {
    const run = deps.repo.get(runId);
    if (!run) throw new Failure('run_not_found', 'That run no longer exists.');
    const emu = deps.emulator();
    if (run.profileId !== SANDBOX_PROFILE_ID || !emu)
      throw new Failure(
        'not_sandbox',
        'Only Sandbox invitations can be accepted from here: on a real instance, people accept them by email.',
      );
    const was = emu.behaviour.bulkMetadataLost;
    emu.behaviour.bulkMetadataLost = lostInBulk;
    try {
      const rows = deps.repo.rows(runId).filter((r) => r.state === 'sent' && (r.invitationStatus ?? 'pending') === 'pending');
      return { accepted: rows.filter((r) => emu.accept(r.email)).length };
    } finally {
      emu.behaviour.bulkMetadataLost = was;
    }
  };
}
