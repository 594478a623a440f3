/**
 * Repair runs (issue 24): the metadata a check found missing is written to the user (application) or the membership
 * (organization) with Clerk's deep-merge PATCH, one user a request on the general limit. Each request first reads
 * what is there now and writes only the keys still as the check saw them: a key someone changed since is left alone,
 * one already in place is not written again. An unknown outcome is looked up the same way (read, compare) before
 * any retry. Per user: one row per run and at most the engine's 5 attempts, under Clerk's 10 writes per 10 s.
 */
import { lanesFor, type RunOp } from '../../../../../shared/domain/send/limits.ts';
import { explain } from '../../../../../shared/domain/send/messages.ts';
import { keyLabel, type MetaPair } from '../../../../../shared/domain/metadata/landed.ts';
import { patchOf, writeNow, type RepairWrite } from '../../../../../shared/domain/metadata/repairPlan.ts';
import type { RowRequest } from '../../../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../../../clerk/client.ts';
import { ClerkApiError } from '../../../clerk/errors.ts';
import { classify, rateLimited, type Decision } from '../../classify.ts';
import type { QueuedRow } from '../../journalTypes.ts';
import type { BatchAnswer, Found, Operation } from '../operation.ts';
import { noStatus } from './shared.ts';

/** The status a repaired row is journaled with (its "invitation id" is the user's id). */
export const REPAIRED = 'repaired';

type Held = { pair: MetaPair; updatedAt: number };

const gone = (what: string) =>
  new ClerkApiError({
    status: 404,
    errors: [{ code: 'resource_not_found', message: 'not found', longMessage: `${what} not found`, meta: { param_name: 'user_id' } }],
    retryAfterSeconds: null,
    traceId: null,
  });

/** What the user (or the membership) holds now. */
async function held(client: ClerkClient, kind: 'app' | 'org', row: RowRequest): Promise<Held> {
  const userId = row.repair?.userId ?? '';
  if (kind === 'app') {
    const u = await client.getUser(userId);
    return { pair: { public: u.publicMetadata, private: u.privateMetadata }, updatedAt: u.updatedAt };
  }
  const page = await client.listOrganizationMemberships(row.organizationId ?? '', { userIds: [userId], limit: 10 });
  const m = page.data.find((x) => x.userId === userId);
  if (!m) throw gone('membership');
  return { pair: { public: m.publicMetadata, private: m.privateMetadata }, updatedAt: m.updatedAt };
}

const names = (ws: RepairWrite[]) => ws.map(keyLabel).join(', ');
const leftNote = (changed: RepairWrite[]) => (changed.length ? `Left alone (changed since the check): ${names(changed)}.` : null);

function done(row: RowRequest, updatedAt: number, note: string | null): BatchAnswer {
  const created = {
    email: row.emailAddress,
    id: row.repair?.userId ?? '',
    status: REPAIRED,
    url: null,
    expiresAt: null,
    createdAt: updatedAt,
  };
  return { done: [{ index: 0, created: note ? { ...created, note } : created }], unknown: [] };
}

function repairOp(kind: 'app' | 'org'): Operation {
  const op: RunOp = 'repair';
  return {
    kind,
    op,
    lanes: lanesFor(kind, op),
    sendsEmail: false,
    async send(client, _lane, rows) {
      const row = rows[0]!;
      const writes = row.repair?.writes ?? [];
      const now = await held(client, kind, row);
      const decided = writes.map((w) => [w, writeNow(w, now.pair)] as const);
      const toWrite = decided.filter(([, d]) => d === 'write').map(([w]) => w);
      const changed = decided.filter(([, d]) => d === 'changed').map(([w]) => w);
      if (toWrite.length === 0) return done(row, now.updatedAt, leftNote(changed) ?? 'Already in place: nothing written.');
      const patch = patchOf(toWrite);
      const userId = row.repair?.userId ?? '';
      const after =
        kind === 'app'
          ? await client.updateUserMetadata(userId, patch)
          : await client.updateOrganizationMembershipMetadata(row.organizationId ?? '', userId, patch);
      const pair = { public: after.publicMetadata, private: after.privateMetadata };
      // A 200 that does not show the keys written is not proof: looked up like a timeout.
      if (!toWrite.every((w) => writeNow(w, pair) === 'in_place')) return { done: [], unknown: [0] };
      return done(row, after.updatedAt, leftNote(changed));
    },
    classify(e, batch: QueuedRow[]): Decision {
      if (e.status === 429) return rateLimited(e, 'general');
      if (e.status === 404) {
        const who = kind === 'app' ? 'This account' : 'This membership';
        return {
          kind: 'rows',
          fail: [{ row: batch[0]!, code: 'resource_not_found', message: `${who} no longer exists in Clerk: nothing to repair.` }],
          duplicates: [],
        };
      }
      if (e.status === 401 || e.status === 403) return classify(e, 'revoke', batch, false);
      return {
        kind: 'rows',
        fail: [{ row: batch[0]!, code: e.code, message: explain(e.code, `${e.longMessage || e.message} (HTTP ${e.status} ${e.code})`) }],
        duplicates: [],
      };
    },
    /** After an unknown outcome: every key in place → done (ours when written since the request); else null → retry. */
    async lookUp(client, row): Promise<Found> {
      const now = await held(client, kind, row);
      const writes = row.repair?.writes ?? [];
      const states = writes.map((w) => writeNow(w, now.pair));
      if (states.some((s) => s === 'write')) return null;
      const changed = writes.filter((_, i) => states[i] === 'changed');
      const note = leftNote(changed);
      return {
        ...(note ? { note } : {}),
        id: row.repair?.userId ?? '',
        status: REPAIRED,
        url: null,
        createdAt: now.updatedAt,
        already: note ?? 'Already in place: nothing written.',
      };
    },
    statusNow: noStatus,
  };
}

export const appRepair = repairOp('app');
export const orgRepair = repairOp('org');
