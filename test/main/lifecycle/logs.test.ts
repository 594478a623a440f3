/** Logs a user can attach: after a full run with faults, no key and (by default) no email in the files or the diagnostics. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeLog from 'electron-log/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addUser } from '../../../src/main/emulator/store.ts';
import { buildDiagnostics } from '../../../src/main/services/lifecycle/diagnostics.ts';
import { configureLogger } from '../../../src/main/services/lifecycle/logger.ts';
import { maskEmails, redact } from '../../../src/main/services/lifecycle/redact.ts';
import { fingerprint } from '../../../src/shared/domain/profile.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const readLogs = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');

describe('redaction', () => {
  it('removes secret keys and bearer tokens, masks emails, keeps fingerprints', () => {
    const key = 'sk_live_AbCdEf1234567890XyZ';
    const text = redact(`calling with ${key} (Authorization: Bearer ${key}) for jane.doe@example.com, key ${fingerprint(key)}`);
    expect(text).not.toContain('AbCdEf1234567890XyZ');
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toContain('j…@e….com');
    expect(text).toContain('sk_live_…0XyZ');
    expect(maskEmails('a@b.co')).toBe('a…@b….co');
    expect(redact('x@y.org', { keepEmails: true })).toBe('x@y.org');
  });
});

describe('logs and diagnostics after a full run with faults', () => {
  it('contain no key and no email by default; emails appear only when asked for', async () => {
    const emulator = await startClerkEmulator({ instances: [{ monthlyEmailCap: null }] });
    const key = emulator.instance.secretKey;
    const dir = makeTempDir();
    const logDir = join(dir.path, 'logs');
    let keepEmails = false;
    const log = configureLogger(nodeLog.create({ logId: `t${Date.now()}` }), { dir: logDir, keepEmails: () => keepEmails, console: false });
    const fx = makeRunFixture({
      emulator,
      secretKey: key,
      dbPath: tempDbPath(dir.path),
      limits: { 'app.bulk': 20, 'app.single': 20 },
      engine: { log },
    });
    cleanups.push(
      () => emulator.close(),
      () => dir.remove(),
      () => fx.close(),
    );
    addUser(emulator.instance, { emailAddress: 'taken3@logs.test' });
    emulator.faults.inject({ kind: 'status', status: 500, method: 'POST', times: 2 });
    emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', times: 1 });
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 1, method: 'POST', times: 1 });
    const emails = Array.from({ length: 24 }, (_, i) => (i === 3 ? 'taken3@logs.test' : `person${i}@logs.test`));
    const id = fx.createRun(
      emails.map((e) => appRequest(e)),
      { windowMs: 60_000, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    expect(fx.repo.get(id)!.counts).toMatchObject({ sent: 23, failed: 1 });
    // What a careless line somewhere might write: the redaction is the last line of defence.
    log.error('request failed', { headers: { Authorization: `Bearer ${key}` } }, new Error(`bad key ${key} for person1@logs.test`));

    await vi.waitFor(() => expect(readLogs(logDir)).toMatch(/request failed/), { timeout: 5000, interval: 10 });
    const text = readLogs(logDir);
    expect(text).toMatch(/stopped \(finished\)/);
    expect(text).toMatch(/500|failed/);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(8));
    for (const e of emails) expect(text).not.toContain(e);
    expect(text).toContain('for p…@l….test'); // masked, not dropped

    const diagnostics = buildDiagnostics({
      appVersion: '1.2.3',
      packaged: true,
      versions: { electron: '45.4.1', chrome: '140', node: '24.21.0' },
      os: { platform: 'linux', release: '6.1', arch: 'x64' },
      profiles: [
        {
          id: 'p1',
          name: 'Ops (ops@logs.test)',
          environment: 'development',
          instanceId: emulator.instance.id,
          fingerprint: fingerprint(key),
          baseUrl: emulator.apiUrl,
          isSandbox: false,
          createdAt: 0,
          updatedAt: 0,
        },
      ],
      runs: fx.repo.list(),
      activeRunIds: [],
      logDir,
      now: Date.now(),
    });
    expect(diagnostics).toContain(fingerprint(key));
    expect(diagnostics).toContain('finished');
    expect(diagnostics).toMatch(/Electron 45\.4\.1/);
    expect(diagnostics).not.toContain(key);
    expect(diagnostics).not.toMatch(/[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9-]+\.[a-z]+/);

    keepEmails = true;
    log.info('asked for: person5@logs.test');
    await vi.waitFor(() => expect(readLogs(logDir)).toContain('person5@logs.test'), { timeout: 5000, interval: 10 });
  });
});
