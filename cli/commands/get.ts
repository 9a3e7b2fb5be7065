import { usageError, stringValue } from '../arguments.ts';
import { acquireSession } from '../acquire-session.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { exitCodes } from '../exit-codes.ts';
import { writePrivateFile } from '../private-file.ts';
import { readSessionFlags, sessionHelp, sessionOptions, type SessionFlags } from '../session-flags.ts';
import { formatSession, sessionFormats, type SessionFormat } from '../session-formats.ts';

/** Options of `latchkey get`. */
export interface GetOptions extends SessionFlags {
  site: string | null;
  format: SessionFormat;
  /** Write to this file (mode 0600, whatever the umask) instead of stdout. */
  output: string | null;
}

const isFormat = (value: string): value is SessionFormat => (sessionFormats as readonly string[]).includes(value);

/** `latchkey get [SITE] --format F`: prints a site's session as JSON, request headers, shell variables or a Netscape cookies.txt. */
export const command = defineCommand<GetOptions>({
  operands: [siteOperand],
  options: [
    { name: 'format', value: 'FORMAT', description: `output format: ${sessionFormats.join(', ')} (default json)`, complete: { choices: sessionFormats } },
    { name: 'output', short: 'o', value: 'FILE', description: 'write to FILE, readable only by you (mode 0600), instead of stdout', complete: 'files' },
    ...sessionOptions,
  ],
  details: `Formats:
  json      { site, siteUrl, user, credential: { kind, name, value }, cookies: [ { name, value,
            domain, path, expires, httpOnly, secure } ], headers, expiresAt, obtainedAt, source }
            (source: store, renewed, login, or env; site, siteUrl and times may be null with env)
  header    request header lines, e.g. "Cookie: _session_id=…" or "Authorization: Bearer …",
            for \`curl -H @FILE\` or \`curl -H @-\`
  env       export lines for a POSIX shell: LATCHKEY_SITE_URL, LATCHKEY_SESSION,
            LATCHKEY_SESSION_KIND, LATCHKEY_SESSION_NAME, LATCHKEY_COOKIE (single-quoted)
  powershell  the same variables as \$env: assignments, for \`| Invoke-Expression\`
  cmd       the same variables as \`set\` lines of a batch file, for \`call FILE.cmd\`
  netscape  a Netscape cookies.txt for curl -b FILE or wget --load-cookies FILE

A session written to a file is a credential: --output creates the file readable only by you.

${sessionHelp}`,
  examples: [
    'eval "$(latchkey get studio --format env)"',
    'latchkey get studio --format powershell | Invoke-Expression',
    'latchkey get studio --format netscape -o cookies.txt && curl -b cookies.txt https://studio.example.com/api/whoami',
    'latchkey get studio --format header | curl -fsS -H @- https://studio.example.com/api/whoami',
  ],
  read: (args, env) => {
    const format = stringValue(args.values['format']) ?? 'json';
    if (!isFormat(format)) throw usageError(`--format takes ${sessionFormats.join(', ')}, not ${JSON.stringify(format)}.`, 'get');
    return { site: args.operands[0] ?? null, format, output: stringValue(args.values['output']) ?? null, ...readSessionFlags(args, env, 'get') };
  },
  run: async (options, deps) => {
    const { session, agent } = await acquireSession(options.site, options, deps, 'get');
    agent?.client.close();
    const text = formatSession(session, options.format);
    if (options.output === null) deps.stdout.write(text);
    else await writePrivateFile(options.output, text);
    return exitCodes.ok;
  },
});
