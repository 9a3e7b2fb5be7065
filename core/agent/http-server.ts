import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { httpStatusOf, type ErrorBody, type TransportErrorCode } from '../common/errors.ts';
import { rawJsonResponse } from './json-response.ts';
import type { Limits } from './limits.ts';
import type { RefusalLog } from './refusal-log.ts';

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
 * An HTTP server with the agent's limits (docs/ARCHITECTURE.md, "The agent API"): header size, headers and request
 * timeouts (slowloris), a per-connection idle timeout and a short keep-alive. Node checks the two
 * request timeouts on an interval, so the interval is kept well under the headers timeout.
 * `responses` maps each connection to its response in progress (kept by the request handler).
 */
export function createAgentHttpServer(limits: Limits, refusals: RefusalLog, responses: WeakMap<object, ServerResponse>): Server {
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    // A missing Host is answered by the request guard (421 on TCP), not by Node's generic 400.
    requireHostHeader: false,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  server.setTimeout(limits.idleTimeoutMs);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = clientErrorCode(error.code);
    refusals.record('request refused by the HTTP parser', { code, reason: error.code ?? 'unknown' });
    const inProgress = responses.get(socket);
    // Once a response has started, no second one can be written: the connection just ends.
    if (!socket.writable || error.code === 'ECONNRESET' || inProgress?.headersSent === true) {
      socket.destroy();
      return;
    }
    const hint = code === 'headers_too_large'
      ? `Keep the request head under ${limits.maxHeaderBytes} bytes.`
      : 'Send each request as one complete HTTP/1.1 message, without pauses.';
    const body: ErrorBody = { error: { code, message: clientErrorMessage(code), hint } };
    socket.end(rawJsonResponse(httpStatusOf(code), body));
  });
  return server;
}
