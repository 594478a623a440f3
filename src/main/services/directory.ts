/** Organizations and the roles their role set allows, for the sheet settings (read through the profile's key). */
import type { OrganizationOption, RoleOption } from '../../shared/ipc/contract.ts';
import type { ClerkClient } from './clerk/client.ts';
import { ClerkApiError } from './clerk/errors.ts';

export function createDirectory(clientFor: (profileId: string) => Promise<ClerkClient>) {
  return {
    async organizations(profileId: string, query?: string): Promise<OrganizationOption[]> {
      const c = await clientFor(profileId);
      const page = await c.listOrganizations({ limit: 100, ...(query ? { query } : {}) });
      return page.data.map((o) => ({ id: o.id, name: o.name, slug: o.slug, membersCount: o.membersCount, roleSetKey: o.roleSetKey }));
    },
    async roles(profileId: string, organizationId: string): Promise<{ roles: RoleOption[]; defaultRole: string | null }> {
      const c = await clientFor(profileId);
      const org = await c.getOrganization(organizationId);
      if (org.roleSetKey) {
        try {
          const set = await c.getRoleSet(org.roleSetKey);
          return { roles: set.roles, defaultRole: set.defaultRole?.key ?? null };
        } catch (e) {
          // Instances without role sets answer 404: fall back to the instance's roles.
          if (!(e instanceof ClerkApiError && e.status === 404)) throw e;
        }
      }
      const roles = await c.listOrganizationRoles({ limit: 100 });
      return { roles: roles.data.map((r) => ({ key: r.key, name: r.name })), defaultRole: null };
    },
  };
}
