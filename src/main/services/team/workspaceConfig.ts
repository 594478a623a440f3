/**
 * The workspace choice, kept outside the databases: a small JSON file beside this computer’s SQLite file (the app
 * must know which database to open before opening one). Read through a zod decoder: a missing file is "This computer";
 * a broken, oversized or hostile one is "This computer" too, with a warning saying what was wrong and what to do,
 * never a crash. Written whole to a temp file and renamed, so a crash mid-write leaves the old choice.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { WorkspaceConfig } from '../../../shared/domain/workspace.ts';
import { parseTeamUrl } from './workspace.ts';

export const WORKSPACE_FILE = 'workspace.json';
/** A real file is under 1 KB: anything far bigger is not ours. */
const MAX_BYTES = 64 * 1024;

/** The file sits beside the SQLite database (the app's data folder, or where INVITE_DESK_DB points in development). */
export const workspaceConfigPath = (dbPath: string) => join(dirname(dbPath), WORKSPACE_FILE);

const teamUrl = z
  .string()
  .max(2000)
  .superRefine((url, ctx) => {
    try {
      if (parseTeamUrl(url).password !== null)
        ctx.addIssue({ code: 'custom', message: 'the URL holds a password (it belongs in the keychain)' });
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : 'not a postgres:// URL' });
    }
  });

// Unknown keys are dropped, not refused: a newer Invite Desk may add some, and an older one reading its file must
// still find the team workspace rather than fall back to this computer’s data.
const decoder = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).transform((): WorkspaceConfig => ({ kind: 'local' })),
  z
    .object({ kind: z.literal('team'), url: teamUrl, tls: z.boolean(), fourEyes: z.boolean().default(false) })
    .transform((v): WorkspaceConfig => ({ kind: 'team', url: parseTeamUrl(v.url).url, tls: v.tls, fourEyes: v.fourEyes })),
]);

export type WorkspaceChoice = { config: WorkspaceConfig; warning: string | null };
const LOCAL: WorkspaceConfig = { kind: 'local' };

function unreadable(file: string, why: string): WorkspaceChoice {
  return {
    config: LOCAL,
    warning:
      `The workspace setting (${file}) could not be read: ${why}. Invite Desk uses this computer’s own data until you choose ` +
      'the workspace again (View → Workspace). If you work in a team workspace, choose it again before sending.',
  };
}

export function readWorkspaceConfig(file: string): WorkspaceChoice {
  let text: string;
  try {
    if (statSync(file).size > MAX_BYTES) return unreadable(file, `it is larger than ${MAX_BYTES / 1024} KB`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return { config: LOCAL, warning: null };
    return unreadable(
      file,
      (e as { code?: unknown }).code === 'EISDIR'
        ? 'it is a folder'
        : `the file cannot be opened (${String((e as { code?: unknown }).code ?? e)})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return unreadable(file, 'it is not JSON');
  }
  const parsed = decoder.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `“${issue.path.map(String).join('.')}”: ` : '';
    return unreadable(file, `${where}${(issue?.message ?? 'unexpected content').slice(0, 200)}`);
  }
  return { config: parsed.data, warning: null };
}

/** Writes the choice whole (temp file + rename: never half a file). Only the URL without password, TLS, four eyes. */
export function writeWorkspaceConfig(file: string, config: WorkspaceConfig): void {
  const clean = decoder.parse(config);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
