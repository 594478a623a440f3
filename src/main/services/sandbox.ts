/**
 * The built-in Sandbox: a Clerk emulator started inside main on first use, so a new user can try the whole
 * app with no Clerk account. Its data lives in memory and is gone when the app quits.
 */
import { seedDemo } from '../emulator/seed.ts';
import { startClerkEmulator } from '../emulator/server.ts';

export type SandboxInstance = { apiUrl: string; secretKey: string; instanceId: string };
export type SandboxProvider = {
  get(): Promise<SandboxInstance>;
  /** The URL once started, else null (without starting it). */
  peekUrl(): string | null;
  close(): Promise<void>;
};

export function createSandboxProvider(start: () => Promise<SandboxInstance & { close(): Promise<void> }>): SandboxProvider {
  let started: Promise<SandboxInstance & { close(): Promise<void> }> | null = null;
  let url: string | null = null;
  return {
    get: () => {
      started ??= start().then((s) => ((url = s.apiUrl), s));
      return started;
    },
    peekUrl: () => url,
    close: async () => {
      if (started) await (await started).close();
      started = null;
      url = null;
    },
  };
}

const SANDBOX_OUTSIDE_INVITATIONS = 1500;

export async function startSandboxEmulator() {
  const emu = await startClerkEmulator({ instances: [{ environment: 'development', monthlyEmailCap: null }] });
  seedDemo(emu.instance, Date.now());
  // The Invitations page has something to show: invitations made in Clerk's Dashboard, by scripts and colleagues.
  emu.seedOutside({ count: SANDBOX_OUTSIDE_INVITATIONS });
  return { apiUrl: emu.apiUrl, secretKey: emu.instance.secretKey, instanceId: emu.instance.id, emulator: emu, close: () => emu.close() };
}
