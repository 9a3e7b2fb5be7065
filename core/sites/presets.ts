import { deepFreeze } from '../deep-freeze.ts';
import { LatchkeyError } from '../errors.ts';
import { describeIssue, missingForMode, overridesSchema } from './profile-schema.ts';
import { profileDefaults, type LoginProfile } from './site.ts';

/** Freezes a profile and the arrays and objects inside it, so no caller can edit a preset through a profile. */
const frozen = (profile: LoginProfile): Readonly<LoginProfile> => deepFreeze(profile);

// Cookie-mode fields every profile carries; the modes that do not read them keep these values.
const policyDefaults = { validatePath: null, logoutPath: null, maxAgeMinutes: null, idleTimeoutMinutes: 1440 } as const;

/** The ShotGrid login profile: server-driven SSO that ends on `/auth/landing` (DESIGN.md section 3). */
export const shotgridProfile: Readonly<LoginProfile> = frozen({
  preset: 'shotgrid',
  mode: 'cookie',
  renewPath: '/auth/renew?product=latchkey',
  landingPath: '/auth/landing',
  sessionCookie: '_session_id',
  userCookie: 'shotgun_current_user_login',
  expiryCookies: ['shotgun_current_user_sso_claims_expiration', 'shotgun_sso_session_expiration_u*'],
  ...policyDefaults,
});

/**
 * CloudShell API SSO: authorization code with PKCE at the identity provider, then the ID token is
 * exchanged at `/api/login` for an API token (valid 5 h by default). `issuer` and `clientId` have
 * no default; the redirect URI is a loopback URI the login window catches (RFC 8252 section 7.3).
 */
export const cloudshellProfile: Readonly<LoginProfile> = frozen({
  preset: 'cloudshell',
  mode: 'oidc',
  renewPath: '/',
  landingPath: '/',
  sessionCookie: 'session',
  userCookie: null,
  expiryCookies: [],
  ...policyDefaults,
  redirectUri: 'http://127.0.0.1/latchkey/callback',
  scopes: [...profileDefaults.scopes],
  exchange: { path: '/api/login', domain: 'Global' },
  userClaims: [...profileDefaults.oidcUserClaims],
});

/** CloudShell Portal: a login page sets a JWT cookie whose claims name the user and the expiry. */
export const cloudshellPortalProfile: Readonly<LoginProfile> = frozen({
  preset: 'cloudshell-portal',
  mode: 'cookie',
  renewPath: '/account/sso-login',
  landingPath: '/portal/home',
  sessionCookie: 'portal_jwt',
  userCookie: null,
  expiryCookies: [],
  ...policyDefaults,
  jwtCookie: 'portal_jwt',
  userClaims: [...profileDefaults.jwtUserClaims],
});

/** Content Catalyst-style: the landing URL carries `SessionKey` and `un` in its query. */
export const queryKeyProfile: Readonly<LoginProfile> = frozen({
  preset: 'query-key',
  mode: 'query',
  renewPath: '/sso/login',
  landingPath: '/irLogin.aspx',
  sessionCookie: 'ASP.NET_SessionId',
  userCookie: null,
  expiryCookies: [],
  ...policyDefaults,
  sessionParam: profileDefaults.sessionParam,
  userParam: profileDefaults.userParam,
});

/** Every preset, keyed by the name a site gives in `profile.preset`. */
export const presets: Readonly<Record<string, Readonly<LoginProfile>>> = Object.freeze({
  shotgrid: shotgridProfile,
  cloudshell: cloudshellProfile,
  'cloudshell-portal': cloudshellPortalProfile,
  'query-key': queryKeyProfile,
});

/**
 * The named preset's profile with `overrides` applied, each override validated and the whole
 * checked for the fields its mode needs; throws `invalid_site` naming the unknown preset or the
 * first bad or missing field.
 */
export function profileFromPreset(name: string, overrides: Partial<LoginProfile> = {}): LoginProfile {
  // Object.hasOwn, not `name in presets`: `toString` or `__proto__` must not look like presets.
  const base = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (base === undefined) {
    throw new LatchkeyError('invalid_site', `Unknown preset ${JSON.stringify(name)}.`, {
      hint: `Known presets: ${Object.keys(presets).join(', ')}.`,
    });
  }
  const parsed = overridesSchema.safeParse(overrides);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new LatchkeyError('invalid_site', issue === undefined ? 'Site profile is invalid.' : describeIssue(issue));
  }
  const { preset, ...fields } = parsed.data;
  if (preset !== undefined && preset !== name) {
    throw new LatchkeyError('invalid_site', `Site profile field "preset" is ${JSON.stringify(preset)} but the preset asked for is ${JSON.stringify(name)}.`);
  }
  const given: Partial<LoginProfile> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  // structuredClone: the result shares no array or object with the frozen preset.
  const profile: LoginProfile = { ...structuredClone(base), ...given, preset: name };
  const missing = missingForMode(profile);
  if (missing !== null) {
    throw new LatchkeyError('invalid_site', `Site profile field "${missing}" is required in ${profile.mode} mode.`, {
      hint: `Give "${missing}" in the site's profile (the ${name} preset has no default for it).`,
    });
  }
  return profile;
}
