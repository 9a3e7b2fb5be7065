import { LatchkeyError } from '../core/common/errors.ts';
import type { HandedSession } from './env-session.ts';

/** The output formats of `latchkey get`. */
export const sessionFormats = ['json', 'header', 'env', 'powershell', 'cmd', 'netscape'] as const;

/** One output format of `latchkey get`. */
export type SessionFormat = (typeof sessionFormats)[number];

/** Quotes a value for POSIX shells: single quotes, each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

// PowerShell reads each of these as a single quote, in a quoted string too: each is doubled.
const powershellQuotes = /['\u2018\u2019\u201a\u201b]/g;

/** Quotes a value for PowerShell: a verbatim (single-quoted) string, where nothing expands. */
export function powershellQuote(value: string): string {
  return `'${value.replace(powershellQuotes, (quote) => quote + quote)}'`;
}

/**
 * A `set` line for a cmd.exe batch file (`call session.cmd`): `set "NAME=value"` keeps `&`, `|`,
 * `<`, `>`, `^` and quotes literal; `%` is doubled, as a batch file reads it. A line break cannot
 * be set at all.
 */
export function cmdSetLine(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new LatchkeyError('unsupported_format', `${name} holds a line break, which cmd.exe cannot set.`, { hint: 'Use `--format powershell` or `--format json`.' });
  }
  return `@set "${name}=${value.replaceAll('%', '%%')}"`;
}

/**
 * The variables a child (`exec`) or a shell (`--format env`) gets. They are the same ones that
 * `LATCHKEY_SESSION` mode reads back, so a CI job can export them once and run latchkey without an agent.
 */
export function sessionVariables(session: HandedSession): Record<string, string> {
  const variables: Record<string, string> = {};
  if (session.siteUrl !== null) variables['LATCHKEY_SITE_URL'] = session.siteUrl;
  variables['LATCHKEY_SESSION'] = session.credential.value;
  variables['LATCHKEY_SESSION_KIND'] = session.credential.kind;
  variables['LATCHKEY_SESSION_NAME'] = session.credential.name;
  variables['LATCHKEY_COOKIE'] = session.headers['Cookie'] ?? '';
  return variables;
}

function headerLines(session: HandedSession): string {
  const entries = Object.entries(session.headers);
  if (entries.length === 0) {
    throw new LatchkeyError('unsupported_format', `This session is a ${session.credential.kind} credential that no request header carries.`, {
      hint: 'Use `latchkey token` or `--format json`.',
    });
  }
  return entries.map(([name, value]) => `${name}: ${value}\n`).join('');
}

/**
 * A Netscape cookies.txt (the format of curl's `-b`/`-c` and wget's `--load-cookies`): one line per
 * cookie with domain, include-subdomains, path, secure, expiry (0: a session cookie), name, value;
 * curl reads the `#HttpOnly_` prefix as the HttpOnly flag.
 */
function netscapeFile(session: HandedSession): string {
  if (session.cookies.length === 0) {
    throw new LatchkeyError('unsupported_format', 'This session has no cookies to write as a cookies.txt file.', {
      hint: session.source === 'env' ? 'Set LATCHKEY_SITE_URL so the cookie has a domain.' : 'Use `--format header` for a bearer token.',
    });
  }
  const lines = session.cookies.map((cookie) => {
    const subdomains = cookie.domain.startsWith('.') ? 'TRUE' : 'FALSE';
    const expires = cookie.expires === null ? 0 : Math.floor(cookie.expires);
    const domain = cookie.httpOnly ? `#HttpOnly_${cookie.domain}` : cookie.domain;
    return [domain, subdomains, cookie.path, cookie.secure ? 'TRUE' : 'FALSE', expires, cookie.name, cookie.value].join('\t');
  });
  return `# Netscape HTTP Cookie File\n# The session of ${session.siteUrl ?? 'a site'}, from latchkey. Keep this file private.\n${lines.join('\n')}\n`;
}

/** Renders a session in one of the formats of `latchkey get`. */
export function formatSession(session: HandedSession, format: SessionFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(session, null, 2) + '\n';
    case 'header':
      return headerLines(session);
    case 'env':
      return Object.entries(sessionVariables(session))
        .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
        .join('');
    case 'powershell':
      return Object.entries(sessionVariables(session))
        .map(([name, value]) => `$env:${name} = ${powershellQuote(value)}\n`)
        .join('');
    case 'cmd':
      return Object.entries(sessionVariables(session))
        .map(([name, value]) => `${cmdSetLine(name, value)}\r\n`)
        .join('');
    case 'netscape':
      return netscapeFile(session);
  }
}
