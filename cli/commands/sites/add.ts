import { forDisplay } from '../../../core/common/display-text.ts';
import { presetList } from '../../../core/common/presets.ts';
import type { ProfilePatch } from '../../../core/common/operations.ts';
import { stringValue } from '../../arguments.ts';
import { defineCommand } from '../../command.ts';
import { withAgent } from '../../deps.ts';
import { exitCodes } from '../../exit-codes.ts';
import { profileHelp, profileOptions, readProfileFlags } from '../../profile-flags.ts';

/** Options of `latchkey sites add`. */
export interface AddSiteOptions {
  url: string;
  name: string | null;
  preset: string | null;
  profile: ProfilePatch;
  makeDefault: boolean;
}

/** `latchkey sites add URL`: registers a site; fields not given come from the preset (`shotgrid` by default). */
export const command = defineCommand<AddSiteOptions>({
  operands: [{ name: 'URL', description: "the site's address, e.g. https://studio.example.com" }],
  options: [
    { name: 'name', value: 'NAME', description: 'display name (default: from the host)' },
    { name: 'preset', value: 'PRESET', description: `login profile preset: ${presetList.map((preset) => preset.name).join(', ')} (default shotgrid)`, complete: 'presets' },
    ...profileOptions,
    { name: 'default', description: 'make it the default site' },
  ],
  details: `Presets:
${presetList.map((preset) => `  ${preset.name.padEnd(18)} ${preset.description}`).join('\n')}

The URL is https (plain http only for localhost, *.localhost, 127.0.0.0/8 and [::1]); its host
must be a full name with a dot (studio.example.com), a loopback name or an IP address.

${profileHelp}`,
  examples: [
    'latchkey sites add https://mystudio.shotgrid.autodesk.com --default',
    'latchkey sites add https://cloud.example.com --preset cloudshell --issuer https://login.example.com --client-id latchkey',
    'latchkey sites add https://intranet.example.com --name Intranet --landing-path /home --session-cookie sid',
  ],
  read: (args) => ({
    url: args.operands[0] ?? '',
    name: stringValue(args.values['name']) ?? null,
    preset: stringValue(args.values['preset']) ?? null,
    profile: readProfileFlags(args, 'sites add'),
    makeDefault: args.values['default'] === true,
  }),
  run: async (options, deps) => {
    const site = await withAgent(deps, 'latchkey sites add', (client) =>
      client.call(
        'addSite',
        {
          url: options.url,
          ...(options.name === null ? {} : { name: options.name }),
          ...(options.preset === null ? {} : { preset: options.preset }),
          ...(Object.keys(options.profile).length === 0 ? {} : { profile: options.profile }),
          ...(options.makeDefault ? { default: true } : {}),
        },
        { signal: deps.signal },
      ),
    );
    deps.stdout.write(`Added ${site.id}: ${forDisplay(site.name)} at ${site.url}${site.default ? ' (the default site)' : ''}.\n`);
    deps.stderr.write(`Log in with \`latchkey login ${site.id}\`.\n`);
    return exitCodes.ok;
  },
});
