import type { Command } from 'commander';
import { usageError } from '../cli-error.ts';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { withAgent, type CommandContext, type CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';

/** Options of `latchkey logout`. */
export interface LogoutOptions {
  site: string | null;
  all: boolean;
}

/** Forgets the session and browser profile of one site, or of every site with `--all`. */
export async function runLogout(options: LogoutOptions, deps: CommandDeps): Promise<number> {
  if (options.all && options.site !== null) throw usageError('Give either a SITE or --all, not both.', 'logout');
  const call = { signal: deps.signal };
  const message = await withAgent(deps, 'latchkey logout', async (client) => {
    if (options.all) {
      const { sites } = await client.call('logoutAll', {}, call);
      return sites.length === 0 ? 'There are no sites to log out of.' : `Logged out of ${sites.length === 1 ? 'one site' : `${sites.length} sites`}: ${sites.join(', ')}.`;
    }
    const site = await client.call('logout', { id: await siteIdFor(client, siteRefFrom(options.site, deps.env), call) }, call);
    return `Logged out of ${site.id}.`;
  });
  deps.stdout.write(message + '\n');
  return exitCodes.ok;
}

/** Adds `latchkey logout` to the program. */
export function registerLogout(program: Command, context: CommandContext): void {
  program
    .command('logout')
    .description("forget a site's session and browser profile (or every site's, with --all)")
    .argument('[site]', 'id, name, host or URL (default: LATCHKEY_SITE, else the default site)')
    .option('--all', 'log out of every site')
    .addHelpText('after', '\nExamples:\n  latchkey logout studio\n  latchkey logout --all')
    .action(async (site: string | undefined, raw: { all?: boolean }) => {
      context.setExitCode(await runLogout({ site: site ?? null, all: raw.all === true }, context.deps));
    });
}
