import type { IncomingMessage } from 'node:http';
import { bearerToken, tokenMatches } from './agent-token.ts';
import { refusal } from './http-errors.ts';
import type { LatchkeyError } from '../common/errors.ts';
import { allowedMethods } from './router.ts';

/** The transport a request came in on. */
export interface TransportContext {
  kind: 'tcp' | 'unix';
  /** The agent's TCP port (the only port a Host header may name, on either transport). */
  port: number;
}

/**
 * Values of every header named `name` (lower case), in order: `req.headersDistinct`, which Node
 * builds once per request, since `req.headers` keeps only the first Host.
 */
export function rawValues(req: IncomingMessage, name: string): string[] {
  return req.headersDistinct[name] ?? [];
}

/**
 * The Host values accepted. Over TCP, only the agent's own address, byte for byte: a page that
 * re-points a name it controls at 127.0.0.1 (DNS rebinding) sends its own name, and `localhost`,
 * `localhost.` or `a.localhost` are names, which is why the agent is never addressed by one.
 *
 * Over the unix socket, also `localhost` or no Host at all: `curl --unix-socket` and Node's
 * `http.request({ socketPath })` send `Host: localhost`, and no browser can open a unix socket,
 * so there is no rebinding to guard against there; the strict match still refuses look-alikes.
 */
function hostAllowed(values: string[], transport: TransportContext): boolean {
  const own = [`127.0.0.1:${transport.port}`, `[::1]:${transport.port}`];
  if (transport.kind === 'unix') {
    if (values.length === 0) return true;
    own.push('localhost');
  }
  return values.length === 1 && own.includes(values[0] ?? '');
}

// Headers only browsers send: every browser request to a page-chosen URL carries Origin (or
// Sec-Fetch-Site and Sec-Fetch-Dest, Fetch Metadata, W3C). Node's fetch sends only
// `Sec-Fetch-Mode: cors`, which is therefore not on this list.
const browserHeaders = ['origin', 'sec-fetch-site', 'sec-fetch-dest'];
const tokenQueryKeys = new Set(['token', 'access_token']);

/**
 * The refusals that need no token (docs/ARCHITECTURE.md, "The agent API"), in an order that reveals nothing about
 * the API to an unauthenticated caller: request-target form, Host, preflight, browser headers,
 * and a token in the URL. Returns null when the request may go on to authentication.
 */
export function guardRequest(req: IncomingMessage, transport: TransportContext, token: string): LatchkeyError | null {
  const target = req.url ?? '';
  // Only origin-form (RFC 9112 section 3.2.1) is accepted: an absolute-form target names a host
  // of its own and would bypass the Host check.
  if (!target.startsWith('/')) {
    return refusal('bad_request', 'The request target must be a path (origin-form), not an absolute URL.');
  }
  if (!hostAllowed(rawValues(req, 'host'), transport)) {
    return refusal('misdirected', 'The Host header does not name this agent.');
  }
  const path = target.split('?', 1)[0] ?? '';
  if (req.method === 'OPTIONS') {
    // A CORS preflight gets no CORS headers, so the browser stops there.
    return refusal('method_not_allowed', 'OPTIONS (and so CORS preflight) is not served.', {
      allow: allowedMethods(path),
    });
  }
  for (const name of browserHeaders) {
    if (rawValues(req, name).length > 0) {
      return refusal('forbidden', 'Requests from web browsers are refused.');
    }
  }
  const queryStart = target.indexOf('?');
  if (queryStart >= 0) {
    for (const [key, value] of new URLSearchParams(target.slice(queryStart + 1))) {
      if (tokenQueryKeys.has(key.toLowerCase()) || tokenMatches(token, value)) {
        return refusal('unauthorized', 'The agent token is never accepted in a URL, where logs and histories keep it.', {
          hint: 'Remove it from the URL and send it in the header `Authorization: Bearer <token>`.',
        });
      }
    }
  }
  return null;
}

/** Checks `Authorization: Bearer <token>`; returns the refusal, or null when the token is right. */
export function authenticate(req: IncomingMessage, token: string): LatchkeyError | null {
  const values = rawValues(req, 'authorization');
  const presented = values.length === 1 ? bearerToken(values[0]) : null;
  if (presented === null || !tokenMatches(token, presented)) {
    return refusal('unauthorized', values.length === 0 ? 'The agent token is missing.' : 'The agent token is not valid.');
  }
  return null;
}
