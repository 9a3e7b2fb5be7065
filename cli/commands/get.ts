import type { Command } from 'commander';
import { acquireSession } from '../acquire-session.ts';
import type { CommandContext, CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';
import type { QuickCommand } from '../quick-verbs.ts';
import { addSessionFlags, readPlainSessionArgs, sessionFlagsOf, sessionHelp, type SessionFlags } from '../session-flags.ts';
import { formatSession, sessionFormats, type SessionFormat } from '../session-formats.ts';

/** Options of `latchkey get`. */
export interface GetOptions extends SessionFlags {
  site: string | null;
  format: SessionFormat;
}

/** Prints a site's session as JSON, request headers, shell variables or a Netscape cookies.txt. */
export async function runGet(options: GetOptions, deps: CommandDeps): Promise<number> {
  const { session, agent } = await acquireSession(options.site, options, deps, 'get');
  agent?.client.close();
  deps.stdout.write(formatSession(session, options.format));
  return exitCodes.ok;
}

const isFormat = (value: unknown): value is SessionFormat => (sessionFormats as readonly unknown[]).includes(value);

/** `latchkey get` in a plain form, read without commander (quick-verbs.ts); null for the program to read. */
export function quickGet(args: string[], env: NodeJS.ProcessEnv): QuickCommand | null {
  const plain = readPlainSessionArgs(args, { format: { type: 'string' } }, env);
  const format = plain?.values['format'] ?? 'json';
  if (plain === null || !isFormat(format)) return null;
  return (deps) => runGet({ site: plain.site, format, ...plain.flags }, deps);
}

/** Adds `latchkey get` to the program. */
export function registerGet(program: Command, context: CommandContext): void {
  const command = program
    .command('get')
    .description("print a site's session in a format other tools read")
    .argument('[site]', 'id, name, host or URL (default: LATCHKEY_SITE, else the default site)');
  addSessionFlags(command.addOption(command.createOption('--format <format>', 'output format').choices(sessionFormats).default('json')))
    .addHelpText(
      'after',
      `
Formats:
  json      { site, siteUrl, user, credential: { kind, name, value }, cookies: [ { name, value,
            domain, path, expires, httpOnly, secure } ], headers, expiresAt, obtainedAt, source }
            (source: store, renewed, login, or env; site, siteUrl and times may be null with env)
  header    request header lines, e.g. "Cookie: _session_id=…" or "Authorization: Bearer …"
  env       export lines for a POSIX shell: LATCHKEY_SITE_URL, LATCHKEY_SESSION,
            LATCHKEY_SESSION_KIND, LATCHKEY_SESSION_NAME, LATCHKEY_COOKIE (single-quoted)
  netscape  a Netscape cookies.txt for curl -b FILE or wget --load-cookies FILE
${sessionHelp}

Examples:
  eval "$(latchkey get studio --format env)"
  latchkey get --format netscape > cookies.txt && curl -b cookies.txt https://studio.example.com/api/whoami
  curl -H "$(latchkey get --format header)" https://studio.example.com/api/whoami`,
    )
    .action(async (site: string | undefined, raw: { format: SessionFormat }) => {
      context.setExitCode(await runGet({ site: site ?? null, format: raw.format, ...sessionFlagsOf(command, context.deps.env) }, context.deps));
    });
}
