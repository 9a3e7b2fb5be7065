import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../core/common/errors.ts';
import { sessionFromEnv } from '../../cli/env-session.ts';
import { formatSession, shellQuote } from '../../cli/session-formats.ts';

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
