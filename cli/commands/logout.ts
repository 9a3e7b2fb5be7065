import { forDisplay } from '../../core/common/display-text.ts';
import type { LogoutReport } from '../../core/common/views.ts';
import { usageError } from '../arguments.ts';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { withAgent } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';

/** Options of `latchkey logout`. */
export interface LogoutOptions {
  site: string | null;
  all: boolean;
  everywhere: boolean;
}

/** A site's logout, for a person: what was ended beyond this machine, and what could not be. */
export function reportLines(report: LogoutReport): string[] {
  const done = report.steps.filter((step) => step.ok);
  const notDone = report.steps.filter((step) => !step.ok);
  const lines = [`Logged out of ${report.site}${report.localOnly && notDone.length === 0 ? ' (local only: nothing to end beyond this machine)' : ''}.`];
  for (const step of done) lines.push(`  ended: ${forDisplay(step.detail)}`);
  for (const step of notDone) lines.push(`  not ended: ${forDisplay(step.detail)}`);
  return lines;
}

/** `latchkey logout [SITE | --all] [--everywhere]`: ends the session of one site, or of every site. */
export const command = defineCommand<LogoutOptions>({
  operands: [siteOperand],
  options: [
    { name: 'all', description: 'log out of every site' },
    { name: 'everywhere', description: "also end Latchkey's session at each identity provider" },
  ],
  details: `Ends the session where it lives, then forgets it and the site's browser profile (the identity
provider's cookies for that site included): the site's logout path when its profile has one, and
for oidc sites the revocation of the provider's tokens. --everywhere also ends Latchkey's session at
the identity provider (its end-session endpoint), so no login renews without the person. Each site's
line says what was ended beyond this machine and what could not be; the local session is gone in
every case.`,
  examples: ['latchkey logout studio', 'latchkey logout --all', 'latchkey logout --all --everywhere'],
  read: (args) => {
    const site = args.operands[0] ?? null;
    const all = args.values['all'] === true;
    if (all && site !== null) throw usageError('Give either a SITE or --all, not both.', 'logout');
    return { site, all, everywhere: args.values['everywhere'] === true };
  },
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const lines = await withAgent(deps, 'latchkey logout', async (client) => {
      if (options.all) {
        const { reports } = await client.call('logoutAll', options.everywhere ? { everywhere: true } : {}, call);
        return reports.length === 0 ? ['There are no sites to log out of.'] : reports.flatMap(reportLines);
      }
      const id = await siteIdFor(client, siteRefFrom(options.site, deps.env), call);
      const { report } = await client.call('logout', { id, ...(options.everywhere ? { everywhere: true } : {}) }, call);
      return reportLines(report);
    });
    deps.stdout.write(lines.join('\n') + '\n');
    return exitCodes.ok;
  },
});
