/** Keeps the open organization sheet's role set (asked of Clerk through main) in the sheet store, to check rows by. */
import { useEffect } from 'react';
import type { SheetSettings } from '../../../../shared/domain/sheet/types.ts';
import { getApi } from '../../lib/api.ts';
import { useSheet } from '../../store/sheet.ts';

export function useOrgRoles(settings: SheetSettings, profileId: string | null): void {
  const { kind, organizationId } = settings;
  useEffect(() => {
    const setRoles = useSheet.getState().setRoles;
    if (kind !== 'org' || !organizationId || !profileId) return setRoles(null);
    let live = true;
    void getApi()
      .orgsRoles({ profileId, organizationId })
      // Not known (offline, another profile's organization): rows are not checked here; the review asks again.
      .then((r) => live && setRoles(r.ok ? { org: organizationId, keys: r.value.roles.map((x) => x.key) } : null));
    return () => {
      live = false;
    };
  }, [kind, organizationId, profileId]);
}
