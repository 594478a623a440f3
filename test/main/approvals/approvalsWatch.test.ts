/** The Approvals list follows the team's: a teammate's request or decision is reported once, at the next poll. */
import { describe, expect, it } from 'vitest';
import { watchApprovals } from '../../../src/main/services/approvals/approvalsWatch.ts';
import type { ApprovalSummary } from '../../../src/shared/domain/approvals.ts';
import { makeFakeClock } from '../../helpers/fakeClock.ts';
import { memoryApprovals } from '../../helpers/memoryApprovals.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';

describe('approvals watch', () => {
  it('reports the list when an approval is added or changes state, not when nothing moved; stops', async () => {
    const clock = makeFakeClock();
    const team = memoryApprovals(); // written by "another computer" below
    const seen: ApprovalSummary[][] = [];
    const w = watchApprovals({ list: () => team.recent(50), clock, everyMs: 1000, emit: (l) => seen.push(l) });
    await clock.advance(1000);
    expect(seen).toEqual([[]]); // the first look always reports
    await clock.advance(3000);
    expect(seen).toHaveLength(1);
    const id = await team.request({
      kind: 'sheet',
      instanceId: 'ins',
      profileId: 'p',
      profileName: 'P',
      environment: 'production',
      organizationName: null,
      sheetName: 'S',
      summary: '1 invitation will be sent.',
      toSend: 1,
      skipped: 0,
      doc: { id: 's', name: 'S', settings: defaultSettings(), columns: [], rows: [], createdAt: 0, updatedAt: 0 },
      choices: { resend: [], onlyFit: false },
      preparedBy: 'ana@a',
      preparedAt: 1,
    });
    await clock.advance(1000);
    expect(seen.at(-1)).toMatchObject([{ id, state: 'pending' }]);
    await team.decide(id, 'ben@b', 'approve', null, 2);
    await team.started(id, 'run1');
    await clock.advance(1000);
    expect(seen.at(-1)).toMatchObject([{ id, state: 'started', runId: 'run1', decidedBy: 'ben@b' }]);
    expect(seen).toHaveLength(3);
    await w.stop();
    expect(clock.pending()).toEqual([]);
  });
});
