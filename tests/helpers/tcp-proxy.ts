/**
 * A loopback TCP proxy the tests can cut and restore, to make a real server unreachable without stopping it.
 * `cut()` closes the listener and destroys every open connection (connections then fail with ECONNREFUSED);
 * `restore()` listens again on the same port. `onClientData`, when given, sees every byte clients send (a test
 * reads the SQL statements the hub sends a database from it: `sqlStatements`).
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(
  targetHost: string,
  targetPort: number,
  onClientData?: (chunk: Buffer) => void,
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const createServer = () =>
    net.createServer((client) => {
      const upstream = net.connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      if (onClientData) client.on('data', onClientData);
      client.pipe(upstream).pipe(client);
    });
  let server = createServer();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const port = await listen(0);
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  };
  return {
    port,
    cut,
    restore: async () => {
      server = createServer();
      await listen(port);
    },
    close: async () => {
      if (server.listening) await cut();
    },
  };
}

/** A copy of a PostgreSQL URL whose host and port point at the proxy. */
export function viaProxy(databaseUrl: string, proxy: TcpProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

/**
 * The SQL statements in PostgreSQL frontend bytes (simple and extended protocol both carry a statement as
 * NUL-terminated text), in order: enough for the hub's own plain-text connections in tests.
 */
export function sqlStatements(bytes: Buffer): string[] {
  return [...bytes.toString('utf8').matchAll(/(?:SELECT|WITH|INSERT|UPDATE|DELETE) [^\0]*/g)].map((match) => match[0]);
}
