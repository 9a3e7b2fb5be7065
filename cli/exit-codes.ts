import { LatchkeyError, type ErrorCode } from '../core/errors.ts';

/** The exit codes of DESIGN.md section 6, in one place. */
export const exitCodes = {
  ok: 0,
  error: 1,
  usage: 2,
  agentNotRunning: 3,
  loginRequired: 4,
  refused: 5,
  loginTimeout: 124,
  interrupted: 130,
} as const;

const byCode: Partial<Record<ErrorCode | string, number>> = {
  login_required: exitCodes.loginRequired,
  login_cancelled: exitCodes.loginRequired,
  login_timeout: exitCodes.loginTimeout,
  agent_not_running: exitCodes.agentNotRunning,
  unauthorized: exitCodes.refused,
  forbidden: exitCodes.refused,
  misdirected: exitCodes.refused,
};

/** The exit code for an error, by its code. */
export function exitCodeFor(error: unknown): number {
  const code = error instanceof LatchkeyError ? error.code : (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (byCode[code] ?? exitCodes.error) : exitCodes.error;
}
