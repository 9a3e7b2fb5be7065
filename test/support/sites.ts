import type { LoginProfile, Site } from '../../core/sites/site.ts';

/** The shotgrid profile as tests use it, without depending on the preset table. */
export function shotgridProfile(overrides: Partial<LoginProfile> = {}): LoginProfile {
  return {
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
    ...overrides,
  };
}

/** A site at `url` with the shotgrid profile. */
export function testSite(url: string, id = 'studio', overrides: Partial<LoginProfile> = {}): Site {
  return { id, name: id, url, default: true, profile: shotgridProfile(overrides) };
}
