/**
 * Application invitations: bulk calls of up to 10 beside single ones, each lane on its own hourly limit. A reminder's
 * row (`replaces`) is first looked up: a pending invitation newer than the one it replaces means someone reminded the
 * person since this run's copy was read (a teammate's run that ended before this one began, the Dashboard), and the
 * row is done with that invitation and no second email. Asked at send time, after this run exists: a teammate's run
 * made later skips this one's rows (the instance lock), so every order of the two is covered.
 */
import { emailKey } from '../../../../../shared/domain/email.ts';
import { lanesFor } from '../../../../../shared/domain/send/limits.ts';
import { appParams } from '../../../../../shared/domain/send/wire.ts';
import type { RowRequest } from '../../../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../../../clerk/client.ts';
import { classify } from '../../classify.ts';
import type { BatchAnswer, Created, Operation } from '../operation.ts';
import { created, newestFor, noStatus, proven } from './shared.ts';

/** The pending invitation made since the one a reminder replaces, if any. */
async function remindedSince(client: ClerkClient, row: RowRequest): Promise<Created | null> {
  const was = row.replaces;
  if (!was) return null;
  const page = await client.listInvitations({ query: row.emailAddress, status: 'pending', limit: 100 });
  const key = emailKey(row.emailAddress);
  const newer = page.data
    .filter((i) => emailKey(i.emailAddress) === key && i.id !== was.invitationId && i.createdAt > was.createdAt)
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!newer) return null;
  const when = new Date(newer.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  return {
    ...created(newer),
    note: `Reminded already: a newer invitation was made ${when} UTC (another run or the Dashboard); no second email.`,
  };
}

export const appCreate: Operation = {
  kind: 'app',
  op: 'create',
  lanes: lanesFor('app', 'create'),
  // An account the pre-flight found, invited anyway: only a single call can bypass it (ignore_existing), never a bulk one.
  accepts: (lane, row) => lane.itemsPerCall === 1 || !(row.existingUser && row.ignoreExisting),
  sendsEmail: true,
  async send(client, lane, rows) {
    const done: BatchAnswer['done'] = [];
    const rest: number[] = [];
    for (const [index, row] of rows.entries()) {
      const since = await remindedSince(client, row);
      if (since) done.push({ index, created: since });
      else rest.push(index);
    }
    if (rest.length === 0) return { done, unknown: [] };
    const left = rest.map((i) => rows[i]!);
    const answer =
      lane.itemsPerCall > 1
        ? proven(await client.createInvitationsBulkChecked(left.map(appParams)))
        : proven(await client.createInvitationChecked(appParams(left[0]!)));
    // The answer's places are of the rows sent: said back as the batch's.
    return {
      done: [...done, ...answer.done.map((d) => ({ index: rest[d.index]!, created: d.created }))],
      unknown: answer.unknown.map((i) => rest[i]!),
    };
  },
  classify: (e, batch, bulk) => classify(e, 'create', batch, bulk),
  async lookUp(client, row) {
    const page = await client.listInvitations({ query: row.emailAddress, status: 'pending', limit: 100 });
    return newestFor(page.data, row.emailAddress);
  },
  statusNow: noStatus,
};
