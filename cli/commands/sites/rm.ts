import type { Command } from 'commander';
import { siteIdFor } from '../../client/site-ref.ts';
import { withAgent, type CommandContext, type CommandDeps } from '../../command-context.ts';
import { exitCodes } from '../../exit-codes.ts';

/** Options of `latchkey sites rm`. */
export interface RemoveSiteOptions {
  site: string;
}

/** Removes a site, logging it out first (its session and browser profile go too). */
export async function runRemoveSite(options: RemoveSiteOptions, deps: CommandDeps): Promise<number> {
  const call = { signal: deps.signal };
  const result = await withAgent(deps, 'latchkey sites rm', async (client) => client.call('removeSite', { id: await siteIdFor(client, options.site, call) }, call));
  deps.stdout.write(`Removed ${result.removed}; its session and browser profile are gone.\n`);
  return exitCodes.ok;
}

/** Adds `latchkey sites rm` to the sites group. */
export function registerRemoveSite(group: Command, context: CommandContext): void {
  group
    .command('rm')
    .alias('remove')
    .description('remove a site, with its session and browser profile')
    .argument('<site>', 'id, name, host or URL')
    .addHelpText('after', '\nExample:\n  latchkey sites rm studio')
    .action(async (site: string) => {
      context.setExitCode(await runRemoveSite({ site }, context.deps));
    });
}
