import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Caps the open connections of one transport. Node's own `server.maxConnections` drops every new
 * connection at the cap, so a thousand idle connections would lock honest clients out until the
 * headers timeout reaped them. Here, a new connection at the cap instead closes the oldest
 * connection that has no authenticated request in flight (one that has sent nothing, is trickling
 * a request head, or idles between keep-alive requests); only when every connection is busy with an
 * authenticated request is the newcomer refused. Connections become busy only after the token is
 * checked, so a caller without the token can never hold a slot against the others.
 */
export class ConnectionLimiter {
  readonly #max: number;
  // Insertion order is age order: the first idle entry is the oldest idle connection.
  readonly #connections = new Map<Socket, { busy: number }>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Open connections. */
  get size(): number {
    return this.#connections.size;
  }

  /** Starts counting the server's connections. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.#admit(socket));
  }

  /** Marks a connection as serving an authenticated request (not to be closed to make room). */
  markBusy(socket: Socket): void {
    const entry = this.#connections.get(socket);
    if (entry !== undefined) entry.busy++;
  }

  /** Marks the end of an authenticated request on the connection. */
  markIdle(socket: Socket): void {
    const entry = this.#connections.get(socket);
    if (entry !== undefined && entry.busy > 0) entry.busy--;
  }

  #admit(socket: Socket): void {
    if (this.#connections.size >= this.#max) {
      const victim = this.#oldestIdle();
      if (victim === null) {
        socket.destroy();
        return;
      }
      this.#connections.delete(victim);
      victim.destroy();
    }
    this.#connections.set(socket, { busy: 0 });
    socket.once('close', () => this.#connections.delete(socket));
  }

  #oldestIdle(): Socket | null {
    for (const [socket, entry] of this.#connections) {
      if (entry.busy === 0) return socket;
    }
    return null;
  }
}
