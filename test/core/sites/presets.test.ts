import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../core/common/errors.ts';
import { cloudshellPortalProfile, cloudshellProfile, presets, queryKeyProfile, shotgridProfile } from '../../../core/common/presets.ts';
import { profileFromPreset } from '../../../core/sites/presets.ts';
import { loginBrowser, type LoginProfile } from '../../../core/common/profile.ts';

function failure(run: () => unknown): LatchkeyError {
  try {
    run();
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error('expected a LatchkeyError, but nothing was thrown');
}

describe('presets', () => {
  it('holds the shotgrid preset as a full cookie profile', () => {
    expect(presets['shotgrid']).toBe(shotgridProfile);
    expect(shotgridProfile).toEqual({
      preset: 'shotgrid',
      mode: 'cookie',
      renewPath: '/auth/renew?product=latchkey',
      landingPath: '/auth/landing',
      sessionCookie: '_session_id',
      userCookie: 'shotgun_current_user_login',
      expiryCookies: ['shotgun_current_user_sso_claims_expiration', 'shotgun_sso_session_expiration_u*'],
      validatePath: null,
      logoutPath: null,
      maxAgeMinutes: null,
      idleTimeoutMinutes: 1440,
    });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(presets)).toBe(true);
    expect(Object.isFrozen(shotgridProfile)).toBe(true);
    expect(Object.isFrozen(shotgridProfile.expiryCookies)).toBe(true);
  });

  it('passes its own validation', () => {
    const { preset: _preset, ...fields } = shotgridProfile;
    expect(profileFromPreset('shotgrid', fields)).toEqual(shotgridProfile);
  });
});

describe('profileFromPreset', () => {
  it('returns the preset when nothing is overridden', () => {
    expect(profileFromPreset('shotgrid')).toEqual(shotgridProfile);
    expect(profileFromPreset('shotgrid', {})).toEqual(shotgridProfile);
  });

  it('returns a copy that does not share the preset arrays', () => {
    const profile = profileFromPreset('shotgrid');
    profile.expiryCookies.push('extra');
    expect(shotgridProfile.expiryCookies).toHaveLength(2);
  });

  it('applies valid overrides and keeps the other fields', () => {
    const profile = profileFromPreset('shotgrid', {
      renewPath: '/auth/renew',
      landingPath: '/sso/done',
      sessionCookie: '__Host-session',
      userCookie: null,
      expiryCookies: ['exp_*'],
      validatePath: '/api/v1/whoami?x=1',
      logoutPath: '/auth/logout',
      maxAgeMinutes: 720,
      idleTimeoutMinutes: 10080,
    });
    expect(profile).toEqual({
      ...shotgridProfile,
      renewPath: '/auth/renew',
      landingPath: '/sso/done',
      sessionCookie: '__Host-session',
      userCookie: null,
      expiryCookies: ['exp_*'],
      validatePath: '/api/v1/whoami?x=1',
      logoutPath: '/auth/logout',
      maxAgeMinutes: 720,
      idleTimeoutMinutes: 10080,
    });
  });

  it('ignores overrides given as undefined', () => {
    expect(profileFromPreset('shotgrid', { landingPath: undefined })).toEqual(shotgridProfile);
  });

  it('accepts the preset name repeated in the overrides', () => {
    expect(profileFromPreset('shotgrid', { preset: 'shotgrid' })).toEqual(shotgridProfile);
  });

  it('names an unknown preset and lists the known ones', () => {
    const error = failure(() => profileFromPreset('jira'));
    expect(error.code).toBe('invalid_site');
    expect(error.message).toContain('"jira"');
    expect(error.hint).toContain('shotgrid');
  });

  it('does not take inherited object keys for presets', () => {
    expect(failure(() => profileFromPreset('toString')).code).toBe('invalid_site');
    expect(failure(() => profileFromPreset('__proto__')).code).toBe('invalid_site');
  });

  const bad: { why: string; overrides: Record<string, unknown>; field: string; says: string }[] = [
    { why: 'a renew path without a slash', overrides: { renewPath: 'auth/renew' }, field: 'renewPath', says: 'start with "/"' },
    { why: 'a renew path to another host', overrides: { renewPath: '//evil.com/auth/renew' }, field: 'renewPath', says: 'stay on the site' },
    { why: 'a renew path with a backslash', overrides: { renewPath: '/\\evil.com' }, field: 'renewPath', says: 'backslashes' },
    { why: 'a renew path with a newline', overrides: { renewPath: '/auth/\nrenew' }, field: 'renewPath', says: 'control characters' },
    { why: 'a renew path with a fragment', overrides: { renewPath: '/auth/renew#x' }, field: 'renewPath', says: 'fragment' },
    { why: 'a full URL as renew path', overrides: { renewPath: 'https://evil.com/auth/renew' }, field: 'renewPath', says: 'start with "/"' },
    { why: 'a landing path without a slash', overrides: { landingPath: 'auth/landing' }, field: 'landingPath', says: 'start with "/"' },
    { why: 'a landing path with a query', overrides: { landingPath: '/auth/landing?x=1' }, field: 'landingPath', says: 'without a query' },
    { why: 'a landing path with dot segments', overrides: { landingPath: '/auth/./landing' }, field: 'landingPath', says: 'as the browser writes it' },
    { why: 'a landing path the browser escapes', overrides: { landingPath: '/auth/<landing>' }, field: 'landingPath', says: 'as the browser writes it' },
    { why: 'a validate path without a slash', overrides: { validatePath: 'api' }, field: 'validatePath', says: 'start with "/"' },
    { why: 'a logout path to another host', overrides: { logoutPath: '//evil.com' }, field: 'logoutPath', says: 'stay on the site' },
    { why: 'a session cookie with a space', overrides: { sessionCookie: 'session id' }, field: 'sessionCookie', says: 'valid cookie name' },
    { why: 'a session cookie with "="', overrides: { sessionCookie: 'a=b' }, field: 'sessionCookie', says: 'valid cookie name' },
    { why: 'a session cookie with ";"', overrides: { sessionCookie: 'a;b' }, field: 'sessionCookie', says: 'valid cookie name' },
    { why: 'an empty session cookie', overrides: { sessionCookie: '' }, field: 'sessionCookie', says: 'valid cookie name' },
    { why: 'a session cookie pattern', overrides: { sessionCookie: 'session_*' }, field: 'sessionCookie', says: 'only in expiryCookies' },
    { why: 'a user cookie with a comma', overrides: { userCookie: 'a,b' }, field: 'userCookie', says: 'valid cookie name' },
    { why: 'an expiry cookie with a slash', overrides: { expiryCookies: ['ok', 'a/b'] }, field: 'expiryCookies[1]', says: 'valid cookie name' },
    { why: 'an expiry pattern that matches everything', overrides: { expiryCookies: ['*'] }, field: 'expiryCookies[0]', says: 'only at the end' },
    { why: 'an expiry pattern with an inner star', overrides: { expiryCookies: ['a*b'] }, field: 'expiryCookies[0]', says: 'only at the end' },
    { why: 'an idle timeout of 0', overrides: { idleTimeoutMinutes: 0 }, field: 'idleTimeoutMinutes', says: 'at least 1' },
    { why: 'an idle timeout over 7 days', overrides: { idleTimeoutMinutes: 10081 }, field: 'idleTimeoutMinutes', says: '(7 days)' },
    { why: 'a fractional idle timeout', overrides: { idleTimeoutMinutes: 1.5 }, field: 'idleTimeoutMinutes', says: 'whole number' },
    { why: 'an idle timeout as text', overrides: { idleTimeoutMinutes: '60' }, field: 'idleTimeoutMinutes', says: 'whole number' },
    { why: 'a negative max age', overrides: { maxAgeMinutes: -5 }, field: 'maxAgeMinutes', says: 'at least 1' },
    { why: 'a max age over a year', overrides: { maxAgeMinutes: 525601 }, field: 'maxAgeMinutes', says: '(365 days)' },
    { why: 'an unknown mode', overrides: { mode: 'saml' }, field: 'mode', says: '"cookie", "oidc", "query" or "app-session"' },
    { why: 'a session cookie that is not text', overrides: { sessionCookie: 42 }, field: 'sessionCookie', says: 'expected string' },
  ];
  for (const { why, overrides, field, says } of bad) {
    it(`refuses ${why}, naming the field`, () => {
      const error = failure(() => profileFromPreset('shotgrid', overrides as Partial<LoginProfile>));
      expect(error.code).toBe('invalid_site');
      expect(error.message).toContain(`"${field}"`);
      expect(error.message).toContain(says);
    });
  }

  it('names an unknown field', () => {
    const error = failure(() => profileFromPreset('shotgrid', { landingUrl: '/x' } as Partial<LoginProfile>));
    expect(error.code).toBe('invalid_site');
    expect(error.message).toContain('unknown field "landingUrl"');
  });

  it('refuses overrides that name another preset', () => {
    const error = failure(() => profileFromPreset('shotgrid', { preset: 'other' }));
    expect(error.code).toBe('invalid_site');
    expect(error.message).toContain('"preset"');
  });

  it('refuses overrides that are not an object', () => {
    const error = failure(() => profileFromPreset('shotgrid', null as unknown as Partial<LoginProfile>));
    expect(error.code).toBe('invalid_site');
    expect(error.message).toContain('must be an object');
  });
});

describe('the mode presets', () => {
  const policies = { validatePath: null, logoutPath: null, maxAgeMinutes: null, idleTimeoutMinutes: 1440 };

  it('holds cloudshell: oidc with PKCE, a loopback redirect URI, and the exchange at /api/login', () => {
    expect(presets['cloudshell']).toBe(cloudshellProfile);
    expect(cloudshellProfile).toEqual({
      preset: 'cloudshell',
      mode: 'oidc',
      renewPath: '/',
      landingPath: '/',
      sessionCookie: 'session',
      userCookie: null,
      expiryCookies: [],
      ...policies,
      redirectUri: 'http://127.0.0.1/latchkey/callback',
      scopes: ['openid', 'email', 'profile', 'offline_access'],
      exchange: { path: '/api/login', domain: 'Global' },
      userClaims: ['email', 'preferred_username'],
    });
  });

  it('holds cloudshell-portal: a cookie login whose JWT cookie names the user', () => {
    expect(presets['cloudshell-portal']).toBe(cloudshellPortalProfile);
    expect(cloudshellPortalProfile).toEqual({
      preset: 'cloudshell-portal',
      mode: 'cookie',
      renewPath: '/account/sso-login',
      landingPath: '/portal/home',
      sessionCookie: 'portal_jwt',
      userCookie: null,
      expiryCookies: [],
      ...policies,
      jwtCookie: 'portal_jwt',
      userClaims: ['username', 'email'],
    });
  });

  it('holds query-key: the key and user in the landing URL query', () => {
    expect(presets['query-key']).toBe(queryKeyProfile);
    expect(queryKeyProfile).toEqual({
      preset: 'query-key',
      mode: 'query',
      renewPath: '/sso/login',
      landingPath: '/irLogin.aspx',
      sessionCookie: 'ASP.NET_SessionId',
      userCookie: null,
      expiryCookies: [],
      ...policies,
      sessionParam: 'SessionKey',
      userParam: 'un',
    });
  });

  it('freezes them deeply', () => {
    expect(Object.isFrozen(cloudshellProfile.scopes)).toBe(true);
    expect(Object.isFrozen(cloudshellProfile.exchange)).toBe(true);
    expect(Object.isFrozen(cloudshellPortalProfile.userClaims)).toBe(true);
  });

  it('returns copies that share nothing with the preset', () => {
    const profile = profileFromPreset('cloudshell', { issuer: 'https://idp.example.com', clientId: 'c' });
    profile.scopes?.push('extra');
    profile.exchange!.domain = 'Other';
    expect(cloudshellProfile.scopes).toHaveLength(4);
    expect(cloudshellProfile.exchange?.domain).toBe('Global');
  });

  it('passes its own validation, given what cloudshell has no default for', () => {
    for (const [name, profile] of Object.entries(presets)) {
      const { preset: _preset, ...fields } = profile;
      const extra = name === 'cloudshell' ? { issuer: 'https://idp.example.com', clientId: 'latchkey' } : {};
      expect(profileFromPreset(name, { ...fields, ...extra })).toEqual({ ...profile, ...extra });
    }
  });

  it.each(['issuer', 'clientId'] as const)('needs %s for cloudshell, naming it', (field) => {
    const given = { issuer: 'https://idp.example.com', clientId: 'latchkey' };
    const { [field]: _left, ...rest } = given;
    const error = failure(() => profileFromPreset('cloudshell', rest));
    expect(error.code).toBe('invalid_site');
    expect(error.message).toBe(`Site profile field "${field}" is required in oidc mode.`);
    expect(error.hint).toContain(field);
  });

  it('needs the redirect URI too when another preset switches to oidc mode', () => {
    const error = failure(() => profileFromPreset('shotgrid', { mode: 'oidc', issuer: 'https://idp.example.com', clientId: 'c' }));
    expect(error.message).toContain('"redirectUri"');
  });

  it('accepts valid mode fields', () => {
    const profile = profileFromPreset('cloudshell', {
      issuer: 'http://idp.localhost:8080/realms/lab/',
      clientId: 'desktop tools',
      redirectUri: 'https://cloud.example.com/auth/callback',
      scopes: ['openid', 'api://cloud/.default'],
      exchange: { path: '/api/v2/login?x=1', domain: 'Studio A' },
      userClaims: ['upn'],
    });
    expect(profile).toMatchObject({ issuer: 'http://idp.localhost:8080/realms/lab/', clientId: 'desktop tools', exchange: { domain: 'Studio A' } });
    expect(profileFromPreset('query-key', { sessionParam: 'sk', userParam: null })).toMatchObject({ sessionParam: 'sk', userParam: null });
    expect(profileFromPreset('cloudshell-portal', { jwtCookie: null })).toMatchObject({ jwtCookie: null });
    expect(profileFromPreset('cloudshell', { issuer: 'https://idp.example.com', clientId: 'c', exchange: null })).toMatchObject({ exchange: null });
  });

  const oidc = { issuer: 'https://idp.example.com', clientId: 'c' };
  const bad: { why: string; overrides: Record<string, unknown>; field: string; says: string }[] = [
    { why: 'a plain-http issuer off loopback', overrides: { issuer: 'http://idp.example.com' }, field: 'issuer', says: 'https' },
    { why: 'an issuer with a query', overrides: { issuer: 'https://idp.example.com/?tenant=1' }, field: 'issuer', says: 'query' },
    { why: 'an issuer with credentials', overrides: { issuer: 'https://user:pw@idp.example.com' }, field: 'issuer', says: 'user name or password' },
    { why: 'a relative issuer', overrides: { issuer: '/idp' }, field: 'issuer', says: 'absolute URL' },
    { why: 'a redirect URI with a fragment', overrides: { redirectUri: 'http://127.0.0.1/cb#x' }, field: 'redirectUri', says: 'fragment' },
    { why: 'a custom-scheme redirect URI', overrides: { redirectUri: 'latchkey://callback' }, field: 'redirectUri', says: 'https URL' },
    { why: 'a client id with a newline', overrides: { clientId: 'a\nb' }, field: 'clientId', says: 'printable ASCII' },
    { why: 'an empty client id', overrides: { clientId: '' }, field: 'clientId', says: 'printable ASCII' },
    { why: 'scopes without openid', overrides: { scopes: ['email'] }, field: 'scopes', says: 'include "openid"' },
    { why: 'a scope with a quote', overrides: { scopes: ['openid', 'a"b'] }, field: 'scopes[1]', says: 'scope token' },
    { why: 'an exchange path off the site', overrides: { exchange: { path: '//evil.com/login', domain: 'Global' } }, field: 'exchange.path', says: 'stay on the site' },
    { why: 'an exchange without a domain', overrides: { exchange: { path: '/api/login', domain: '' } }, field: 'exchange.domain', says: 'not be empty' },
    { why: 'no user claims', overrides: { userClaims: [] }, field: 'userClaims', says: 'at least one' },
    { why: 'an empty session parameter', overrides: { sessionParam: '' }, field: 'sessionParam', says: 'not be empty' },
    { why: 'a user parameter with a control character', overrides: { userParam: 'u\u0000n' }, field: 'userParam', says: 'control characters' },
    { why: 'a JWT cookie with a space', overrides: { jwtCookie: 'portal jwt' }, field: 'jwtCookie', says: 'valid cookie name' },
  ];
  for (const { why, overrides, field, says } of bad) {
    it(`refuses ${why}, naming the field`, () => {
      const error = failure(() => profileFromPreset('cloudshell', { ...oidc, ...overrides } as Partial<LoginProfile>));
      expect(error.code).toBe('invalid_site');
      expect(error.message).toContain(`"${field}"`);
      expect(error.message).toContain(says);
    });
  }

  it('names an unknown field inside the exchange', () => {
    const error = failure(() => profileFromPreset('cloudshell', { ...oidc, exchange: { path: '/api/login', domain: 'G', method: 'PUT' } } as Partial<LoginProfile>));
    expect(error.message).toBe('Site profile has an unknown field "method" in "exchange".');
  });
});

describe('logoutRedirectUris', () => {
  it('accepts registered web URIs and refuses anything else', () => {
    expect(profileFromPreset('shotgrid', { logoutRedirectUris: ['https://idp.example.com/logout'] }).logoutRedirectUris).toEqual(['https://idp.example.com/logout']);
    expect(() => profileFromPreset('shotgrid', { logoutRedirectUris: ['javascript:alert(1)'] })).toThrowError(/logoutRedirectUris/);
  });
});

describe('which browser a login uses', () => {
  const oidcFields = { issuer: 'https://idp.example.com', clientId: 'latchkey' };

  it("defaults to each mode's own: the window, except for app-session's person's browser", () => {
    expect(loginBrowser(profileFromPreset('shotgrid'))).toBe('embedded');
    expect(loginBrowser(profileFromPreset('cloudshell', oidcFields))).toBe('embedded');
    expect(loginBrowser(profileFromPreset('shotgrid-browser'))).toBe('system');
    expect(presets['shotgrid-browser']).toMatchObject({ mode: 'app-session', browser: 'system', sessionCookie: '_session_id' });
  });

  it('lets an oidc site log in in the person’s browser or with a device code', () => {
    expect(profileFromPreset('cloudshell', { ...oidcFields, browser: 'system' }).browser).toBe('system');
    expect(profileFromPreset('cloudshell', { ...oidcFields, browser: 'device' }).browser).toBe('device');
  });

  it('refuses a browser the mode cannot capture with, saying why', () => {
    const cookie = failure(() => profileFromPreset('shotgrid', { browser: 'system' }));
    expect(cookie.code).toBe('invalid_site');
    expect(cookie.message).toContain("cookie cannot be read out of the person's own browser");
    expect(failure(() => profileFromPreset('query-key', { browser: 'device' })).message).toContain('query mode logs in only with "embedded"');
    expect(failure(() => profileFromPreset('shotgrid-browser', { browser: 'embedded' })).message).toContain('approves the request in their own browser');
    expect(failure(() => profileFromPreset('shotgrid', { browser: 'phone' as 'system' })).message).toContain('"embedded", "system" or "device"');
  });
});

describe("a site's own proxy", () => {
  it('is direct, or an http(s) proxy host and port with no credentials', () => {
    expect(profileFromPreset('shotgrid', { proxy: 'direct' }).proxy).toBe('direct');
    expect(profileFromPreset('shotgrid', { proxy: 'http://proxy.corp.example:3128' }).proxy).toBe('http://proxy.corp.example:3128');
    expect(profileFromPreset('shotgrid', { proxy: null }).proxy).toBeNull();
    expect(failure(() => profileFromPreset('shotgrid', { proxy: 'http://ada:secret@proxy.corp.example:3128' })).message).toContain('must not contain a user name or password');
    expect(failure(() => profileFromPreset('shotgrid', { proxy: 'socks5://proxy.corp.example:1080' })).message).toContain('http or https proxy URL');
    expect(failure(() => profileFromPreset('shotgrid', { proxy: 'http://proxy.corp.example:3128/path' })).message).toContain('host and port only');
  });
});
