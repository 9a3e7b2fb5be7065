import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock, Timer } from '../clock.ts';
import type { Limits } from './limits.ts';

/**
 * The headers and request deadlines of one transport's connections (slowloris), on the clock: a
 * client has `headersTimeoutMs` to send a request head and `requestTimeoutMs` to send the whole
 * request, counted from its connection or from the answer to its previous request. Node can do
 * this itself, but it checks on an interval that runs for as long as the server listens; these
 * timers exist only while a connection waits for its request, so an idle agent sleeps.
 * `late` answers and closes a connection whose time is up.
 */
export function watchRequestDeadlines(server: Server, limits: Pick<Limits, 'headersTimeoutMs' | 'requestTimeoutMs'>, clock: Clock, late: (socket: Socket) => void): void {
  const deadlines = new WeakMap<Socket, { head: Timer | null; whole: Timer | null }>();
  const stop = (socket: Socket, which: 'head' | 'whole'): void => {
    const timers = deadlines.get(socket);
    timers?.[which]?.cancel();
    if (timers) timers[which] = null;
  };
  const start = (socket: Socket): void => {
    stop(socket, 'head');
    stop(socket, 'whole');
    const expire = (): void => {
      stop(socket, 'head');
      stop(socket, 'whole');
      late(socket);
    };
    deadlines.set(socket, {
      head: clock.setTimer(limits.headersTimeoutMs, expire, 'headers deadline'),
      whole: clock.setTimer(limits.requestTimeoutMs, expire, 'request deadline'),
    });
  };
  server.on('connection', (socket: Socket) => {
    start(socket);
    socket.once('close', () => {
      stop(socket, 'head');
      stop(socket, 'whole');
    });
  });
  // Registered before the request handler, so the head's deadline stops as soon as the head is read.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    stop(socket, 'head');
    // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 section
    // 6.3): it is whole with its head. Otherwise it is whole once its body has been read.
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) stop(socket, 'whole');
    else req.once('end', () => stop(socket, 'whole'));
    // The next request on a kept-alive connection gets its own time, from this answer on.
    res.once('finish', () => {
      if (!socket.destroyed && res.shouldKeepAlive) start(socket);
    });
  });
}
