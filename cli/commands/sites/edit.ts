import type { ProfilePatch } from '../../../core/common/operations.ts';
import { stringValue, usageError } from '../../arguments.ts';
import { lookupSiteOrThrow } from '../../client/site-ref.ts';
import { defineCommand } from '../../command.ts';
import { withAgent } from '../../deps.ts';
import { exitCodes } from '../../exit-codes.ts';
import { profileHelp, profileOptions, readProfileFlags } from '../../profile-flags.ts';
import { describeSite } from '../../site-text.ts';

/** Options of `latchkey sites edit`. */
export interface EditSiteOptions {
  site: string;
  name: string | null;
  profile: ProfilePatch;
}

/** `latchkey sites edit SITE`: changes a site's name or profile fields; the agent validates the whole profile again. */
export const command = defineCommand<EditSiteOptions>({
  operands: [{ name: 'SITE', description: 'id, name, host or URL', complete: 'sites' }],
  options: [{ name: 'name', value: 'NAME', description: 'a new display name' }, ...profileOptions],
  details: `A change to what a login captures or where the session goes (the paths, the cookies, the
identity provider) ends the site's stored session: the next use logs in again.

${profileHelp}`,
  examples: ['latchkey sites edit studio --name "Studio (prod)"', 'latchkey sites edit studio --validate-path /api/whoami --set idleTimeoutMinutes=480'],
  read: (args) => {
    const name = stringValue(args.values['name']) ?? null;
    const profile = readProfileFlags(args, 'sites edit');
    if (name === null && Object.keys(profile).length === 0) throw usageError('Nothing to change: give --name or a profile field.', 'sites edit');
    return { site: args.operands[0] ?? '', name, profile };
  },
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const site = await withAgent(deps, 'latchkey sites edit', async (client) => {
      const { id } = await lookupSiteOrThrow(client, options.site, call);
      return client.call(
        'updateSite',
        { id, ...(options.name === null ? {} : { name: options.name }), ...(Object.keys(options.profile).length === 0 ? {} : { profile: options.profile }) },
        call,
      );
    });
    deps.stdout.write(`Changed ${describeSite(site)}.\n`);
    return exitCodes.ok;
  },
});
