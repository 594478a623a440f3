/** A TCP proxy on 127.0.0.1 that a test can cut (connections dropped, new ones refused) and restore: a database gone. */
import { createServer, connect, type Server, type Socket } from 'node:net';

export async function startTcpProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        const a = server!.address();
        if (typeof a === 'object' && a) port = a.port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    /** The database is gone: open connections are cut and new ones refused. */
    async cut() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    /** Back on the same port. */
    restore: listen,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
