import { siteIdFor } from '../../client/site-ref.ts';
import { defineCommand } from '../../command.ts';
import { withAgent } from '../../deps.ts';
import { exitCodes } from '../../exit-codes.ts';

/** Options of `latchkey sites rm`. */
export interface RemoveSiteOptions {
  site: string;
}

/** `latchkey sites rm SITE`: removes a site, logging it out first (its session and browser profile go too). */
export const command = defineCommand<RemoveSiteOptions>({
  operands: [{ name: 'SITE', description: 'id, name, host or URL', complete: 'sites' }],
  options: [],
  examples: ['latchkey sites rm studio'],
  read: (args) => ({ site: args.operands[0] ?? '' }),
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const result = await withAgent(deps, 'latchkey sites rm', async (client) => client.call('removeSite', { id: await siteIdFor(client, options.site, call) }, call));
    deps.stdout.write(`Removed ${result.removed}; its session and browser profile are gone.\n`);
    return exitCodes.ok;
  },
});
