import { LatchkeyError, type ErrorCode } from '../errors.ts';
import type { ErrorBody, TransportErrorCode } from '../operations/contract.ts';

/** Every code a client can see. */
export type ClientErrorCode = ErrorCode | TransportErrorCode;

// Exhaustive on purpose: a code added to either union fails to compile here until it has a status.
const statusOf: Record<ClientErrorCode, number> = {
  invalid_site_url: 400,
  invalid_site: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  site_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  timeout: 408,
  site_exists: 409,
  login_required: 409,
  login_cancelled: 409,
  agent_running: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // RFC 9110 section 15.5.20: the request was sent to a server that is not the one it names.
  misdirected: 421,
  headers_too_large: 431,
  store_corrupt: 500,
  store_failed: 500,
  agent_failed: 500,
  internal: 500,
  // Never sent by an agent (a client reports it when none answers); listed so the table stays total.
  agent_not_running: 503,
  login_failed: 502,
  browser_not_found: 503,
  browser_failed: 503,
  login_timeout: 504,
};

// What to run next, for errors that did not bring their own hint. `<site>` is filled in when known.
const hintOf: Record<ClientErrorCode, string> = {
  invalid_site_url: 'Give the site as an https URL (http only for loopback hosts), e.g. `latchkey sites add https://studio.example.com`.',
  invalid_site: 'Check the site fields; `latchkey sites add --help` lists them.',
  bad_request: 'Fix the field named in the message; the Latchkey CLI and client library build valid requests (`latchkey --help`).',
  unauthorized: 'Send `Authorization: Bearer <token>` with the token from agent.json in the Latchkey home; the Latchkey CLI and client do this for you.',
  forbidden: 'The agent API serves local programs, not web pages: browsers and cross-origin requests are refused.',
  site_not_found: 'Run `latchkey sites` to list the sites, or `latchkey sites add URL` to add one.',
  not_found: 'Check the path: the agent API lives under /v1, in lower case, without trailing slashes (`latchkey --help`).',
  method_not_allowed: 'Use a method from the Allow header.',
  timeout: 'Send the whole request at once; slow requests are closed.',
  site_exists: 'Run `latchkey sites` to see the site that already has this URL or id.',
  login_required: 'Run `latchkey login <site>`.',
  login_cancelled: 'Run `latchkey login <site>` and finish the login in the window.',
  agent_running: 'Run `latchkey status` to use the agent that is running.',
  payload_too_large: 'Send a smaller request body.',
  unsupported_media_type: 'Send the body as JSON with `Content-Type: application/json`.',
  misdirected: 'Address the agent as 127.0.0.1:<port> from agent.json (or use its unix socket); run `latchkey status`.',
  headers_too_large: 'Send fewer or shorter headers.',
  store_corrupt: 'Run `latchkey status`; the agent log names the file that was set aside.',
  store_failed: 'Run `latchkey status`; the agent log says which file could not be used.',
  agent_failed: 'Run `latchkey status`; the agent log says what failed.',
  agent_not_running: 'Start the agent with `latchkey agent`, or open the Latchkey app.',
  internal: 'Run `latchkey status`; if this keeps happening, the agent log has the error.',
  login_failed: 'Check the site in a browser, then run `latchkey login <site>`.',
  browser_not_found: 'Install Chrome, Chromium or Edge, or set LATCHKEY_BROWSER to one.',
  browser_failed: 'Run `latchkey status`; the agent log says why the login browser failed.',
  login_timeout: 'Run `latchkey login <site>` and finish the login in the window in time.',
};

/** The HTTP status of an error code. */
export function httpStatus(code: ClientErrorCode): number {
  return statusOf[code];
}

/** A refusal by the transport itself (a bad request, a foreign Host, a missing token, …). */
export class HttpRefusal extends Error {
  readonly code: TransportErrorCode;
  readonly status: number;
  readonly hint: string;
  /** Extra response headers, e.g. `Allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: TransportErrorCode, message: string, options: { hint?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'HttpRefusal';
    this.code = code;
    this.status = statusOf[code];
    this.hint = options.hint ?? hintOf[code];
    this.headers = options.headers ?? {};
  }
}

/** An error as it goes out: status, safe body, extra headers, and what to log about it. */
export interface ErrorReply {
  status: number;
  body: ErrorBody;
  headers: Readonly<Record<string, string>>;
  /** For the log: the code, and for unexpected errors the error's class name only. */
  logCode: string;
  unexpected: string | null;
}

// Site ids are slugs; anything else a client sent is not put into a hint.
const siteIdShape = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function fillHint(hint: string, site: string | undefined): string {
  return site !== undefined && siteIdShape.test(site) ? hint.replaceAll('<site>', site) : hint;
}

/**
 * Turns anything a request produced into its reply. Only a LatchkeyError's or HttpRefusal's own
 * safe fields cross; any other error gets a generic 500, since its message could hold anything
 * (a path, a header, a session value), and is logged by class name only.
 */
export function errorReply(error: unknown, site?: string): ErrorReply {
  if (error instanceof HttpRefusal) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, hint: error.hint } }, headers: error.headers, logCode: error.code, unexpected: null };
  }
  if (error instanceof LatchkeyError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, hint: fillHint(error.hint ?? hintOf[error.code] ?? hintOf.internal, site) } };
    if (error.details?.ending !== undefined) body.error.ending = error.details.ending;
    if (error.details?.reason !== undefined) body.error.reason = error.details.reason;
    if (error.details?.status !== undefined) body.error.status = error.details.status;
    return { status: statusOf[error.code] ?? 500, body, headers: {}, logCode: error.code, unexpected: null };
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'The agent failed to handle this request.', hint: hintOf.internal } },
    headers: {},
    logCode: 'internal',
    unexpected: name,
  };
}
