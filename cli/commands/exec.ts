import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { constants } from 'node:os';
import { LatchkeyError } from '../../core/common/errors.ts';
import { usageError } from '../arguments.ts';
import { acquireSession } from '../acquire-session.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { requireSiteUrl } from '../env-session.ts';
import { exitCodeForSignal } from '../exit-codes.ts';
import { Interrupted } from '../interrupted.ts';
import { readSessionFlags, sessionHelp, sessionOptions, type SessionFlags } from '../session-flags.ts';
import { sessionVariables } from '../session-formats.ts';

/** Options of `latchkey exec`. */
export interface ExecOptions extends SessionFlags {
  site: string | null;
  /** The command and its arguments (everything after `--`). */
  command: string[];
}

/**
 * Node's spawn, or on Windows cross-spawn, which finds the command as cmd.exe would (PATHEXT:
 * `.cmd` and `.bat` scripts too, their arguments escaped for cmd.exe). Elsewhere cross-spawn is
 * Node's spawn itself, so it is loaded only on Windows: `npm run bench` times every `exec`.
 */
async function platformSpawn(): Promise<(command: string, args: string[], options: SpawnOptions) => ChildProcess> {
  if (process.platform === 'win32') return (await import('cross-spawn')).default;
  return (await import('node:child_process')).spawn;
}

function childError(error: NodeJS.ErrnoException, name: string): LatchkeyError {
  if (error.code === 'ENOENT') return new LatchkeyError('command_not_found', `${name}: command not found.`);
  if (error.code === 'EACCES') return new LatchkeyError('command_not_executable', `${name}: permission denied.`);
  return new LatchkeyError('command_not_executable', `${name} could not be started (${error.code ?? error.message}).`);
}

/**
 * `latchkey exec [SITE] -- CMD ARGS...`: runs a command with the session in its environment and
 * returns its exit code (128 + the signal number when a signal ended it, as shells report it).
 */
export const command = defineCommand<ExecOptions>({
  operands: [siteOperand],
  options: sessionOptions,
  takesCommand: true,
  details: `The command gets LATCHKEY_SITE_URL (the site), LATCHKEY_SESSION (the bare
credential), LATCHKEY_COOKIE (the Cookie header), LATCHKEY_SESSION_KIND and LATCHKEY_SESSION_NAME;
a latchkey run inside it uses them for that site only, without an agent. Its stdin, stdout and
stderr are this terminal; latchkey exits with its exit code (128 + N when signal N ended it; 127
when it does not exist).

${sessionHelp}`,
  examples: [
    'latchkey exec studio -- python3 report.py',
    `latchkey exec studio -- sh -c 'printf "Cookie: %s\\n" "$LATCHKEY_COOKIE" | curl -fsS -H @- "$LATCHKEY_SITE_URL/api/whoami"'`,
  ],
  read: (args, env) => {
    if (args.rest === null) throw usageError('Put `--` before the command: latchkey exec [SITE] -- CMD ARGS...', 'exec');
    if (args.rest.length === 0) throw usageError('Give the command to run after `--`.', 'exec');
    return { site: args.operands[0] ?? null, command: [...args.rest], ...readSessionFlags(args, env, 'exec') };
  },
  run: async (options, deps) => {
    const { session, agent } = await acquireSession(options.site, options, deps, 'exec');
    agent?.client.close();
    requireSiteUrl(session, 'exec');
    const [name, ...args] = options.command as [string, ...string[]];
    const spawn = await platformSpawn();
    const child = spawn(name, args, { stdio: 'inherit', env: { ...deps.env, ...sessionVariables(session) } });
    // Ctrl-C in a terminal reaches the child by itself (it shares our process group); any other
    // interruption is passed on, so the child can end its own way and its exit code still counts.
    const forward = (): void => {
      const reason: unknown = deps.signal.reason;
      const signal = reason instanceof Interrupted && reason.signal !== 'SIGPIPE' ? reason.signal : 'SIGTERM';
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
  },
});
