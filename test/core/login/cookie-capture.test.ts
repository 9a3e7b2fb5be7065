import { describe, expect, it } from 'vitest';
import { captureCookieSession, decodeCookieText, expiryFromCookies } from '../../../core/login/cookie-capture.ts';
import { shotgridProfile } from '../../support/sites.ts';
import { cookie } from '../../support/scripted-login-window.ts';

const clock = { now: () => 1_700_000_000_000 };
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
