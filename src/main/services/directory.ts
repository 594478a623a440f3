/** Organizations and the roles their role set allows, for the sheet settings (read through the profile's key). */
import type { OrganizationOption, RoleOption } from '../../shared/ipc/contract.ts';
import type { ClerkClient } from './clerk/client.ts';
import { orgRoles } from './orgRoles.ts';

export function createDirectory(clientFor: (profileId: string) => Promise<ClerkClient>) {
  return {
    async organizations(profileId: string, query?: string): Promise<OrganizationOption[]> {
      const c = await clientFor(profileId);
      const page = await c.listOrganizations({ limit: 100, ...(query ? { query } : {}) });
      return page.data.map((o) => ({ id: o.id, name: o.name, slug: o.slug, membersCount: o.membersCount, roleSetKey: o.roleSetKey }));
    },
    async roles(profileId: string, organizationId: string): Promise<{ roles: RoleOption[]; defaultRole: string | null }> {
      const c = await clientFor(profileId);
      return orgRoles(c, await c.getOrganization(organizationId));
    },
  };
}
