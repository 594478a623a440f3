/**
 * Bringing this computer's profiles and sheets into a team workspace (when a member switches): a copy through the
 * stores' ports, each thing once. A profile keeps its id, so this member's key (keychain account = profile id) goes
 * on working; a profile whose instance the team has already is joined instead: this member's key is copied inside
 * this computer's keychain to the team profile's account (it never leaves the computer) and its fingerprint recorded.
 * Live sheets are copied whole (their patches folded in), with their ids. Not one transaction (two
 * databases): running it again copies only what is missing, so an interrupted copy is finished by the next.
 */
import type { ProfilesStore } from '../profiles/profilesStore.ts';
import type { SecretStore } from '../secrets/secretStore.ts';
import { setKey } from '../secrets/setKey.ts';
import type { SheetsStore } from '../sheets/sheetsStore.ts';
import { fingerprint } from '../../../shared/domain/profile.ts';

type Stores = { profiles: ProfilesStore; sheets: SheetsStore };
export type ShareReport = {
  profiles: { copied: number; joined: string[]; alreadyThere: number; keyNotFound: string[] };
  sheets: { copied: number; alreadyThere: number };
};

const ACTIVE_KEY = 'activeProfileId';

export async function shareToTeam(from: Stores, to: Stores, secrets: SecretStore, now: number): Promise<ShareReport> {
  const report: ShareReport = {
    profiles: { copied: 0, joined: [], alreadyThere: 0, keyNotFound: [] },
    sheets: { copied: 0, alreadyThere: 0 },
  };
  const idInTeam = new Map<string, string>();
  for (const p of await from.profiles.list()) {
    if (await to.profiles.get(p.id)) {
      report.profiles.alreadyThere++;
      idInTeam.set(p.id, p.id);
      continue;
    }
    const shared = await to.profiles.findByInstance(p.instanceId);
    if (!shared) {
      await to.profiles.insert(p);
      report.profiles.copied++;
      idInTeam.set(p.id, p.id);
      continue;
    }
    idInTeam.set(p.id, shared.id);
    report.profiles.joined.push(`“${p.name}” → “${shared.name}”`);
    if (!shared.keyMissing) continue; // this member entered a key for it already
    const key = await secrets.get(p.id);
    if (!key) {
      report.profiles.keyNotFound.push(shared.name); // it reads as “enter your key” on the Profiles page
      continue;
    }
    await setKey(secrets, shared.id, key);
    await to.profiles.update(shared.id, { fingerprint: fingerprint(key) }, now);
  }
  const active = await from.profiles.getSetting(ACTIVE_KEY);
  const mapped = active === null ? undefined : (idInTeam.get(active) ?? (active === 'sandbox' ? active : undefined));
  if (mapped !== undefined && (await to.profiles.getSetting(ACTIVE_KEY)) === null) await to.profiles.setSetting(ACTIVE_KEY, mapped);

  for (const s of await from.sheets.list()) {
    if (await to.sheets.summary(s.id)) {
      report.sheets.alreadyThere++;
      continue;
    }
    const doc = await from.sheets.get(s.id);
    if (!doc) continue; // deleted meanwhile
    const { version: _, ...copy } = doc;
    await to.sheets.insert(copy);
    report.sheets.copied++;
  }
  return report;
}
