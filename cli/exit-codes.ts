import { LatchkeyError, type ErrorCode } from '../core/errors.ts';
import type { TransportErrorCode } from '../core/operations/contract.ts';
import type { CliErrorCode } from './cli-error.ts';

/** The exit codes of DESIGN.md section 6, in one place. */
export const exitCodes = {
  ok: 0,
  error: 1,
  usage: 2,
  agentNotRunning: 3,
  loginRequired: 4,
  refused: 5,
  /** `exec`: the command exists but cannot be run, as in a shell. */
  commandNotExecutable: 126,
  /** `exec`: no such command, as in a shell. */
  commandNotFound: 127,
  loginTimeout: 124,
  interrupted: 130,
  /** The reader of the output went away, as for a process that SIGPIPE ended (128 + 13). */
  brokenPipe: 141,
} as const;

// Codes not listed exit 1.
const byCode: Partial<Record<ErrorCode | TransportErrorCode | CliErrorCode, number>> = {
  usage: exitCodes.usage,
  agent_not_running: exitCodes.agentNotRunning,
  login_required: exitCodes.loginRequired,
  // A person closed the window: the login is still needed.
  login_cancelled: exitCodes.loginRequired,
  login_timeout: exitCodes.loginTimeout,
  // The agent refused the request itself (401, 403, 421): a wrong token or a foreign caller.
  unauthorized: exitCodes.refused,
  forbidden: exitCodes.refused,
  misdirected: exitCodes.refused,
  command_not_executable: exitCodes.commandNotExecutable,
  command_not_found: exitCodes.commandNotFound,
  interrupted: exitCodes.interrupted,
};

/** The exit code for an error, by its code (LatchkeyError, the client's AgentError, CliError). */
export function exitCodeFor(error: unknown): number {
  const code = error instanceof LatchkeyError ? error.code : (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (byCode[code as keyof typeof byCode] ?? exitCodes.error) : exitCodes.error;
}

/** 128 + the signal's number, as shells report a command killed by a signal. */
export function exitCodeForSignal(signalNumber: number): number {
  return 128 + signalNumber;
}
