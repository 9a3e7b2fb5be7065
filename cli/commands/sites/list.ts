import { hasCode } from '../../../core/common/errors.ts';
import type { SiteView } from '../../../core/common/views.ts';
import type { SiteKey } from '../../../core/sites/site-lookup.ts';
import { defineCommand } from '../../command.ts';
import { withAgent } from '../../deps.ts';
import { exitCodes } from '../../exit-codes.ts';
import { readHomeSites } from '../../home-sites.ts';
import { describeSession, siteLines } from '../../site-text.ts';
import { siteJson } from '../status.ts';

/** Options of `latchkey sites list`. */
export interface ListSitesOptions {
  json: boolean;
}

function sitesText(sites: ReadonlyArray<SiteView | SiteKey>, now: number): string {
  if (sites.length === 0) return 'No sites yet. Add one with `latchkey sites add URL`.\n';
  return sites.map((site) => siteLines(site, 'session' in site ? describeSession(site, now) : 'unknown (no agent is running)').join('\n') + '\n').join('\n');
}

/** `latchkey sites [list]`: the registered sites with their sessions; without an agent, what the home lists. */
export const command = defineCommand<ListSitesOptions>({
  operands: [],
  options: [{ name: 'json', description: 'print a JSON array of the sites, each as in `latchkey status --json`' }],
  details: 'Without a running agent, the sites the home lists are shown, with no session; no agent is started.',
  examples: ['latchkey sites', "latchkey sites --json | jq -r '.[].id'"],
  read: (args) => ({ json: args.values['json'] === true }),
  run: async (options, deps) => {
    let sites: ReadonlyArray<SiteView | SiteKey>;
    try {
      sites = await withAgent(deps, 'latchkey sites', (client) => client.call('listSites', {}, { signal: deps.signal }), { start: false });
    } catch (error) {
      if (!hasCode(error, 'agent_not_running')) throw error;
      sites = readHomeSites(deps.env) ?? [];
      deps.stderr.write('No agent is running: the sites the home lists, without their sessions.\n');
    }
    deps.stdout.write(options.json ? JSON.stringify(sites.map(siteJson), null, 2) + '\n' : sitesText(sites, deps.clock.now()));
    return exitCodes.ok;
  },
});
