/**
 * "Copy diagnostics" (Help menu): what a bug report needs and nothing it must not carry: versions, the
 * profiles' environments and key fingerprints, run states. No key, no email (redacted again as a last
 * line of defence).
 */
import type { ProfileView } from '../../../shared/domain/profile.ts';
import type { RunSummary } from '../../../shared/domain/send/types.ts';
import { redact } from './redact.ts';

export type DiagnosticsInput = {
  appVersion: string;
  packaged: boolean;
  versions: { electron?: string | undefined; chrome?: string | undefined; node?: string | undefined };
  os: { platform: string; release: string; arch: string };
  profiles: ProfileView[];
  runs: RunSummary[];
  activeRunIds: string[];
  logDir: string;
  now: number;
};

export function buildDiagnostics(d: DiagnosticsInput): string {
  const lines = [
    `Invite Desk ${d.appVersion}${d.packaged ? '' : ' (development build)'}`,
    `Electron ${d.versions.electron ?? '?'}, Chromium ${d.versions.chrome ?? '?'}, Node ${d.versions.node ?? '?'}`,
    `OS: ${d.os.platform} ${d.os.release} (${d.os.arch})`,
    `Generated: ${new Date(d.now).toISOString()}`,
    `Logs: ${d.logDir}`,
    '',
    `Profiles (${d.profiles.length}):`,
    ...d.profiles.map((p) => `- ${p.isSandbox ? 'Sandbox' : p.environment}, key ${p.fingerprint}, instance ${p.instanceId}`),
    '',
    `Runs (${d.runs.length}, last 20):`,
    ...d.runs.slice(0, 20).map((r) => {
      const c = r.counts;
      const live = d.activeRunIds.includes(r.id) ? ', sending now' : '';
      const reason = r.pauseReason ? `: ${r.pauseReason}` : '';
      return `- ${r.id} ${r.kind} ${r.environment} ${r.state}${live}${reason}; ${c.total} rows: ${c.sent} sent, ${c.failed} failed, ${c.skipped} skipped, ${c.queued} queued, ${c.inflight} in flight, ${c.cancelled} cancelled`;
    }),
  ];
  return redact(lines.join('\n'));
}
