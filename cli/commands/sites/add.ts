import type { Command } from 'commander';
import { withAgent, type CommandContext, type CommandDeps } from '../../command-context.ts';
import { exitCodes } from '../../exit-codes.ts';

/** Options of `latchkey sites add`. */
export interface AddSiteOptions {
  url: string;
  name: string | null;
  preset: string | null;
  renewPath: string | null;
  landingPath: string | null;
  sessionCookie: string | null;
  makeDefault: boolean;
}

/** Registers a site with the agent (fields not given come from the preset, `shotgrid` by default). */
export async function runAddSite(options: AddSiteOptions, deps: CommandDeps): Promise<number> {
  const profile: Record<string, string> = {};
  if (options.renewPath !== null) profile['renewPath'] = options.renewPath;
  if (options.landingPath !== null) profile['landingPath'] = options.landingPath;
  if (options.sessionCookie !== null) profile['sessionCookie'] = options.sessionCookie;
  const site = await withAgent(deps, 'latchkey sites add', (client) =>
    client.call(
      'addSite',
      {
        url: options.url,
        ...(options.name === null ? {} : { name: options.name }),
        ...(options.preset === null ? {} : { preset: options.preset }),
        ...(Object.keys(profile).length === 0 ? {} : { profile }),
        ...(options.makeDefault ? { default: true } : {}),
      },
      { signal: deps.signal },
    ),
  );
  deps.stdout.write(`Added ${site.id}: ${site.name} at ${site.url}${site.default ? ' (the default site)' : ''}.\n`);
  deps.stderr.write(`Log in with \`latchkey login ${site.id}\`.\n`);
  return exitCodes.ok;
}

/** Adds `latchkey sites add` to the sites group. */
export function registerAddSite(group: Command, context: CommandContext): void {
  group
    .command('add')
    .description('register a site (https, or http on a loopback host)')
    .argument('<url>', "the site's address, e.g. https://studio.example.com")
    .option('--name <name>', 'display name (default: from the host)')
    .option('--preset <preset>', 'login profile preset (default: shotgrid)')
    .option('--renew-path <path>', 'path that starts a login (shotgrid: /auth/renew?product=latchkey)')
    .option('--landing-path <path>', 'exact path where a login ends (shotgrid: /auth/landing)')
    .option('--session-cookie <name>', 'cookie holding the session (shotgrid: _session_id)')
    .option('--default', 'make it the default site')
    .addHelpText('after', '\nExamples:\n  latchkey sites add https://mystudio.shotgrid.autodesk.com --default\n  latchkey sites add https://intranet.example.com --name Intranet --landing-path /home --session-cookie sid')
    .action(async (url: string, raw: { name?: string; preset?: string; renewPath?: string; landingPath?: string; sessionCookie?: string; default?: boolean }) => {
      context.setExitCode(
        await runAddSite(
          {
            url,
            name: raw.name ?? null,
            preset: raw.preset ?? null,
            renewPath: raw.renewPath ?? null,
            landingPath: raw.landingPath ?? null,
            sessionCookie: raw.sessionCookie ?? null,
            makeDefault: raw.default === true,
          },
          context.deps,
        ),
      );
    });
}
