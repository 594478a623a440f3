/**
 * Log redaction catches every shape a key takes in a log line (issue 20, item 10): it missed 5 of 15 (a key glued to
 * a letter or `_`, `Bearer%20sk_…`, `%22sk_…`, a key split across two log arguments). Each shape is written through
 * the real logger (electron-log/node) and the file is searched for any 8 characters of the key's secret part.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeLog from 'electron-log/node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configureLogger } from '../../../src/main/services/lifecycle/logger.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const KEY = 'sk_live_Q7abXYZ0123456789secretPART';
const SECRET = KEY.slice('sk_live_'.length);
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

/** Every shape: the arguments of one log call. */
const SHAPES: [string, unknown[]][] = [
  ['plain', [`key ${KEY} used`]],
  ['test key', [`key ${KEY.replace('live', 'test')}`]],
  ['quoted JSON', [JSON.stringify({ secretKey: KEY })]],
  ['Authorization header', [`Authorization: Bearer ${KEY}`]],
  ['bearer, lower case, a JWT', [`authorization: bearer ${TOKEN}`]],
  ['query string', [`GET /v1/x?key=${KEY}&y=1`]],
  ['in an Error', [new Error(`bad key ${KEY}`)]],
  ['in a nested object', [{ headers: { Authorization: `Bearer ${KEY}` } }]],
  ['glued to a letter', [`key:x${KEY}`]],
  ['glued to _', [`secret_${KEY}`]],
  ['Bearer%20 (URL-encoded)', [`Authorization=Bearer%20${KEY}`]],
  ['%22 (URL-encoded quote)', [`body=%7B%22key%22%3A%22${KEY}%22%7D`]],
  ['underscores URL-encoded', [`k=${KEY.replace(/_/g, '%5F')}`]],
  ['split across two arguments', [`key ${KEY.slice(0, 12)}`, KEY.slice(12)]],
  ['split inside the prefix', ['key sk_li', `${KEY.slice(5)} done`]],
  ['Bearer and its token as two arguments', ['Authorization: Bearer', TOKEN]],
];

const dir = makeTempDir();
afterAll(() => dir.remove());
const log = configureLogger(nodeLog.create({ logId: `shapes${Date.now()}` }), { dir: dir.path, keepEmails: () => false, console: false });
const readLogs = () =>
  readdirSync(dir.path)
    .map((f) => readFileSync(join(dir.path, f), 'utf8'))
    .join('\n');

/** Any 8 characters of the secret (or of the token's signature) in a row: a leak. */
const leaks = (text: string, secret: string) =>
  Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8)).filter((part) => text.includes(part));

describe('log redaction, every shape of a key', () => {
  it.each(SHAPES)('%s', async (name, args) => {
    log.info(`[${name}]`, ...args, `[end ${name}]`);
    await vi.waitFor(() => expect(readLogs()).toContain(`[end ${name}]`), { timeout: 5000, interval: 10 });
    const line = readLogs()
      .split('\n')
      .find((l) => l.includes(`[${name}]`))!;
    expect(leaks(line, SECRET), line).toEqual([]);
    expect(leaks(line, TOKEN.split('.')[2]!), line).toEqual([]);
  });
});
