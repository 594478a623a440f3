/**
 * The built-in Sandbox: a Clerk emulator started inside main on first use, so a new user can try the whole
 * app with no Clerk account. Its data lives in memory and is gone when the app quits.
 */
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
