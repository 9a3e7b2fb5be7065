/** Failures the command line itself reports (the agent's have their own codes, see client/agent-error.ts). */
export type CliErrorCode =
  /** A mistake in the arguments or the environment: exit 2. */
  | 'usage'
  /** Ctrl-C or SIGTERM while waiting: exit 130. */
  | 'interrupted'
  /** `exec`: the command does not exist (127) or cannot be run (126), as in a shell. */
  | 'command_not_found'
  | 'command_not_executable'
  /** The site answered an `api` call with an error, or could not be reached. */
  | 'site_request_failed'
  /** The session has no form the asked output can carry (e.g. a bearer token as cookies.txt). */
  | 'unsupported_format'
  /** A verb that is not built yet. */
  | 'not_available';

/** An error of the command line, with a safe message and what to run next. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** The interruption that aborts `deps.signal`: which signal arrived (Ctrl-C is SIGINT). */
export class Interrupted extends CliError {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super('interrupted', `Interrupted (${signal}).`);
    this.signal = signal;
  }
}

/** A usage mistake, with the command's help as the hint. */
export function usageError(message: string, command: string): CliError {
  return new CliError('usage', message, { hint: `Run \`latchkey ${command} --help\`.` });
}
