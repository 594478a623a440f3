/** Every operation a run can carry, by its run's kind and op. */
import { isWaitlistOp, type RunOp, type WaitlistOp } from '../../../../../shared/domain/send/limits.ts';
import type { Operation } from '../operation.ts';
import { appCreate } from './appCreate.ts';
import { appRevoke } from './appRevoke.ts';
import { appRepair, orgRepair } from './metadataRepair.ts';
import { orgCreate } from './orgCreate.ts';
import { orgRevoke } from './orgRevoke.ts';
import { waitlistAdd, waitlistInvite, waitlistReject } from './waitlist.ts';

const OPERATIONS: Record<'app' | 'org', Record<Exclude<RunOp, WaitlistOp>, Operation>> = {
  app: { create: appCreate, revoke: appRevoke, repair: appRepair },
  org: { create: orgCreate, revoke: orgRevoke, repair: orgRepair },
};
/** Waitlist runs belong to the instance, not an organization: the same whatever the run's kind. */
const WAITLIST: Record<WaitlistOp, Operation> = {
  waitlist_invite: waitlistInvite,
  waitlist_reject: waitlistReject,
  waitlist_add: waitlistAdd,
};

export const operationFor = (kind: 'app' | 'org', op: RunOp): Operation => (isWaitlistOp(op) ? WAITLIST[op] : OPERATIONS[kind][op]);
