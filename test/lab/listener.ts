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
