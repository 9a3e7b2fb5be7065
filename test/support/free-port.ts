import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for a server of Debian's that must be told its port
 * (squid, krb5kdc). Another process may take it before that server binds it: the server then fails
 * to start, with its own message, never a hang.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
