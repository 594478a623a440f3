/** `npm run emulator`: a Clerk emulator on a fixed port with the Sandbox's demo data, for manual testing. */
import { seedDemo } from './seed.ts';
import { startClerkEmulator } from './server.ts';

const port = Number(process.env['EMULATOR_PORT'] ?? 4010);
const windowSec = Number(process.env['EMULATOR_HOURLY_WINDOW_SECONDS'] ?? 3600);
const emu = await startClerkEmulator({
  port,
  rateLimits: { hourlyWindowMs: windowSec * 1000 },
  instances: [{ environment: 'development', monthlyEmailCap: null }, { environment: 'production' }],
});
const outside = Number(process.env['EMULATOR_OUTSIDE_INVITATIONS'] ?? 0);
for (const instance of emu.instances.values()) {
  seedDemo(instance, Date.now());
  // Invitations made outside Invite Desk (the Invitations page's inventory), e.g. EMULATOR_OUTSIDE_INVITATIONS=5000.
  if (outside > 0) emu.seedOutside({ count: outside }, instance);
}
console.log(`Clerk emulator on ${emu.apiUrl} (hourly limits reset every ${windowSec} s)`);
for (const instance of emu.instances.values())
  console.log(`  ${instance.environment.padEnd(11)} ${instance.id}  key ${instance.secretKey}`);
console.log('Add a profile in Invite Desk with one of these keys and the base URL above. Ctrl+C stops it.');
