import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { send } from './http-output.ts';
import { closeNow, listenOnLoopbackPreferring } from './listener.ts';

/** Answers one request; `origin` is the server's own, e.g. `http://cloud.localhost:41234`. */
export type LabRoute = (origin: string, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A running lab server. */
export interface LabServer {
  /** `http://<host>:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server for `host` (a `*.localhost` name) on 127.0.0.1, on `port` when it is free,
 * else on a port from the OS; a request that throws answers 500.
 */
export async function startLabServer(host: string, route: LabRoute, port?: number): Promise<LabServer> {
  // The origin is known only once the OS has chosen the port.
  let url = '';
  const server = createServer((req, res) => {
    route(url, req, res).catch((error: unknown) => {
      console.error(`lab ${host}: request failed`, error);
      if (!res.headersSent) send(res, 500, 'text', 'internal error');
      else res.end();
    });
  });
  const actualPort = await listenOnLoopbackPreferring(server, port);
  url = `http://${host}:${actualPort}`;
  return { url, port: actualPort, close: () => closeNow(server) };
}
