import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../clock.ts';
import type { Duplex } from 'node:stream';
import { httpStatusOf, type ErrorBody, type TransportErrorCode } from '../common/errors.ts';
import { rawJsonResponse } from './json-response.ts';
import type { Limits } from './limits.ts';
import type { RefusalLog } from './refusal-log.ts';
import { watchRequestDeadlines } from './request-deadlines.ts';

/** What Node's parser reports before a request exists, as the code a client sees. */
function clientErrorCode(code: string | undefined): TransportErrorCode {
  if (code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'timeout';
  return 'bad_request';
}

function clientErrorMessage(code: TransportErrorCode): string {
  if (code === 'headers_too_large') return 'The request headers are too large.';
  if (code === 'timeout') return 'The request did not arrive in time.';
  return 'The request is not valid HTTP/1.1.';
}

/**
 * An HTTP server with the agent's limits (docs/ARCHITECTURE.md, "The agent API"): header size,
 * headers and request deadlines on the clock (slowloris; request-deadlines.ts), a per-connection
 * idle timeout and a short keep-alive. `responses` maps each connection to its response in
 * progress (kept by the request handler).
 */
export function createAgentHttpServer(limits: Limits, refusals: RefusalLog, responses: WeakMap<object, ServerResponse>, clock: Clock): Server {
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    // A missing Host is answered by the request guard (421 on TCP), not by Node's generic 400.
    requireHostHeader: false,
    // The two request deadlines are the clock's (below), not Node's: Node would check them on an
    // interval that wakes an idle agent every second. Its interval is then left to sleep.
    headersTimeout: 0,
    requestTimeout: 0,
    connectionsCheckingInterval: 2 ** 31 - 1,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  });
  server.setTimeout(limits.idleTimeoutMs);
  const refuse = (socket: Duplex, code: TransportErrorCode, reason: string): void => {
    refusals.record('request refused by the HTTP parser', { code, reason });
    const inProgress = responses.get(socket);
    // Once a response has started, no second one can be written: the connection just ends.
    if (!socket.writable || inProgress?.headersSent === true) {
      socket.destroy();
      return;
    }
    const hint = code === 'headers_too_large'
      ? `Keep the request head under ${limits.maxHeaderBytes} bytes.`
      : 'Send each request as one complete HTTP/1.1 message, without pauses.';
    const body: ErrorBody = { error: { code, message: clientErrorMessage(code), hint } };
    // Written, then closed: nothing more is read from a connection that broke the rules.
    socket.once('finish', () => socket.destroy());
    socket.end(rawJsonResponse(httpStatusOf(code), body));
  };
  watchRequestDeadlines(server, limits, clock, (socket) => refuse(socket, 'timeout', 'deadline'));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    refuse(socket, clientErrorCode(error.code), error.code ?? 'unknown');
  });
  return server;
}
