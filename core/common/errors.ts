// The one error of Latchkey, its codes, and the tables over them (docs/ARCHITECTURE.md, "Errors").
// Runtime-neutral: the engine, the agent, the clients, the CLI and the renderer all import it.

/** Failures of the engine: sites, logins, sessions, the agent's own files. */
export type EngineErrorCode =
  | 'invalid_site_url'
  | 'invalid_site'
  | 'invalid_setting'
  | 'site_not_found'
  | 'site_exists'
  | 'site_ambiguous'
  | 'browser_not_found'
  | 'browser_failed'
  | 'login_required'
  | 'login_cancelled'
  | 'login_failed'
  | 'login_timeout'
  | 'store_corrupt'
  | 'store_failed'
  | 'agent_running'
  | 'agent_failed'
  | 'internal';

/** Refusals by the agent's transport (HTTP) before an operation runs. */
export type TransportErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'misdirected'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'timeout'
  | 'unsupported_media_type';

/** Failures only a client meets: no agent, or the command line's own. */
export type ClientErrorCode =
  | 'agent_not_running'
  /** A mistake in the arguments or the environment. */
  | 'usage'
  /** Ctrl-C or SIGTERM while waiting. */
  | 'interrupted'
  /** `exec`: the command does not exist, or cannot be run, as in a shell. */
  | 'command_not_found'
  | 'command_not_executable'
  /** The site answered an `api` call with an error, or could not be reached. */
  | 'site_request_failed'
  /** The session has no form the asked output can carry (a bearer token as cookies.txt). */
  | 'unsupported_format'
  /** A part this installation does not carry (the SSO lab comes with the repository only). */
  | 'not_installed'
  /** `service`: the platform's service manager refused the entry. */
  | 'service_failed';

/** Every code a failure in Latchkey carries; clients, tests and the CLI branch on codes, never on wording. */
export type ErrorCode = EngineErrorCode | TransportErrorCode | ClientErrorCode;

/** The codes an agent may answer with. */
export type AgentErrorCode = EngineErrorCode | TransportErrorCode;

/** Safe structured facts an error may carry to a client. */
export interface ErrorDetails {
  /** A failed login's ending and its safe reason. */
  ending?: string;
  reason?: string;
  /** The HTTP status a site answered (not the agent's own). */
  status?: number;
  /** `method_not_allowed`: the methods the path takes. */
  allow?: string[];
  /** `site_ambiguous`: the sites the reference matched. */
  candidates?: string[];
}

/**
 * The one base error. `message` and `hint` are safe to show and to log: they never hold a session
 * value, a token or a cookie (callers pass names and reasons, never values). Subclasses add
 * structured fields; only `code`, `message`, `hint` and `details` ever cross to a client.
 */
export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown; details?: ErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LatchkeyError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** True when `error` is a LatchkeyError (with the given code, when one is given). */
export function hasCode(error: unknown, code?: ErrorCode): error is LatchkeyError {
  return error instanceof LatchkeyError && (code === undefined || error.code === code);
}

/** The error body every shell sends: only safe fields cross to a client. */
export interface ErrorBody {
  error: { code: AgentErrorCode; message: string; hint?: string } & Omit<ErrorDetails, 'allow'>;
}

// Exhaustive on purpose: a code added to either union fails to compile here until it has a status.
const httpStatuses: Record<AgentErrorCode, number> = {
  invalid_site_url: 400,
  invalid_site: 400,
  // The agent's own settings (its environment, the system's), not the request: the agent is at fault.
  invalid_setting: 500,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  site_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  timeout: 408,
  site_exists: 409,
  site_ambiguous: 409,
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
  login_failed: 502,
  browser_not_found: 503,
  browser_failed: 503,
  login_timeout: 504,
};

/** The HTTP status the agent answers a code with; 500 for a code the agent never sends. */
export function httpStatusOf(code: ErrorCode): number {
  return Object.hasOwn(httpStatuses, code) ? httpStatuses[code as AgentErrorCode] : 500;
}

/** True for the codes an agent may send (a reply with any other code is not to be believed). */
export function isAgentErrorCode(value: unknown): value is AgentErrorCode {
  return typeof value === 'string' && Object.hasOwn(httpStatuses, value);
}

// What to run next, for errors that did not bring their own hint. `<site>` is filled in when known.
const hints: Record<ErrorCode, string> = {
  invalid_site_url: 'Give the site as an https URL (http only for loopback hosts), e.g. `latchkey sites add https://studio.example.com`.',
  invalid_site: 'Check the site fields; `latchkey sites add --help` lists them.',
  invalid_setting: 'Check the proxy settings in the environment of the agent (LATCHKEY_PROXY, HTTPS_PROXY, HTTP_PROXY) or the system\'s, then restart it.',
  site_not_found: 'Run `latchkey sites` to list the sites, or `latchkey sites add URL` to add one.',
  site_exists: 'Run `latchkey sites` to see the site that already has this URL or id.',
  site_ambiguous: 'Name the site by its URL; `latchkey sites` lists them.',
  browser_not_found: 'Install Chrome, Chromium or Edge, or set LATCHKEY_BROWSER to one.',
  browser_failed: 'Run `latchkey status`; the agent log says why the login browser failed.',
  login_required: 'Run `latchkey login <site>`.',
  login_cancelled: 'Run `latchkey login <site>` and finish the login in the window.',
  login_failed: 'Check the site in a browser, then run `latchkey login <site>`.',
  login_timeout: 'Run `latchkey login <site>` and finish the login in the window in time.',
  store_corrupt: 'Run `latchkey status`; the agent log names the file that was set aside.',
  store_failed: 'Run `latchkey status`; the agent log says which file could not be used.',
  agent_running: 'Run `latchkey status` to use the agent that is running.',
  agent_failed: 'Run `latchkey status`; the agent log says what failed.',
  internal: 'Run `latchkey status`; if this keeps happening, the agent log has the error.',
  bad_request: 'Fix the field named in the message; the Latchkey CLI and client library build valid requests (`latchkey --help`).',
  unauthorized: 'Send `Authorization: Bearer <token>` with the token from agent.json in the Latchkey home; the Latchkey CLI and client do this for you.',
  forbidden: 'The agent API serves local programs, not web pages: browsers and cross-origin requests are refused.',
  misdirected: 'Address the agent as 127.0.0.1:<port> from agent.json (or use its unix socket); run `latchkey status`.',
  not_found: 'Check the path: the agent API lives under /v1, in lower case, without trailing slashes (`latchkey --help`).',
  method_not_allowed: 'Use a method from the Allow header.',
  payload_too_large: 'Send a smaller request body.',
  headers_too_large: 'Send fewer or shorter headers.',
  timeout: 'Send the whole request at once; slow requests are closed.',
  unsupported_media_type: 'Send the body as JSON with `Content-Type: application/json`.',
  agent_not_running: 'Start the agent with `latchkey agent`, or open the Latchkey app.',
  usage: 'Run `latchkey --help`.',
  interrupted: 'Run the command again.',
  command_not_found: 'Check the command name and PATH.',
  command_not_executable: 'Check that the command is an executable file.',
  site_request_failed: 'Check that the site is reachable from this machine (its address, a VPN, a proxy).',
  unsupported_format: 'Use `latchkey token` or `--format json`.',
  not_installed: 'Run it from a clone of the repository: `npm ci`, then `npm run demo`.',
  service_failed: 'Run `latchkey service status`; `latchkey service uninstall` removes the entry.',
};

/** Every error code (the hint table is total over them). */
export const errorCodes: readonly ErrorCode[] = Object.freeze(Object.keys(hints) as ErrorCode[]);

// Site ids are slugs; anything else a client sent is not put into a hint.
const siteIdShape = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function fillSite(hint: string, site: string | undefined): string {
  return site !== undefined && siteIdShape.test(site) ? hint.replaceAll('<site>', site) : hint;
}

/** The hint for a code, with `<site>` filled in when `site` is a site id. */
export function defaultHint(code: ErrorCode, site?: string): string {
  return fillSite(hints[code], site);
}

/** The body an agent-side error goes out as: a LatchkeyError's safe fields; anything else is `internal`. */
export function errorBodyOf(error: unknown, site?: string): ErrorBody {
  if (!(error instanceof LatchkeyError) || !isAgentErrorCode(error.code)) {
    return { error: { code: 'internal', message: 'The agent failed to handle this request.', hint: hints.internal } };
  }
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, hint: fillSite(error.hint ?? hints[error.code], site) },
  };
  const details = error.details;
  if (details?.ending !== undefined) body.error.ending = details.ending;
  if (details?.reason !== undefined) body.error.reason = details.reason;
  if (details?.status !== undefined) body.error.status = details.status;
  if (details?.candidates !== undefined) body.error.candidates = [...details.candidates];
  return body;
}

/**
 * The error an agent's answer stands for, on the client side: the agent's code, message, hint and
 * details, or `internal` for an answer that is not an error body.
 */
export function errorFromBody(status: number, body: unknown): LatchkeyError {
  const error = (body as Partial<ErrorBody> | null)?.error;
  if (error === undefined || !isAgentErrorCode(error.code) || typeof error.message !== 'string') {
    return new LatchkeyError('internal', `The agent answered ${status} without an error description.`);
  }
  const details: ErrorDetails = {};
  if (typeof error.ending === 'string') details.ending = error.ending;
  if (typeof error.reason === 'string') details.reason = error.reason;
  if (typeof error.status === 'number') details.status = error.status;
  if (Array.isArray(error.candidates) && error.candidates.every((id) => typeof id === 'string')) details.candidates = [...error.candidates];
  return new LatchkeyError(error.code, error.message, {
    ...(typeof error.hint === 'string' ? { hint: error.hint } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
  });
}
