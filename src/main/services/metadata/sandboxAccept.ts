/**
 * The Sandbox's stand-in for people clicking their links (issue 24): accepts the pending invitations of a Sandbox
 * run, so the metadata check and repair can be tried without a Clerk account. Optionally as under clerk/javascript#7956
 * (bulk-made application invitations' metadata lost). Real instances are refused: people accept by email there.
 */
import { SANDBOX_PROFILE_ID } from '../../../shared/domain/profile.ts';
import type { ClerkEmulator } from '../../emulator/server.ts';
import { Failure } from '../failure.ts';
import { RUN_GONE } from '../runs/journalTypes.ts';
import type { Storage } from '../runs/engine/ports.ts';

export function createSandboxAccept(deps: { store: Pick<Storage, 'runs' | 'history'>; emulator: () => ClerkEmulator | null }) {
  return async (runId: string, lostInBulk = false): Promise<{ accepted: number }> => {
    const run = await deps.store.runs.get(runId);
    if (!run) throw new Failure('run_not_found', RUN_GONE);
    const emu = deps.emulator();
    if (run.profileId !== SANDBOX_PROFILE_ID || !emu)
      throw new Failure(
        'not_sandbox',
        'Only Sandbox invitations can be accepted from here: on a real instance, people accept them by email.',
      );
    const pending = (await deps.store.history.rows(runId)).filter(
      (r) => r.state === 'sent' && (r.invitationStatus ?? 'pending') === 'pending',
    );
    const was = emu.behaviour.bulkMetadataLost;
    emu.behaviour.bulkMetadataLost = lostInBulk;
    try {
      const rows = pending;
      return { accepted: rows.filter((r) => emu.accept(r.email)).length };
    } finally {
      emu.behaviour.bulkMetadataLost = was;
    }
  };
}
