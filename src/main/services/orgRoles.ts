/** The roles an organization accepts: its role set's, or (instances without role sets) the instance's roles. */
import type { RoleOption } from '../../shared/ipc/contract.ts';
import type { ClerkClient } from './clerk/client.ts';
import { ClerkApiError } from './clerk/errors.ts';

export async function orgRoles(
  c: ClerkClient,
  org: { roleSetKey?: string | null },
): Promise<{ roles: RoleOption[]; defaultRole: string | null }> {
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
}
