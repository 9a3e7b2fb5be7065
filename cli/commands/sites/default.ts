import { siteIdFor } from '../../client/site-ref.ts';
import { defineCommand } from '../../command.ts';
import { withAgent } from '../../deps.ts';
import { exitCodes } from '../../exit-codes.ts';

/** Options of `latchkey sites default`. */
export interface DefaultSiteOptions {
  site: string;
}

/** `latchkey sites default SITE`: makes a site the default (the one used when no SITE is given and LATCHKEY_SITE is not set). */
export const command = defineCommand<DefaultSiteOptions>({
  operands: [{ name: 'SITE', description: 'id, name, host or URL', complete: 'sites' }],
  options: [],
  examples: ['latchkey sites default studio'],
  read: (args) => ({ site: args.operands[0] ?? '' }),
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const site = await withAgent(deps, 'latchkey sites default', async (client) => client.call('setDefaultSite', { id: await siteIdFor(client, options.site, call) }, call));
    deps.stdout.write(`${site.id} is now the default site.\n`);
    return exitCodes.ok;
  },
});
