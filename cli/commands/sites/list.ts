import type { Command } from 'commander';
import type { SiteView } from '../../../core/operations/contract.ts';
import { withAgent, type CommandContext, type CommandDeps } from '../../command-context.ts';
import { exitCodes } from '../../exit-codes.ts';
import { describeSession, describeSite } from '../../site-text.ts';
import { siteJson } from '../status.ts';

/** Options of `latchkey sites` (`sites list`). */
export interface ListSitesOptions {
  json: boolean;
}

function sitesText(sites: SiteView[], now: number): string {
  if (sites.length === 0) return 'No sites yet. Add one with `latchkey sites add URL`.\n';
  return sites.map((site) => `${describeSite(site)}\n  url:     ${site.url}\n  session: ${describeSession(site, now)}\n`).join('\n');
}

/** Lists the registered sites with their sessions. */
export async function runListSites(options: ListSitesOptions, deps: CommandDeps): Promise<number> {
  const sites = await withAgent(deps, 'latchkey sites', (client) => client.call('listSites', {}, { signal: deps.signal }));
  deps.stdout.write(options.json ? JSON.stringify(sites.map(siteJson), null, 2) + '\n' : sitesText(sites, deps.clock.now()));
  return exitCodes.ok;
}

/** Adds `latchkey sites [list]` to the sites group. */
export function registerListSites(group: Command, context: CommandContext): void {
  group
    .command('list', { isDefault: true })
    .description('list the sites with their sessions (the default of `latchkey sites`)')
    .option('--json', 'print a JSON array of the sites, each as in `latchkey status --json`')
    .addHelpText('after', '\nExamples:\n  latchkey sites\n  latchkey sites --json | jq -r \'.[].id\'')
    .action(async (raw: { json?: boolean }) => {
      context.setExitCode(await runListSites({ json: raw.json === true }, context.deps));
    });
}
