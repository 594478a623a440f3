/**
 * The Clerk emulator for the inventory benchmark, in a child process (its CPU is not the app's): a production instance
 * with Clerk's general limit (1,000 per 10 s) and `count` invitations; it sends back the ids of the 70% Invite Desk
 * “sent” (the benchmark writes them into a run of its database), the rest being made outside the app.
 */
import { startClerkEmulator } from '../src/main/emulator/server.ts';
import { addOrg } from '../src/main/emulator/store.ts';

const count = Number(process.argv[2] ?? 100_000);
const emu = await startClerkEmulator({ instances: [{ environment: 'production' }] });
for (const name of ['North', 'South', 'East', 'West']) addOrg(emu.instance, { name, maxAllowedMemberships: 0 }, Date.now());
emu.seedOutside({ count, orgShare: 0.3 });
const all = [...emu.instance.invitations, ...emu.instance.orgInvitations].map((x) => x.id);
const ours = all.filter((_, i) => i % 10 < 7);
process.send!({ apiUrl: emu.apiUrl, secretKey: emu.instance.secretKey, instanceId: emu.instance.id, ours });
process.on('message', (m) => {
  if (m === 'count') process.send!({ requests: emu.requests.length, r429: emu.requests.filter((r) => r.status === 429).length });
  if (m === 'close') void emu.close().then(() => process.exit(0));
});
