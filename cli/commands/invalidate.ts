import type { Command } from 'commander';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { withAgent, type CommandContext, type CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';

/** Options of `latchkey invalidate`. */
export interface InvalidateOptions {
  site: string | null;
}

/** Reports that the site rejected its session: the agent marks it invalid and renews it silently. */
export async function runInvalidate(options: InvalidateOptions, deps: CommandDeps): Promise<number> {
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
}

/** Adds `latchkey invalidate` to the program. */
export function registerInvalidate(program: Command, context: CommandContext): void {
  program
    .command('invalidate')
    .description('report that the site rejected its session (a 401): it is renewed silently')
    .argument('[site]', 'id, name, host or URL (default: LATCHKEY_SITE, else the default site)')
    .addHelpText('after', '\nExample:\n  curl -fsS -b "_session_id=$(latchkey token)" "$URL" || { latchkey invalidate; latchkey token; }')
    .action(async (site: string | undefined) => {
      context.setExitCode(await runInvalidate({ site: site ?? null }, context.deps));
    });
}
