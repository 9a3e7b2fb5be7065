import { LatchkeyError, type ErrorCode } from '../core/common/errors.ts';

/** The exit codes of the command line (docs/ARCHITECTURE.md, "The command line"), in one place. */
export const exitCodes = {
  ok: 0,
  error: 1,
  usage: 2,
  agentNotRunning: 3,
  loginRequired: 4,
  refused: 5,
  loginTimeout: 124,
  /** `exec`: the command exists but cannot be run, as in a shell. */
  commandNotExecutable: 126,
  /** `exec`: no such command, as in a shell. */
  commandNotFound: 127,
  interrupted: 130,
  /** The reader of the output went away, as for a process that SIGPIPE ended (128 + 13). */
  brokenPipe: 141,
} as const;

/** The exit codes, as every help that mentions them says them (the numbers are above). */
export const exitCodeHelp = `Exit codes: 0 ok, 1 error, 2 usage, 3 agent not running, 4 login required (or cancelled),
5 refused by the agent, 124 login timed out, 126 a command (exec) cannot run, 127 a command (exec)
was not found, 130 interrupted, 141 the reader of the output went away; \`exec\` passes its child's
code through (128 + N for signal N).`;

// Total on purpose: a code added to the union fails to compile here until it has an exit code.
const byCode: Record<ErrorCode, number> = {
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
  invalid_site_url: exitCodes.error,
  invalid_site: exitCodes.error,
  invalid_setting: exitCodes.error,
  site_not_found: exitCodes.error,
  site_exists: exitCodes.error,
  site_ambiguous: exitCodes.error,
  browser_not_found: exitCodes.error,
  browser_failed: exitCodes.error,
  login_failed: exitCodes.error,
  store_corrupt: exitCodes.error,
  store_failed: exitCodes.error,
  agent_running: exitCodes.error,
  agent_failed: exitCodes.error,
  internal: exitCodes.error,
  bad_request: exitCodes.error,
  not_found: exitCodes.error,
  method_not_allowed: exitCodes.error,
  payload_too_large: exitCodes.error,
  headers_too_large: exitCodes.error,
  timeout: exitCodes.error,
  unsupported_media_type: exitCodes.error,
  site_request_failed: exitCodes.error,
  unsupported_format: exitCodes.error,
  not_installed: exitCodes.error,
  service_failed: exitCodes.error,
};

/** The exit code for an error: by its code for a LatchkeyError, 1 for anything else. */
export function exitCodeFor(error: unknown): number {
  return error instanceof LatchkeyError ? byCode[error.code] : exitCodes.error;
}

/** 128 + the signal's number, as shells report a command killed by a signal. */
export function exitCodeForSignal(signalNumber: number): number {
  return 128 + signalNumber;
}
