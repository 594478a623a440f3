/**
 * Main's log: electron-log (rotating files in the OS log folder, written off the hot path) with our
 * redaction as a hook, so no transport ever writes a key, and emails are masked unless asked for.
 * Works on electron-log/main in the app and electron-log/node in tests.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LogFunctions, NodeLogger } from 'electron-log';
import { redactArgs } from './redact.ts';

export const LOG_FILE = 'main.log';
export const LOG_MAX_BYTES = 2 * 1024 * 1024;
export const LOG_FILES_KEPT = 3;

export type AppLog = Pick<LogFunctions, 'error' | 'warn' | 'info' | 'debug'>;

export function configureLogger(log: NodeLogger, opts: { dir: string; keepEmails: () => boolean; console?: boolean }): AppLog {
  log.transports.file.resolvePathFn = () => join(opts.dir, LOG_FILE);
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.file.level = 'info';
  // main.log → main.1.log → … → main.3.log, the oldest dropped.
  log.transports.file.archiveLogFn = (old) => {
    const base = old.path.replace(/\.log$/, '');
    rmSync(`${base}.${LOG_FILES_KEPT}.log`, { force: true });
    for (let i = LOG_FILES_KEPT - 1; i >= 1; i--)
      if (existsSync(`${base}.${i}.log`)) renameSync(`${base}.${i}.log`, `${base}.${i + 1}.log`);
    renameSync(old.path, `${base}.1.log`);
  };
  if (opts.console === false) log.transports.console.level = false;
  log.hooks.push((message) => ({ ...message, data: redactArgs(message.data, { keepEmails: opts.keepEmails() }) }));
  return log;
}
