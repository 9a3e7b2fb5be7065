import { errorBodyOf, httpStatusOf, LatchkeyError, type ErrorBody, type TransportErrorCode } from '../common/errors.ts';

/**
 * A refusal by the transport itself (a bad request, a foreign Host, a missing token): the one
 * error class, with a transport code. `allow` lists the methods for a `method_not_allowed`.
 */
export function refusal(code: TransportErrorCode, message: string, options: { hint?: string; allow?: string[] } = {}): LatchkeyError {
  return new LatchkeyError(code, message, {
    ...(options.hint === undefined ? {} : { hint: options.hint }),
    ...(options.allow === undefined ? {} : { details: { allow: options.allow } }),
  });
}

/** An error as it goes out over HTTP: status, safe body, extra headers, and what to log about it. */
export interface ErrorReply {
  status: number;
  body: ErrorBody;
  headers: Readonly<Record<string, string>>;
  /** For the log, when the error was not a LatchkeyError: its class name only. */
  unexpected: string | null;
}

/**
 * Turns anything a request produced into its reply. Only a LatchkeyError's own safe fields cross
 * (errorBodyOf); any other error gets a generic 500, since its message could hold anything (a
 * path, a header, a session value), and is logged by class name only.
 */
export function errorReply(error: unknown, site?: string): ErrorReply {
  const body = errorBodyOf(error, site);
  const allow = error instanceof LatchkeyError ? error.details?.allow : undefined;
  return {
    status: httpStatusOf(body.error.code),
    body,
    headers: allow === undefined ? {} : { allow: allow.join(', ') },
    unexpected: error instanceof LatchkeyError ? null : error instanceof Error ? error.constructor.name : typeof error,
  };
}
