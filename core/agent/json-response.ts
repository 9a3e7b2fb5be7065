import { STATUS_CODES, type ServerResponse } from 'node:http';

// Every response: never cached (a session value must not land in any cache, RFC 9111 section
// 5.2.2.5), never content-sniffed. There is deliberately no Access-Control-* header anywhere:
// without one, a browser page cannot read any answer (Fetch standard, CORS check).
const commonHeaders: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** The headers every agent response carries, for responses that are not JSON (the event stream). */
export function commonResponseHeaders(): Record<string, string> {
  return { ...commonHeaders };
}

/**
 * Sends `body` as JSON. `close` ends the connection afterwards (refusals, and requests whose body
 * was not read).
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: { headers?: Readonly<Record<string, string>>; close?: boolean } = {},
): void {
  // Nothing more can go out once a response has started or the connection has ended (e.g. Node
  // answered a request timeout on the socket itself). A response without a socket yet is one to
  // a pipelined request: Node sends it, in order, once the answers before it are out.
  if (res.headersSent || res.destroyed || res.socket?.writableEnded === true) return;
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...commonHeaders,
    ...options.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(payload.length),
    ...(options.close === true ? { connection: 'close' } : {}),
  });
  res.end(payload);
}

/**
 * A whole HTTP/1.1 response as bytes, for errors Node's parser reports before there is a request
 * object ('clientError': oversized headers, timeouts, malformed requests).
 */
export function rawJsonResponse(status: number, body: unknown): string {
  const payload = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    ...Object.entries(commonHeaders).map(([name, value]) => `${name}: ${value}`),
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(payload)}`,
    'connection: close',
  ];
  return lines.join('\r\n') + '\r\n\r\n' + payload;
}
