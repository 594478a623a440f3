/** A run as the engine or a store takes it: an application create run of one row per request, unless told otherwise. */
import type { NewRun } from '../../src/main/services/runs/runsRepo.ts';
import type { RowRequest } from '../../src/shared/domain/sheet/validate.ts';

export function newRun(id: string, requests: RowRequest[], o: Partial<Omit<NewRun, 'id' | 'rows'>> = {}): NewRun {
  return {
    id,
    profileId: 'p1',
    profileName: 'P',
    environment: 'development',
    instanceId: 'ins_1',
    kind: 'app',
    op: 'create',
    organizationId: null,
    organizationName: null,
    sheetId: null,
    sheetName: id,
    options: { settings: null, columns: [] },
    windowMs: 1000,
    createdAt: Date.now(),
    ...o,
    rows: requests.map((request, i) => ({ sheetRow: i, email: request.emailAddress, request })),
  };
}
