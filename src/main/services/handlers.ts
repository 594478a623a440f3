/** Every channel's handler, wired to the services. Plain Node; the Electron side only registers them. */
import type { AppInfo } from '../../shared/ipc/contract.ts';
import { Failure } from './failure.ts';
import type { Handlers } from '../ipc/dispatch.ts';
import type { createDirectory } from './directory.ts';
import type { ProfilesService } from './profiles/profilesService.ts';
import type { HistoryService } from './history/historyService.ts';
import type { MetadataCheck } from './metadata/metadataCheck.ts';
import type { MetadataRepair } from './metadata/metadataRepair.ts';
import type { InventoryActions } from './inventory/inventoryActions.ts';
import type { InventoryService } from './inventory/inventoryService.ts';
import type { ReminderRules } from './inventory/reminderRules.ts';
import type { RunsService } from './runs/runsService.ts';
import type { SheetsService } from './sheets/sheetsService.ts';
import type { WaitlistService } from './waitlist/waitlistService.ts';
import type { WorkspaceService } from './team/workspaceService.ts';
import { orAsked, type ApprovalsService } from './approvals/approvalsService.ts';

export type HandlerDeps = {
  profiles: ProfilesService;
  sheets: SheetsService;
  directory: ReturnType<typeof createDirectory>;
  runs: RunsService;
  history: HistoryService;
  metadata: {
    check: MetadataCheck;
    repair: MetadataRepair;
    sandboxAccept: (runId: string, lostInBulk?: boolean) => Promise<{ accepted: number }>;
  };
  waitlist: WaitlistService;
  inventory: InventoryService;
  inventoryActions: InventoryActions;
  reminders: ReminderRules;
  appInfo: () => AppInfo;
  /** The Workspace setting (built by the app's entry, which knows the data folder and how to restart). */
  workspace?: WorkspaceService;
  approvals: ApprovalsService;
};

export function createHandlers({
  profiles,
  sheets,
  directory,
  runs,
  history,
  metadata,
  waitlist,
  inventory,
  inventoryActions,
  reminders,
  appInfo,
  workspace,
  approvals,
}: HandlerDeps): Handlers {
  const ws = () => {
    if (!workspace) throw new Failure('workspace_unavailable', 'The workspace cannot be changed from here: open Invite Desk itself.');
    return workspace;
  };
  return {
    'app:info': async () => appInfo(),
    'profiles:list': () => profiles.state(),
    'profiles:add': (a) => profiles.add(a),
    'profiles:rename': (a) => profiles.rename(a.id, a.name),
    'profiles:replaceKey': (a) => profiles.replaceKey(a.id, a.secretKey),
    'profiles:delete': async (a) => {
      if (a.keepHistory === false) history.mayForget(); // refused on a team, before the profile goes
      const r = await profiles.remove(a.id);
      inventory.forgetProfile(a.id);
      // Its history stays unless the user chose to delete it too (runs still going are never deleted).
      return { ...r, runsDeleted: a.keepHistory === false ? await history.forgetProfile(a.id) : 0 };
    },
    'profiles:select': (a) => profiles.select(a.id),
    'profiles:check': (a) => profiles.check(a.id),
    'sheets:list': async () => sheets.list(),
    'sheets:get': async (a) => sheets.get(a.id),
    'sheets:create': async (a) => sheets.create(a),
    'sheets:save': async (a) => sheets.save(a),
    'sheets:duplicate': async (a) => sheets.duplicate(a.id),
    'sheets:delete': async (a) => sheets.remove(a.id),
    'sheets:restore': async (a) => sheets.restore(a.id),
    'mappings:get': async (a) => sheets.getMapping(a.headers),
    'mappings:save': async (a) => (await sheets.saveMapping(a.headers, a.columns), null),
    'orgs:list': (a) => directory.organizations(a.profileId, a.query),
    'orgs:roles': (a) => directory.roles(a.profileId, a.organizationId),
    'runs:review': (a) => runs.review(a.sheetId, a.profileId, a.resend, a.existing),
    'runs:dryRun': (a) => runs.dryRun(a.sheetId, a.profileId, a.existing),
    // Under four eyes a production send becomes an approval request (approvals/approvalsService.ts).
    'runs:start': (a) => approvals.start(a),
    'runs:pause': async (a) => (await runs.pause(a.runId), null),
    'runs:resume': async (a) => (await runs.resume(a.runId), null),
    'runs:cancel': async (a) => (await runs.cancel(a.runId), null),
    'runs:list': async () => runs.list(),
    'runs:get': async ({ runId, ...page }) => runs.get(runId, page),
    'runs:tally': async (a) => runs.tally(a.runId, a.rows),
    'runs:links': async (a) => runs.links(a.runId, a.rows),
    'runs:rowIds': async (a) => runs.rowIds(a.runId, a.state),
    'history:search': async (a) => runs.search(a.email),
    'runs:export': async (a) => runs.exportCsv(a.runId),
    'history:sync': (a) => ('runId' in a ? history.sync(a.runId) : history.syncProfile(a.profileId)),
    'runs:followUp': (a) => orAsked(history.followUp(a.runId, a.which, a.confirmName, a.rows)),
    'history:retention': async () => ({ days: history.retention() }),
    'history:setRetention': async (a) => history.setRetention(a.days),
    'runs:toSheet': async (a) => sheets.create(await history.toSheet(a.runId, a.which)),
    'metadata:check': (a) => metadata.check.check(a.runId),
    'metadata:summary': async (a) => ({ ...metadata.check.summary(a.runId), checking: metadata.check.isChecking(a.runId) }),
    'metadata:review': async (a) => metadata.repair.review(a),
    'metadata:repair': (a) => orAsked(metadata.repair.start(a)),
    'sandbox:accept': async (a) => metadata.sandboxAccept(a.runId, a.lostInBulk),
    'waitlist:state': (a) => waitlist.state(a.profileId),
    'waitlist:sync': (a) => waitlist.sync(a.profileId),
    'waitlist:page': (a) => waitlist.page(a.profileId, a.filter, a.offset, a.limit),
    'waitlist:review': (a) => waitlist.review(a.profileId, a.action, a.selection, a.pace, a.notify),
    'waitlist:start': (a) => orAsked(waitlist.start(a)),
    'waitlist:toSheet': (a) => waitlist.toSheet(a.profileId, a.selection),
    'inventory:list': async (a) => inventory.list(a),
    'inventory:sync': (a) => inventory.start(a.profileId),
    'inventory:progress': async (a) => inventory.progress(a.profileId),
    'inventory:ids': async (a) => inventory.ids(a.profileId, a.filter),
    'inventory:export': async ({ profileId, ...sel }) => inventory.exportCsv(profileId, sel),
    'inventory:review': (a) => inventoryActions.review(a.profileId, a.ids, a.action),
    'inventory:act': (a) => orAsked(inventoryActions.start(a.profileId, a.ids, a.action, a.confirmName).then((r) => ({ runId: r.runId }))),
    'inventory:insights': async (a) => inventory.insights(a),
    'reminders:list': async (a) => reminders.list(a.profileId),
    'reminders:save': async (a) => reminders.save(a),
    'reminders:delete': async (a) => reminders.remove(a.profileId, a.id),
    'reminders:apply': async (a) => {
      if (!(await reminders.list(a.profileId)).some((r) => r.id === a.ruleId))
        throw new Failure('rule_not_found', 'That reminder rule no longer exists.');
      const started = await orAsked(reminders.evaluate({ ruleId: a.ruleId, confirmName: a.confirmName }).then((runIds) => ({ runIds })));
      return 'approvalId' in started ? { runIds: [], asked: { approvalId: started.approvalId, message: started.message } } : started;
    },
    'workspace:get': () => ws().get(),
    'workspace:test': (a) => ws().test(a),
    'workspace:switch': (a) => ws().switch(a),
    'workspace:retry': async () => ws().retry(),
    'approvals:settings': async () => approvals.settings(),
    'approvals:list': () => approvals.list(),
    'approvals:review': (a) => approvals.review(a.id),
    'approvals:approve': (a) => approvals.approve(a.id, a.confirmName),
    'approvals:reject': (a) => approvals.reject(a.id, a.reason),
    'approvals:withdraw': async (a) => (await approvals.withdraw(a.id), null),
  };
}
