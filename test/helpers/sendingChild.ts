/** Starts the sending process (runChild.ts) and, when asked, SIGKILLs it after `killAfterMs`: the kill/resume suites. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, 'runChild.ts');

export function runSendingChild(args: string[], killAfterMs: number | null): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done')) resolve('done');
      else reject(new Error(`child exited with ${code ?? signal}: ${out}`));
    });
  });
}
