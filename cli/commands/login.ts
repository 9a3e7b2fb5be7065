import type { Command } from 'commander';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { withAgent, type CommandContext, type CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';
import { secondsOption } from '../session-flags.ts';
import { describeSession } from '../site-text.ts';

/** Options of `latchkey login`. */
export interface LoginOptions {
  site: string | null;
  /** Log in again even when the session is valid. */
  force: boolean;
  /** Seconds the login window may take; null: the agent's default (300). */
  timeout: number | null;
}

// A valid session answers at once; only a login that is really happening is announced.
const announceAfterMs = 400;

/** Logs in to a site in the login window, unless its session is valid (or `--force`). */
export async function runLogin(options: LoginOptions, deps: CommandDeps): Promise<number> {
  const call = { signal: deps.signal };
  const site = await withAgent(deps, 'latchkey login', async (client) => {
    const id = await siteIdFor(client, siteRefFrom(options.site, deps.env), call);
    const announce = (): void => {
      deps.stderr.write(`Waiting for the login to ${id === 'default' ? 'the default site' : id} in the browser window…\n`);
    };
    const timer = options.force ? null : setTimeout(announce, announceAfterMs);
    if (options.force) announce();
    try {
      return await client.call('login', { id, force: options.force, ...(options.timeout === null ? {} : { timeout: options.timeout }) }, call);
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  });
  deps.stdout.write(`${site.id}: ${describeSession(site, deps.clock.now())}\n`);
  return exitCodes.ok;
}

/** Adds `latchkey login` to the program. */
export function registerLogin(program: Command, context: CommandContext): void {
  program
    .command('login')
    .description('log in to a site in the login window (nothing to do while its session is valid)')
    .argument('[site]', 'id, name, host or URL (default: LATCHKEY_SITE, else the default site)')
    .option('--force', 'log in again even if the session is valid')
    .option('--timeout <seconds>', 'how long the login may take (default 300)')
    .addHelpText(
      'after',
      `
Prints the site's session on success. Exit codes: 4 when the window was closed, 124 when the
login timed out, 1 when it failed (the reason is printed), 3 when no agent is running.

Examples:
  latchkey login
  latchkey login studio --force --timeout 120`,
    )
    .action(async (site: string | undefined, raw: { force?: boolean }, command: Command) => {
      context.setExitCode(await runLogin({ site: site ?? null, force: raw.force === true, timeout: secondsOption(command, 'timeout') ?? null }, context.deps));
    });
}
