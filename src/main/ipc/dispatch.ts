/** Parse → handle → Result, for every channel. Used by ipc/register.ts and by the renderer test harness. */
import { CHANNELS, type Args, type Channel, type Res } from '../../shared/ipc/contract.ts';
import { parseArgs } from '../../shared/ipc/parse.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { toAppError } from './toAppError.ts';

export type Handlers = { [C in Channel]: (args: Args<C>) => Promise<Res<C>> };

const isChannel = (c: unknown): c is Channel => typeof c === 'string' && (CHANNELS as readonly string[]).includes(c);

export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return err({ code: 'unknown_channel', message: `No such request: ${String(channel).slice(0, 60)}` });
  const parsed = parseArgs(channel, raw);
  if (!parsed.ok) {
    const { field, message } = parsed.failure;
    return err({ code: 'invalid_argument', message, ...(field !== undefined ? { field } : {}) });
  }
  try {
    const handler = handlers[channel] as (args: unknown) => Promise<unknown>;
    return ok(await handler(parsed.value));
  } catch (e) {
    return err(toAppError(e, channel));
  }
}
