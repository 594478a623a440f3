/** An emulator with one Clerk behaviour variant and a run fixture on compressed windows (test/main/runs/variants*). */
import { afterEach } from 'vitest';
import type { Variant } from '../../src/main/emulator/behaviour.ts';
import { faultSpecs } from '../../src/main/emulator/faults.ts';
import { startClerkEmulator, type ClerkEmulator } from '../../src/main/emulator/server.ts';
import type { Endpoint } from '../../src/shared/domain/send/limits.ts';
import { makeRunFixture, tempDbPath } from './runFixture.ts';
import { makeTempDir } from './tempDir.ts';

export const WINDOW = 700;
export const LIMITS: Partial<Record<Endpoint, number>> = { 'app.bulk': 2, 'app.single': 3, 'org.bulk': 2, 'org.single': 3 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * `armFaultsLater`: the variant's random faults (late commits, bad 200 answers) start only when `armFaults()` is called, so a
 * test's own set-up calls to the emulator are never hit by them.
 */
export async function setup(variant: Variant, opts: { armFaultsLater?: boolean } = {}) {
  const { lateCommit, badOk, ...behaviour } = variant;
  const faults = lateCommit || badOk ? { ...(lateCommit ? { lateCommit } : {}), ...(badOk ? { badOk } : {}) } : undefined;
  const later = opts.armFaultsLater === true;
  const emulator = await startClerkEmulator({
    rateLimits: {
      hourlyWindowMs: WINDOW,
      limits: { 'invitations.bulk': 2, 'invitations.create': 3, 'org_invitations.bulk': 2, 'org_invitations.create': 3 },
    },
    instances: [{ monthlyEmailCap: null }],
    behaviour,
    ...(faults && !later ? { faults } : {}),
  });
  const dir = makeTempDir();
  const fx = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath: tempDbPath(dir.path), limits: LIMITS });
  cleanups.push(
    () => emulator.close(),
    () => dir.remove(),
    () => fx.close(),
    () => fx.engine.shutdown(),
  );
  const armFaults = () => {
    if (later) for (const spec of faultSpecs(faults)) emulator.faults.inject(spec);
  };
  return { emulator, fx, dir, armFaults };
}

/** Invitations per email (any status): the promise is at most one per email per run. */
export function perEmail(e: ClerkEmulator): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of [...e.instance.invitations, ...e.instance.orgInvitations]) m.set(x.emailAddress, (m.get(x.emailAddress) ?? 0) + 1);
  return m;
}
export const twice = (e: ClerkEmulator) => [...perEmail(e)].filter(([, n]) => n > 1);
export const status429 = (e: ClerkEmulator) => e.requests.filter((r) => r.status === 429).length;
export const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}@variant.test`);
