/**
 * The team database's connection lost while a transaction holds it (CI: "Uncaught Exception: Connection terminated
 * unexpectedly" from node-postgres, in unreachable.test.ts): the lent-out client's 'error' event had no listener, which
 * in the app would end the main process. Now the transaction fails with it and the connection is not pooled again.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { pgTransaction, type PgClient, type PgPool } from '../../../src/main/services/team/pgTypes.ts';

function lentClient() {
  let gone: Error | null = null;
  const client = Object.assign(new EventEmitter(), {
    query: async () => {
      if (gone) throw gone;
      return { rows: [], rowCount: 0 };
    },
    release: vi.fn(),
  });
  const pool: PgPool = { connect: async () => client as unknown as PgClient, query: client.query };
  const cut = () => {
    gone = new Error('Connection terminated unexpectedly');
    client.emit('error', gone); // as node-postgres does when the socket closes
  };
  return { client, pool, cut };
}

describe('a team-database transaction whose connection is lost', () => {
  it('between two of its queries: the transaction fails with the loss, nothing is thrown at the emitter, the connection is not pooled again', async () => {
    const t = lentClient();
    await expect(
      pgTransaction(t.pool, async (q) => {
        await q.query('SELECT 1');
        expect(() => t.cut()).not.toThrow();
        await q.query('SELECT 2');
      }),
    ).rejects.toThrow('Connection terminated unexpectedly');
    expect(t.client.release).toHaveBeenCalledWith(expect.any(Error));
    expect(t.client.listenerCount('error')).toBe(0); // given back without our listener
  });
});
