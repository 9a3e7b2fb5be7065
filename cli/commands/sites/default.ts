import type { Command } from 'commander';
import { siteIdFor } from '../../client/site-ref.ts';
import { withAgent, type CommandContext, type CommandDeps } from '../../command-context.ts';
import { exitCodes } from '../../exit-codes.ts';

/** Options of `latchkey sites default`. */
export interface DefaultSiteOptions {
  site: string;
}

/** Makes a site the default (the one used when no SITE is given and LATCHKEY_SITE is not set). */
export async function runDefaultSite(options: DefaultSiteOptions, deps: CommandDeps): Promise<number> {
  const call = { signal: deps.signal };
  const site = await withAgent(deps, 'latchkey sites default', async (client) => client.call('setDefaultSite', { id: await siteIdFor(client, options.site, call) }, call));
  deps.stdout.write(`${site.id} is now the default site.\n`);
  return exitCodes.ok;
}

/** Adds `latchkey sites default` to the sites group. */
export function registerDefaultSite(group: Command, context: CommandContext): void {
  group
    .command('default')
    .description('make a site the default one')
    .argument('<site>', 'id, name, host or URL')
    .addHelpText('after', '\nExample:\n  latchkey sites default studio')
    .action(async (site: string) => {
      context.setExitCode(await runDefaultSite({ site }, context.deps));
    });
}
