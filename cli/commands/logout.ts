import { usageError } from '../arguments.ts';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { withAgent } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';

/** Options of `latchkey logout`. */
export interface LogoutOptions {
  site: string | null;
  all: boolean;
}

/** `latchkey logout [SITE | --all]`: ends the session of one site, or of every site. */
export const command = defineCommand<LogoutOptions>({
  operands: [siteOperand],
  options: [{ name: 'all', description: 'log out of every site' }],
  details: `Calls the site's logout path when its profile has one, then forgets the session and the site's
browser profile (the identity provider's cookies for that site included).`,
  examples: ['latchkey logout studio', 'latchkey logout --all'],
  read: (args) => {
    const site = args.operands[0] ?? null;
    const all = args.values['all'] === true;
    if (all && site !== null) throw usageError('Give either a SITE or --all, not both.', 'logout');
    return { site, all };
  },
  run: async (options, deps) => {
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
  },
});
