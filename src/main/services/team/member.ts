/** Who this app's user is to the team: the name on every approval they prepare or decide. */
import { hostname, userInfo } from 'node:os';

/** `ana@ana-laptop`: who prepared or approved a send, as teammates read it. */
export function defaultMember(): string {
  let user = 'someone';
  try {
    user = userInfo().username || user;
  } catch {
    // no user name on this system (a container): the host still tells members apart
  }
  return `${user}@${hostname()}`;
}
