/** Every failure Latchkey reports carries one of these codes; clients and the CLI branch on codes, never on wording. */
export type ErrorCode =
  | 'invalid_site_url'
  | 'invalid_site'
  | 'site_not_found'
  | 'site_exists'
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
  | 'agent_not_running'
  | 'internal';

/** Safe structured facts an error may carry to a client (a login's ending, an HTTP status). */
export interface ErrorDetails {
  ending?: string;
  reason?: string;
  status?: number;
}

/**
 * The one base error. `message` and `hint` are safe to show and to log: they never hold a session
 * value, a token or a cookie (callers pass names and reasons, never values).
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

/** True when `error` is a LatchkeyError with the given code. */
export function hasCode(error: unknown, code: ErrorCode): error is LatchkeyError {
  return error instanceof LatchkeyError && error.code === code;
}
