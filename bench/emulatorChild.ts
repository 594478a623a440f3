/** The Clerk emulator in a child process, so a benchmark's memory and CPU figures are the app's alone. */
import { startClerkEmulator } from '../src/main/emulator/server.ts';

const windowMs = Number(process.argv[2] ?? 1000);
const emu = await startClerkEmulator({ rateLimits: { hourlyWindowMs: windowMs }, instances: [{ monthlyEmailCap: null }] });
process.send!({ apiUrl: emu.apiUrl, secretKey: emu.instance.secretKey, instanceId: emu.instance.id });
process.on('message', (m) => {
  if (m === 'count')
    process.send!({ invitations: emu.instance.invitations.length, r429: emu.requests.filter((r) => r.status === 429).length });
  if (m === 'close') void emu.close().then(() => process.exit(0));
});
