/** "Can't reach Clerk" (nothing was sent) is told apart from "Clerk failed" and "the answer was lost". */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../../../src/main/services/clerk/errors.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('unreachable Clerk', () => {
  it('a refused connection or an unknown host is "unreachable"; a 5xx or a dropped connection is not', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const refused = await caught(createClerkClient({ baseUrl: `http://127.0.0.1:${port}/v1`, secretKey: 'sk_test_x' }).getInstance());
    expect(refused).toBeInstanceOf(ClerkTransportError);
    expect((refused as ClerkTransportError).unreachable).toBe(true);
    // In words, not the socket's code (issue 21 #9: the profile form showed “ECONNREFUSED”).
    expect((refused as Error).message).toBe(
      `Could not reach http://127.0.0.1:${port}: nothing answers at that address (connection refused): check the API base URL, or start the server it names`,
    );
    const dns = await caught(createClerkClient({ baseUrl: 'http://no-such-host.invalid/v1', secretKey: 'sk_test_x' }).getInstance());
    expect((dns as ClerkTransportError).unreachable).toBe(true);

    const emulator = await startClerkEmulator({ instances: [{}] });
    cleanups.push(() => emulator.close());
    const client = createClerkClient({ baseUrl: emulator.apiUrl, secretKey: emulator.instance.secretKey });
    emulator.faults.inject({ kind: 'status', status: 503, times: 1 });
    const e503 = await caught(client.getInstance());
    expect(e503).toBeInstanceOf(ClerkApiError);
    emulator.faults.inject({ kind: 'reset', times: 1 });
    const reset = await caught(client.getInstance());
    expect(reset).toBeInstanceOf(ClerkTransportError);
    expect((reset as ClerkTransportError).unreachable).toBe(false);
    expect(await client.reachable()).toBe(true);
    expect(await createClerkClient({ baseUrl: `http://127.0.0.1:${port}/v1`, secretKey: 'sk_test_x' }).reachable()).toBe(false);
  });
});
