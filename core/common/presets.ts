import { deepFreeze } from './deep-freeze.ts';
import { profileDefaults, type LoginProfile } from './profile.ts';

// The login presets, declared once: the engine validates sites against them, the CLI and the UI
// offer them (docs/ARCHITECTURE.md, "Sites and login modes").

// Cookie-mode fields every profile carries; the modes that do not read them keep these values.
const policyDefaults = { validatePath: null, logoutPath: null, maxAgeMinutes: null, idleTimeoutMinutes: 1440 } as const;

/** The ShotGrid login profile: server-driven SSO that ends on `/auth/landing`. */
export const shotgridProfile: Readonly<LoginProfile> = deepFreeze({
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
export const cloudshellProfile: Readonly<LoginProfile> = deepFreeze({
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
export const cloudshellPortalProfile: Readonly<LoginProfile> = deepFreeze({
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
export const queryKeyProfile: Readonly<LoginProfile> = deepFreeze({
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

/**
 * ShotGrid's login in the person's own browser (tk-core's app-session launcher): Latchkey asks the
 * site for a session request, the person approves it on the site in their browser, and the session
 * token Latchkey then receives is the value of the site's `_session_id` cookie.
 */
export const shotgridBrowserProfile: Readonly<LoginProfile> = deepFreeze({
  preset: 'shotgrid-browser',
  mode: 'app-session',
  browser: 'system',
  renewPath: '/',
  landingPath: '/',
  sessionCookie: '_session_id',
  userCookie: null,
  expiryCookies: [],
  ...policyDefaults,
});

/** A preset as a person picks it: its name, a label and what it is for. */
export interface Preset {
  name: string;
  label: string;
  /** What the person needs to know to pick it. */
  description: string;
  profile: Readonly<LoginProfile>;
}

/** Every preset, in the order the CLI's help and the UI's form offer them. */
export const presetList: readonly Preset[] = deepFreeze([
  { name: 'shotgrid', label: 'ShotGrid', description: 'Single sign-on that ends on /auth/landing and leaves a session cookie.', profile: shotgridProfile },
  { name: 'shotgrid-browser', label: 'ShotGrid (your browser)', description: 'ShotGrid login approved in your own browser; no window of ours.', profile: shotgridBrowserProfile },
  { name: 'cloudshell', label: 'CloudShell API', description: 'OpenID Connect; needs an issuer and a client id.', profile: cloudshellProfile },
  { name: 'cloudshell-portal', label: 'CloudShell Portal', description: 'A login page that sets a JWT cookie.', profile: cloudshellPortalProfile },
  { name: 'query-key', label: 'Content Catalyst', description: 'The landing address carries the session key.', profile: queryKeyProfile },
]);

/** Every preset's profile, keyed by the name a site gives in `profile.preset`. */
export const presets: Readonly<Record<string, Readonly<LoginProfile>>> = Object.freeze(
  Object.fromEntries(presetList.map((preset) => [preset.name, preset.profile])),
);

/** The preset a new site gets when it names none. */
export const defaultPreset = 'shotgrid';
