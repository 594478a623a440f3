/** Demo data for the Sandbox profile: a few orgs with admins, an existing user, a custom role set, a waitlist. */
import { addOrg, addRole, addRoleSet, addUser, type EmuInstance } from './store.ts';
import { addWaitlistEntry } from './waitlist.ts';

export function seedDemo(instance: EmuInstance, now: number): void {
  const ada = addUser(instance, { emailAddress: 'ada@sandbox.example', firstName: 'Ada', lastName: 'Admin' });
  addUser(instance, { emailAddress: 'existing.user@sandbox.example', firstName: 'Existing', lastName: 'User' });
  addRole(instance, 'org:viewer', 'Viewer', now);
  addRoleSet(
    instance,
    { key: 'role_set:support', name: 'Support', roleKeys: ['org:admin', 'org:member', 'org:viewer'], defaultRoleKey: 'org:viewer' },
    now,
  );
  addOrg(instance, { name: 'Acme Corp', slug: 'acme', maxAllowedMemberships: 0, admins: [ada.id] }, now);
  addOrg(
    instance,
    { name: 'Globex Support', slug: 'globex-support', maxAllowedMemberships: 50, roleSetKey: 'role_set:support', admins: [ada.id] },
    now + 1,
  );
  addOrg(instance, { name: 'Tiny Startup', slug: 'tiny', maxAllowedMemberships: 5, admins: [ada.id] }, now + 2);
  // A waitlist to try the Waitlist page on: 120 people over the last 30 days, a few already rejected.
  const domains = ['acme.example', 'globex.example', 'initech.example'];
  for (let i = 0; i < 120; i++) {
    const e = addWaitlistEntry(instance, `waiting${i}@${domains[i % 3]}`, now - (120 - i) * 6 * 3_600_000);
    if (i % 17 === 5) e.status = 'rejected';
  }
}
