/** Starts a Clerk emulator on port 0 for one test file and closes it afterwards. */
import { afterAll, beforeAll } from 'vitest';
import { startClerkEmulator, type ClerkEmulator, type EmulatorOptions } from '../../src/main/emulator/server.ts';

export function useEmulator(options: EmulatorOptions = {}): { readonly current: ClerkEmulator } {
  const holder: { current: ClerkEmulator | null } = { current: null };
  beforeAll(async () => {
    holder.current = await startClerkEmulator(options);
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return {
    get current() {
      if (!holder.current) throw new Error('emulator not started');
      return holder.current;
    },
  };
}
