import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { captureCookieSession, decodeCookieText, expiryFromCookies } from '../../../core/login/cookie-capture.ts';
import { shotgridProfile } from '../../support/sites.ts';
import { cookie } from '../../support/scripted-login-window.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const clock = new ManualClock(1_700_000_000_000);
const site = { id: 'studio', name: 'Studio', url: 'https://studio.example.com', default: true, profile: shotgridProfile() };

describe('decodeCookieText', () => {
  it.each([
    ['user%20name', 'user name'],
    ['user%2Bname', 'user+name'],
    ['user+name', 'user+name'],
    ['ada', 'ada'],
    ['%E2%9C%93', '✓'],
    ['bad%E0%A4%A', 'bad%E0%A4%A'],
  ])('decodes %s as %s', (raw, decoded) => {
    expect(decodeCookieText(raw)).toBe(decoded);
  });
});

describe('expiryFromCookies', () => {
  const session = cookie('_session_id', 'abc', { expires: 1_800_000_000 });
  const patterns = ['shotgun_current_user_sso_claims_expiration', 'shotgun_sso_session_expiration_u*'];

  it('prefers the claims expiry cookie', () => {
    const cookies = [cookie('shotgun_current_user_sso_claims_expiration', '1700003600'), cookie('shotgun_sso_session_expiration_u42', '1700009999')];
    expect(expiryFromCookies(patterns, cookies, session)).toBe(1_700_003_600_000);
  });

  it('reads the per-user expiry cookie when the claims cookie is absent', () => {
    expect(expiryFromCookies(patterns, [cookie('shotgun_sso_session_expiration_u42', '1700007200')], session)).toBe(1_700_007_200_000);
  });

  it('does not take the bare prefix for a per-user cookie', () => {
    expect(expiryFromCookies(patterns, [cookie('shotgun_sso_session_expiration_u', '1700007200')], session)).toBe(1_800_000_000_000);
  });

  it('skips an expiry cookie that is not a number', () => {
    expect(expiryFromCookies(patterns, [cookie('shotgun_current_user_sso_claims_expiration', 'soon')], session)).toBe(1_800_000_000_000);
  });

  it('falls back to the session cookie expiry, then to unknown', () => {
    expect(expiryFromCookies(patterns, [], session)).toBe(1_800_000_000_000);
    expect(expiryFromCookies(patterns, [], cookie('_session_id', 'abc'))).toBeNull();
  });
});

describe('captureCookieSession', () => {
  it('captures the session cookie, the decoded user and the expiry', () => {
    const cookies = [
      cookie('_session_id', 's3cr3t-value', { httpOnly: true }),
      cookie('shotgun_current_user_login', 'user%20name'),
      cookie('shotgun_current_user_sso_claims_expiration', '1700003600'),
    ];
    const result = captureCookieSession(site, cookies, clock);
    expect(result).toEqual({
      session: {
        siteId: 'studio',
        siteUrl: 'https://studio.example.com',
        user: 'user name',
        credential: { kind: 'cookie', name: '_session_id', value: 's3cr3t-value' },
        cookies,
        obtainedAt: 1_700_000_000_000,
        expiresAt: 1_700_003_600_000,
      },
    });
  });

  it('is incomplete without the session cookie, naming the cookie', () => {
    const result = captureCookieSession(site, [cookie('shotgun_current_user_login', 'ada')], clock);
    expect(result).toMatchObject({ ending: 'incomplete' });
    expect('reason' in result && result.reason).toContain('_session_id');
  });

  it('is incomplete when the session cookie is empty', () => {
    expect(captureCookieSession(site, [cookie('_session_id', '')], clock)).toMatchObject({ ending: 'incomplete' });
  });

  it('has no user when the user cookie is missing', () => {
    const result = captureCookieSession(site, [cookie('_session_id', 'x')], clock);
    expect('session' in result && result.session.user).toBeNull();
  });
});

describe('captureCookieSession with a JWT-valued cookie', () => {
  // Unsigned JWTs are enough here: the claims are decoded, never trusted for access (cookie-capture.ts says why).
  const jwt = (claims: Record<string, unknown>): string => new UnsecuredJWT(claims).encode();
  const portal = {
    ...site,
    id: 'portal',
    profile: shotgridProfile({ sessionCookie: 'portal_jwt', userCookie: null, expiryCookies: [], jwtCookie: 'portal_jwt', userClaims: ['username', 'email'] }),
  };

  it('names the user from the first claim present and the expiry from exp', () => {
    const value = jwt({ username: 'ada', email: 'ada@lab.example', exp: 1_700_001_800 });
    const result = captureCookieSession(portal, [cookie('portal_jwt', value)], clock);
    expect(result).toMatchObject({ session: { user: 'ada', credential: { kind: 'cookie', name: 'portal_jwt', value }, expiresAt: 1_700_001_800_000 } });
  });

  it('takes the next claim when the first is missing or empty', () => {
    const value = jwt({ username: ' ', email: 'user+name@lab.example' });
    const result = captureCookieSession(portal, [cookie('portal_jwt', value, { expires: 1_700_000_900 })], clock);
    // No exp: the cookie's own expiry is next.
    expect(result).toMatchObject({ session: { user: 'user+name@lab.example', expiresAt: 1_700_000_900_000 } });
  });

  it('lets a configured expiry cookie win over exp, and falls back to the user cookie without a user claim', () => {
    const profile = { ...portal.profile, userCookie: 'login', expiryCookies: ['expires_at'] };
    const cookies = [cookie('portal_jwt', jwt({ exp: 1_700_001_800 })), cookie('login', 'user%20name'), cookie('expires_at', '1700000600')];
    const result = captureCookieSession({ ...portal, profile }, cookies, clock);
    expect(result).toMatchObject({ session: { user: 'user name', expiresAt: 1_700_000_600_000 } });
  });

  it('reads a JWT cookie other than the session cookie', () => {
    const profile = { ...portal.profile, sessionCookie: 'sid', jwtCookie: 'id_claims' };
    const cookies = [cookie('sid', 'opaque'), cookie('id_claims', jwt({ username: 'ada', exp: 1_700_003_600 }))];
    expect(captureCookieSession({ ...portal, profile }, cookies, clock)).toMatchObject({
      session: { user: 'ada', credential: { name: 'sid', value: 'opaque' }, expiresAt: 1_700_003_600_000 },
    });
  });

  it.each([
    ['missing', [cookie('sid', 'opaque')], 'without setting the id_claims cookie'],
    ['not a JWT', [cookie('sid', 'opaque'), cookie('id_claims', 'not.a-jwt')], 'id_claims cookie is not a JWT'],
  ])('is incomplete when the JWT cookie is %s', (_case, cookies, says) => {
    const profile = { ...portal.profile, sessionCookie: 'sid', jwtCookie: 'id_claims' };
    const result = captureCookieSession({ ...portal, profile }, cookies, clock);
    expect(result).toMatchObject({ ending: 'incomplete' });
    expect('reason' in result && result.reason).toContain(says);
  });
});
