import type { Command } from 'commander';
import { acquireSession } from '../acquire-session.ts';
import type { CommandContext, CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';
import type { QuickCommand } from '../quick-verbs.ts';
import { addSessionFlags, readPlainSessionArgs, sessionFlagsOf, sessionHelp, type SessionFlags } from '../session-flags.ts';

/** Options of `latchkey token`. */
export interface TokenOptions extends SessionFlags {
  site: string | null;
}

/** Prints the bare primary credential (the session cookie's value, or the token), for `$(...)`. */
export async function runToken(options: TokenOptions, deps: CommandDeps): Promise<number> {
  const { session, agent } = await acquireSession(options.site, options, deps, 'token');
  agent?.client.close();
  deps.stdout.write(session.credential.value + '\n');
  return exitCodes.ok;
}

/** `latchkey token` in a plain form, read without commander (quick-verbs.ts); null for the program to read. */
export function quickToken(args: string[], env: NodeJS.ProcessEnv): QuickCommand | null {
  const plain = readPlainSessionArgs(args, {}, env);
  return plain && ((deps) => runToken({ site: plain.site, ...plain.flags }, deps));
}

/** Adds `latchkey token` to the program. */
export function registerToken(program: Command, context: CommandContext): void {
  addSessionFlags(
    program
      .command('token')
      .description("print the site's bare session credential, for $(...)")
      .argument('[site]', 'id, name, host or URL (default: LATCHKEY_SITE, else the default site)'),
  )
    .addHelpText(
      'after',
      `${sessionHelp}

Examples:
  curl -b "_session_id=$(latchkey token studio)" https://studio.example.com/api/whoami
  TOKEN=$(latchkey token --no-prompt) || echo "log in first: latchkey login"`,
    )
    .action(async (site: string | undefined, _raw: unknown, command: Command) => {
      context.setExitCode(await runToken({ site: site ?? null, ...sessionFlagsOf(command, context.deps.env) }, context.deps));
    });
}
