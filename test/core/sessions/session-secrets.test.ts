import { describe, expect, it } from 'vitest';
import { containsSecret, redactSecrets } from '../../../core/secrets.ts';
import { labelShowsSecret, registerSessionSecrets, sessionValues } from '../../../core/sessions/session-secrets.ts';
import type { CapturedCookie, Session } from '../../../core/sessions/session.ts';
import { makeSession } from './fixtures/make-session.ts';

const cookie = (name: string, value: string, httpOnly = false): CapturedCookie => ({ name, value, domain: 'studio.example.com', path: '/', expires: null, httpOnly, secure: true, sameSite: 'Lax' });

/** A ShotGrid-like session: the session cookie, the user's login, a CSRF token and an expiry. */
function studioSession(overrides: Partial<Session> = {}): Session {
  return makeSession('studio', {
    user: 'ada.lovelace',
    credential: { kind: 'cookie', name: '_session_id', value: 'session-value-0123456789' },
    cookies: [
      cookie('_session_id', 'session-value-0123456789', true),
      cookie('shotgun_current_user_login', 'ada.lovelace'),
      cookie('csrf_token', 'csrf-value-abcdefghij', true),
      cookie('shotgun_current_user_sso_claims_expiration', '1767225600'),
    ],
    refreshToken: 'refresh-token-klmnopqrst',
    ...overrides,
  });
}

describe('the values of a session', () => {
  it('are the credential, every cookie a grant carries and the refresh token, each registered as a secret for the logs', () => {
    const session = studioSession({ credential: { kind: 'cookie', name: '_session_id', value: 'registered-credential-1' } });
    session.cookies.push(cookie('second_cookie', 'registered-second-cookie-2'));
    expect(sessionValues(session)).toEqual(expect.arrayContaining(['registered-credential-1', 'registered-second-cookie-2', 'csrf-value-abcdefghij', 'refresh-token-klmnopqrst']));
    registerSessionSecrets(session);
    for (const value of ['registered-credential-1', 'registered-second-cookie-2', 'csrf-value-abcdefghij', 'refresh-token-klmnopqrst']) {
      expect(containsSecret(`a log line with ${value} in it`)).toBe(true);
      expect(redactSecrets(`login succeeded for ${value}`)).toBe('login succeeded for [redacted]');
    }
  });
});

describe('a user label', () => {
  it('read from its own plain cookie shows no secret', () => {
    expect(labelShowsSecret(studioSession(), 'shotgun_current_user_login')).toBe(false);
    expect(labelShowsSecret(studioSession({ user: null }), 'shotgun_current_user_login')).toBe(false);
  });

  it('equal to the credential, a cookie value or the refresh token shows one', () => {
    for (const user of ['session-value-0123456789', 'csrf-value-abcdefghij', 'refresh-token-klmnopqrst', '1767225600']) {
      expect(labelShowsSecret(studioSession({ user }), 'shotgun_current_user_login')).toBe(true);
    }
  });

  it('containing one of six characters or more shows it; a short value inside a label is no sign of one', () => {
    expect(labelShowsSecret(studioSession({ user: 'ada <session-value-0123456789>' }), 'shotgun_current_user_login')).toBe(true);
    const short = studioSession({ user: 'ada.lovelace' });
    short.cookies.push(cookie('lang', 'ada'));
    expect(labelShowsSecret(short, 'shotgun_current_user_login')).toBe(false);
  });

  it('read from the session cookie itself, or from any HttpOnly cookie, shows one: a profile cannot swap the two', () => {
    // userCookie pointed at the credential's cookie: the label is the credential.
    expect(labelShowsSecret(studioSession({ user: 'session-value-0123456789' }), '_session_id')).toBe(true);
    // The names swapped: the credential is the login cookie, the label the real session cookie (HttpOnly).
    const swapped = studioSession({ user: 'session-value-0123456789', credential: { kind: 'cookie', name: 'shotgun_current_user_login', value: 'ada.lovelace' } });
    expect(labelShowsSecret(swapped, '_session_id')).toBe(true);
    // Any HttpOnly cookie, whatever its value.
    expect(labelShowsSecret(studioSession({ user: 'csrf-value-abcdefghij' }), 'csrf_token')).toBe(true);
  });

  it('of a query or oidc login (no label cookie) is checked against every value', () => {
    const query = makeSession('query', { user: 'the-key-value-123', credential: { kind: 'key', name: 'SessionKey', value: 'the-key-value-123' }, cookies: [] });
    expect(labelShowsSecret(query, null)).toBe(true);
    expect(labelShowsSecret({ ...query, user: 'ada' }, null)).toBe(false);
  });
});
