import type { Server } from 'node:net';

/** Starts listening on 127.0.0.1 (never all interfaces) and resolves with the port; port 0 lets the OS choose. */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/**
 * Listens on 127.0.0.1 at `preferred` when it is free, else on a port the OS chooses (also when
 * `preferred` is undefined or 0). Resolves with the port. A fixed port keeps the lab's URLs the
 * same from one run to the next (the demo's registered sites), and the fallback keeps a second lab
 * (or anything else holding the port) from stopping this one.
 */
export async function listenOnLoopbackPreferring(server: Server, preferred: number | undefined): Promise<number> {
  if (preferred === undefined || preferred === 0) return listenOnLoopback(server, 0);
  if (!Number.isInteger(preferred) || preferred < 1 || preferred > 65_535) throw new TypeError(`not a TCP port: ${preferred}`);
  try {
    return await listenOnLoopback(server, preferred);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EACCES: a port the user may not bind (below 1024 on most systems).
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    return listenOnLoopback(server, 0);
  }
}

/** A server that can drop its open connections, as node:http and node:https servers can. */
export interface ClosableServer extends Server {
  closeAllConnections(): void;
}

/**
 * Stops listening and drops every open connection, keep-alive ones included, so the caller is
 * done at once: a browser's idle keep-alive socket would otherwise hold `close()` for seconds.
 */
export function closeNow(server: ClosableServer): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
