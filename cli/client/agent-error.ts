import type { ErrorCode } from '../../core/errors.ts';
import type { ErrorBody, TransportErrorCode } from '../../core/operations/contract.ts';

/** Every code a client can meet: the engine's codes, the transport's, and `agent_not_running`. */
export type AgentErrorCode = ErrorCode | TransportErrorCode;

/** Safe facts that came with an error: a failed login's reason, the HTTP status the site gave. */
export interface AgentErrorDetails {
  reason?: string;
  status?: number;
}

/**
 * A failure reported by (or about) the agent, shaped like core's LatchkeyError (`code`, a safe
 * `message`, `hint`, `details`). It is a class of its own because its code may also be one of the
 * transport's (`unauthorized`, `misdirected`, …), which LatchkeyError's code union leaves out on
 * purpose. Branch on `code`, never on the wording.
 */
export class AgentError extends Error {
  readonly code: AgentErrorCode;
  readonly hint: string | undefined;
  readonly details: AgentErrorDetails | undefined;
  /** The agent's HTTP status, or null when the agent was never reached. */
  readonly httpStatus: number | null;

  constructor(
    code: AgentErrorCode,
    message: string,
    options: { hint?: string; details?: AgentErrorDetails; httpStatus?: number | null; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.httpStatus = options.httpStatus ?? null;
  }
}

/** True when `error` is an AgentError (with the given code, when one is given). */
export function isAgentError(error: unknown, code?: AgentErrorCode): error is AgentError {
  return error instanceof AgentError && (code === undefined || error.code === code);
}

/** The hint every "no agent" error carries. */
export const startAgentHint = 'Start it with `latchkey agent` or the desktop app.';

/** The error for an agent that is not there: no discovery file, or nothing answering at its addresses. */
export function agentNotRunning(message: string, cause?: unknown): AgentError {
  return new AgentError('agent_not_running', message, { hint: startAgentHint, cause });
}

/** The error an agent's error reply stands for; a reply that is not an error body becomes `internal`. */
export function errorFromReply(status: number, body: unknown): AgentError {
  const error = (body as Partial<ErrorBody> | null)?.error;
  if (error === undefined || typeof error.code !== 'string' || typeof error.message !== 'string') {
    return new AgentError('internal', `The agent answered ${status} without an error description.`, { httpStatus: status });
  }
  const details: AgentErrorDetails = {};
  if (typeof error.reason === 'string') details.reason = error.reason;
  if (typeof error.status === 'number') details.status = error.status;
  return new AgentError(error.code, error.message, {
    ...(typeof error.hint === 'string' ? { hint: error.hint } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
    httpStatus: status,
  });
}
