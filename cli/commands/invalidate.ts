import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { withAgent } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';

/** Options of `latchkey invalidate`. */
export interface InvalidateOptions {
  site: string | null;
}

/** `latchkey invalidate [SITE]`: reports that the site rejected its session; the agent marks it invalid and renews it silently. */
export const command = defineCommand<InvalidateOptions>({
  operands: [siteOperand],
  options: [],
  examples: ['latchkey api studio /api/whoami || { latchkey invalidate studio; latchkey api studio /api/whoami; }'],
  read: (args) => ({ site: args.operands[0] ?? null }),
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const site = await withAgent(deps, 'latchkey invalidate', async (client) =>
      client.call('invalidate', { id: await siteIdFor(client, siteRefFrom(options.site, deps.env), call) }, call),
    );
    deps.stdout.write(
      site.session.state === 'none'
        ? `${site.id} has no session to invalidate.\n`
        : `The session of ${site.id} is marked rejected; a silent renewal has started.\n`,
    );
    return exitCodes.ok;
  },
});
