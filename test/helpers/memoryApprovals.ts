/**
 * An in-memory twin of the approvals port (the contract suite runs against it and PostgreSQL). Each method's checks
 * and writes happen with no await in between, which is what makes a decision atomic within one process.
 */
import { randomUUID } from 'node:crypto';
import {
  ApprovalRefusedError,
  refusal,
  summaryOf,
  type ApprovalsPort,
  type NewApproval,
  type StoredApproval,
} from '../../src/main/services/approvals/approvalsPort.ts';

export function memoryApprovals(): ApprovalsPort {
  const all = new Map<string, StoredApproval>();
  const copy = <T>(v: T): T => structuredClone(v);
  const must = (id: string) => {
    const a = all.get(id);
    if (!a) throw new ApprovalRefusedError('approval_not_found', 'That approval no longer exists.');
    return a;
  };
  return {
    async request(a: NewApproval) {
      const id = randomUUID();
      all.set(id, { ...copy(a), id, state: 'pending', decidedBy: null, decidedAt: null, reason: null, runId: null });
      return id;
    },
    async requestRun(a) {
      const had = [...all.values()].find((x) => x.kind === 'run' && x.plan.id === a.plan.id);
      if (had) return { id: had.id, state: had.state };
      const id = randomUUID();
      all.set(id, { ...copy(a), id, state: 'pending', decidedBy: null, decidedAt: null, reason: null, runId: null });
      return { id, state: 'pending' as const };
    },
    async pending(instanceId) {
      return [...all.values()]
        .filter((a) => a.state === 'pending' && (instanceId === undefined || a.instanceId === instanceId))
        .sort((x, y) => x.preparedAt - y.preparedAt)
        .map(summaryOf);
    },
    async recent(limit) {
      return [...all.values()]
        .sort((x, y) => y.preparedAt - x.preparedAt)
        .slice(0, limit)
        .map(summaryOf);
    },
    async get(id) {
      const a = all.get(id);
      return a ? copy(a) : null;
    },
    async decide(id, by, verdict, reason, now) {
      const a = all.get(id) ?? null;
      const no = refusal(a, by, verdict, reason);
      if (no || !a) throw no;
      Object.assign(a, {
        state: verdict === 'approve' ? 'approved' : 'rejected',
        decidedBy: by,
        decidedAt: now,
        reason: verdict === 'reject' ? reason!.trim() : null,
      });
      return summaryOf(copy(a));
    },
    async withdraw(id, by) {
      const a = must(id);
      if (a.preparedBy !== by)
        throw new ApprovalRefusedError('approval_not_yours', `Only ${a.preparedBy}, who prepared it, can withdraw it.`);
      const no = refusal(a, '', 'approve', null);
      if (no) throw no;
      a.state = 'withdrawn';
    },
    async started(id, runId) {
      const a = must(id);
      if (a.state !== 'approved') throw new ApprovalRefusedError('approval_decided', `Approval ${id} is ${a.state}, not approved.`);
      Object.assign(a, { state: 'started', runId });
    },
    async failed(id, message) {
      const a = must(id);
      if (a.state !== 'approved') throw new ApprovalRefusedError('approval_decided', `Approval ${id} is ${a.state}, not approved.`);
      Object.assign(a, { state: 'failed', reason: message });
    },
  };
}
