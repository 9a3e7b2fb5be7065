import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../core/common/errors.ts';
import { sessionFromEnv } from '../../cli/env-session.ts';
import { cmdSetLine, formatSession, powershellQuote, shellQuote } from '../../cli/session-formats.ts';

describe('shellQuote', () => {
  it('single-quotes, writing each quote as a closed quote, an escaped one and a new open quote', () => {
    expect(shellQuote("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('formatSession with a session from the environment', () => {
  it('writes a cookies.txt for each cookie of LATCHKEY_COOKIE on the site of LATCHKEY_SITE_URL', () => {
    const session = sessionFromEnv({ LATCHKEY_SESSION: 'abc123', LATCHKEY_SITE_URL: 'https://Studio.Example.com/', LATCHKEY_COOKIE: '_session_id=abc123; csrf=t0k' });
    expect(formatSession(session!, 'netscape').split('\n').slice(2)).toEqual([
      '#HttpOnly_studio.example.com\tFALSE\t/\tTRUE\t0\t_session_id\tabc123',
      '#HttpOnly_studio.example.com\tFALSE\t/\tTRUE\t0\tcsrf\tt0k',
      '',
    ]);
    expect(formatSession(session!, 'header')).toBe('Cookie: _session_id=abc123; csrf=t0k\n');
  });

  it('refuses a cookies.txt without a site, and headers for a key credential', () => {
    const noSite = sessionFromEnv({ LATCHKEY_SESSION: 'abc123' });
    expect(() => formatSession(noSite!, 'netscape')).toThrow(LatchkeyError);
    const key = sessionFromEnv({ LATCHKEY_SESSION: 'abc123', LATCHKEY_SESSION_KIND: 'key', LATCHKEY_SESSION_NAME: 'SessionKey' });
    expect(() => formatSession(key!, 'header')).toThrow(/no request header carries/);
    expect(formatSession(key!, 'env')).toContain("export LATCHKEY_SESSION_KIND='key'\nexport LATCHKEY_SESSION_NAME='SessionKey'\n");
  });

  it('is null when LATCHKEY_SESSION is unset or empty', () => {
    expect([sessionFromEnv({}), sessionFromEnv({ LATCHKEY_SESSION: '' })]).toEqual([null, null]);
  });
});

// Values a credential could hold that each shell would otherwise read: quotes of every kind, `$`
// and backticks (PowerShell's and POSIX shells' expansions), `%` (cmd's), and cmd's operators.
const awkward = ['plain', "it's", '"double"', '$env:PATH $(whoami) ${x}', '`backtick` ``', '100% %PATH% %%', 'a&b|c<d>e^f', '\u2018curly\u2019 \u201asingle\u201b', ''];

/** Reads a PowerShell verbatim string as PowerShell does: any single-quote character doubled is one of it; nothing expands. */
function readPowershellString(text: string): string {
  const quote = /['\u2018\u2019\u201a\u201b]/;
  expect(quote.test(text[0] ?? '')).toBe(true);
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i] ?? '';
    if (quote.test(char)) {
      if (quote.test(text[i + 1] ?? '')) {
        value += char;
        i++;
        continue;
      }
      expect(i).toBe(text.length - 1);
      return value;
    }
    value += char;
  }
  throw new Error('unterminated string');
}

/** Reads `@set "NAME=value"` as a batch file runs it: `%%` is one `%`; the value ends at the line's last quote. */
function readCmdSet(line: string): [string, string] {
  const match = /^@set "([^=]+)=(.*)"$/.exec(line);
  if (match === null) throw new Error(`not a set line: ${line}`);
  expect(match[2]?.replace(/%%/g, '')).not.toMatch(/%/);
  return [match[1] ?? '', (match[2] ?? '').replace(/%%/g, '%')];
}

describe('PowerShell and cmd.exe formats', () => {
  it('quotes every value so that PowerShell reads it back verbatim', () => {
    for (const value of awkward) expect(readPowershellString(powershellQuote(value))).toBe(value);
  });

  it('writes every value as a batch file sets it', () => {
    for (const value of awkward) expect(readCmdSet(cmdSetLine('LATCHKEY_SESSION', value))).toEqual(['LATCHKEY_SESSION', value]);
    expect(() => cmdSetLine('LATCHKEY_SESSION', 'two\nlines')).toThrow(/line break/);
  });

  it('sets the variables of `exec` in each format', () => {
    const session = sessionFromEnv({ LATCHKEY_SESSION: "a'b%c", LATCHKEY_SITE_URL: 'https://studio.example.com', LATCHKEY_COOKIE: "_session_id=a'b%c" });
    expect(formatSession(session!, 'powershell')).toBe(
      "$env:LATCHKEY_SITE_URL = 'https://studio.example.com'\n" +
        "$env:LATCHKEY_SESSION = 'a''b%c'\n" +
        "$env:LATCHKEY_SESSION_KIND = 'cookie'\n" +
        "$env:LATCHKEY_SESSION_NAME = '_session_id'\n" +
        "$env:LATCHKEY_COOKIE = '_session_id=a''b%c'\n",
    );
    expect(formatSession(session!, 'cmd')).toBe(
      '@set "LATCHKEY_SITE_URL=https://studio.example.com"\r\n' +
        '@set "LATCHKEY_SESSION=a\'b%%c"\r\n' +
        '@set "LATCHKEY_SESSION_KIND=cookie"\r\n' +
        '@set "LATCHKEY_SESSION_NAME=_session_id"\r\n' +
        '@set "LATCHKEY_COOKIE=_session_id=a\'b%%c"\r\n',
    );
  });
});
