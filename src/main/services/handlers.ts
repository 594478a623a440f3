/** Every channel's handler, wired to the services. Plain Node; the Electron side only registers them. */
import type { AppInfo } from '../../shared/ipc/contract.ts';
import type { Handlers } from '../ipc/dispatch.ts';
import type { ProfilesService } from './profiles/profilesService.ts';

export type HandlerDeps = { profiles: ProfilesService; appInfo: () => AppInfo };

export function createHandlers({ profiles, appInfo }: HandlerDeps): Handlers {
  return {
    'app:info': async () => appInfo(),
    'profiles:list': () => profiles.state(),
    'profiles:add': (a) => profiles.add(a),
    'profiles:rename': (a) => profiles.rename(a.id, a.name),
    'profiles:replaceKey': (a) => profiles.replaceKey(a.id, a.secretKey),
    'profiles:delete': (a) => profiles.remove(a.id),
    'profiles:select': (a) => profiles.select(a.id),
    'profiles:check': (a) => profiles.check(a.id),
  };
}
