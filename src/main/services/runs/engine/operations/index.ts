/** Every operation a run can carry, by its run's kind and op. */
import type { RunOp } from '../../../../../shared/domain/send/limits.ts';
import type { Operation } from '../operation.ts';
import { appCreate } from './appCreate.ts';
import { appRevoke } from './appRevoke.ts';
import { appRepair, orgRepair } from './metadataRepair.ts';
import { orgCreate } from './orgCreate.ts';
import { orgRevoke } from './orgRevoke.ts';

const OPERATIONS: Record<'app' | 'org', Record<RunOp, Operation>> = {
  app: { create: appCreate, revoke: appRevoke, repair: appRepair },
  org: { create: orgCreate, revoke: orgRevoke, repair: orgRepair },
};

export const operationFor = (kind: 'app' | 'org', op: RunOp): Operation => OPERATIONS[kind][op];
