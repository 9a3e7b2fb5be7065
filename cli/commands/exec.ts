import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from 'commander';
import { acquireSession } from '../acquire-session.ts';
import { CliError, Interrupted, usageError } from '../cli-error.ts';
import type { CommandContext, CommandDeps } from '../command-context.ts';
import { requireSiteUrl } from '../env-session.ts';
import { exitCodeForSignal } from '../exit-codes.ts';
import { addSessionFlags, sessionFlagsOf, sessionHelp, type SessionFlags } from '../session-flags.ts';
import { sessionVariables } from '../session-formats.ts';

/** Options of `latchkey exec`. */
export interface ExecOptions extends SessionFlags {
  site: string | null;
  /** The command and its arguments (everything after `--`). */
  command: string[];
}

/**
 * Splits `exec`'s operands into SITE and the command. Commander drops the `--`, so where it stood
 * is read from the raw arguments: whatever came after it is the command, untouched.
 */
export function splitExecOperands(operands: string[], rawArgs: readonly string[]): { site: string | null; command: string[] } {
  const dash = rawArgs.indexOf('--');
  if (dash < 0) throw usageError('Put `--` before the command: latchkey exec [SITE] -- CMD ARGS...', 'exec');
  const commandLength = rawArgs.length - dash - 1;
  const command = operands.slice(operands.length - commandLength);
  const before = operands.slice(0, operands.length - commandLength);
  if (command.length === 0) throw usageError('Give the command to run after `--`.', 'exec');
  if (before.length > 1) throw usageError(`Only one SITE may come before \`--\`, not ${before.length} words.`, 'exec');
  return { site: before[0] ?? null, command };
}

function childError(error: NodeJS.ErrnoException, name: string): CliError {
  if (error.code === 'ENOENT') return new CliError('command_not_found', `${name}: command not found.`);
  if (error.code === 'EACCES') return new CliError('command_not_executable', `${name}: permission denied.`);
  return new CliError('command_not_executable', `${name} could not be started (${error.code ?? error.message}).`);
}

/**
 * Runs a command with the session in its environment and returns its exit code (128 + the signal
 * number when a signal ended it, as shells report it).
 */
export async function runExec(options: ExecOptions, deps: CommandDeps): Promise<number> {
  if (options.command.length === 0) throw usageError('Give the command to run after `--`.', 'exec');
  const { session, agent } = await acquireSession(options.site, options, deps, 'exec');
  agent?.client.close();
  requireSiteUrl(session, 'exec');
  const [name, ...args] = options.command as [string, ...string[]];
  const child = spawn(name, args, { stdio: 'inherit', env: { ...deps.env, ...sessionVariables(session) } });
  // Ctrl-C in a terminal reaches the child by itself (it shares our process group); any other
  // interruption is passed on, so the child can end its own way and its exit code still counts.
  const forward = (): void => {
    const reason: unknown = deps.signal.reason;
    const signal = reason instanceof Interrupted ? reason.signal : 'SIGTERM';
    if (signal !== 'SIGINT' || (deps.stdin as { isTTY?: boolean }).isTTY !== true) child.kill(signal);
  };
  deps.signal.addEventListener('abort', forward, { once: true });
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(childError(error, name)));
      child.once('exit', (code, signal) => resolve(code ?? exitCodeForSignal(signal === null ? 0 : constants.signals[signal])));
    });
  } finally {
    deps.signal.removeEventListener('abort', forward);
  }
}

/** Adds `latchkey exec` to the program. */
export function registerExec(program: Command, context: CommandContext): void {
  addSessionFlags(
    program
      .command('exec')
      .usage('[options] [SITE] -- CMD [ARGS...]')
      .description('run a command with the session in its environment; its exit code is passed through')
      .argument('<words...>', 'SITE (optional), then -- and the command'),
  )
    .addHelpText(
      'after',
      `
The command gets LATCHKEY_SITE_URL, LATCHKEY_SESSION (the bare credential), LATCHKEY_COOKIE (the
Cookie header), LATCHKEY_SESSION_KIND and LATCHKEY_SESSION_NAME; a latchkey run inside it uses them
without an agent. Its stdin, stdout and stderr are this terminal; latchkey exits with its exit code
(128 + N when signal N ended it; 127 when it does not exist).
${sessionHelp}

Examples:
  latchkey exec studio -- python3 report.py
  latchkey exec -- sh -c 'curl -fsS -H "Cookie: $LATCHKEY_COOKIE" "$LATCHKEY_SITE_URL/api/whoami"'`,
    )
    .action(async (words: string[], _raw: unknown, command: Command) => {
      const { site, command: argv } = splitExecOperands(words, context.argv);
      context.setExitCode(await runExec({ site, command: argv, ...sessionFlagsOf(command, context.deps.env) }, context.deps));
    });
}
