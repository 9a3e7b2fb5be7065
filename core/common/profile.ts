// A site's login profile as every client sees it (docs/ARCHITECTURE.md, "Sites and login modes").

/** How a site's login works. */
export type LoginMode = 'cookie' | 'oidc' | 'query' | 'app-session';

/**
 * Which browser a login uses: `embedded`, a window Latchkey drives (Electron's in the desktop app,
 * an installed Chromium for the headless agent); `system`, the person's own default browser (an
 * RFC 8252 loopback redirect in oidc mode; always in app-session mode); `device`, an RFC 8628 user
 * code the person enters on any device (oidc mode, for machines without a desktop).
 */
export type LoginBrowser = 'embedded' | 'system' | 'device';

/** The browsers each mode can log in with, the first its default: a cookie cannot be read out of the person's own browser. */
export const modeBrowsers: Readonly<Record<LoginMode, readonly LoginBrowser[]>> = Object.freeze({
  cookie: Object.freeze(['embedded'] as const),
  query: Object.freeze(['embedded'] as const),
  oidc: Object.freeze(['embedded', 'system', 'device'] as const),
  'app-session': Object.freeze(['system'] as const),
});

/** The browser a profile logs in with: its `browser`, else its mode's default. */
export function loginBrowser(profile: Pick<LoginProfile, 'mode' | 'browser'>): LoginBrowser {
  return profile.browser ?? modeBrowsers[profile.mode][0] ?? 'embedded';
}

/** oidc mode: where the identity provider's ID token is traded for the site's own API token. */
export interface TokenExchange {
  /** Path on the site that takes `POST { token, domain }` (CloudShell's `/api/login`). */
  path: string;
  /** The site's domain (tenant) the API token is for; CloudShell's default domain is `Global`. */
  domain: string;
}

/**
 * A login profile: what to open, where login ends, and what to capture there. Fields marked
 * "(oidc mode)", "(query mode)" or "(cookie mode)" matter only in that mode; the optional ones fall
 * back to `profileDefaults`.
 */
export interface LoginProfile {
  preset: string | null;
  mode: LoginMode;
  /** Which browser the login uses (see LoginBrowser); absent: the mode's default. */
  browser?: LoginBrowser;
  /** Path (with optional query) opened to start a login, e.g. `/auth/renew?product=latchkey` (cookie and query modes). */
  renewPath: string;
  /** Exact path of the landing page that ends a login (cookie and query modes). */
  landingPath: string;
  /** Name of the cookie that holds the session (cookie mode; in app-session mode, the cookie the session token is sent as). */
  sessionCookie: string;
  /** Cookie holding the user's login name, URL-encoded (cookie mode). */
  userCookie: string | null;
  /** Cookies holding the session's expiry in Unix seconds, tried in order; a trailing `*` matches any suffix. */
  expiryCookies: string[];
  validatePath: string | null;
  logoutPath: string | null;
  /** Where the logout path may redirect besides the site itself (e.g. the identity provider's end-session endpoint). */
  logoutRedirectUris?: string[];
  maxAgeMinutes: number | null;
  idleTimeoutMinutes: number;
  /** A cookie whose value is a JWT naming the user (`userClaims`) and the expiry (`exp`), e.g. CloudShell Portal's (cookie mode). */
  jwtCookie?: string | null;
  /** JWT claims that name the user, tried in order: of `jwtCookie` (cookie mode) or of the ID token (oidc mode). */
  userClaims?: string[];
  /** Query parameter of the landing URL that holds the session key (query mode). */
  sessionParam?: string;
  /** Query parameter of the landing URL that holds the user's name, or null (query mode). */
  userParam?: string | null;
  /** The identity provider's issuer URL; its metadata is read from `<issuer>/.well-known/openid-configuration` (oidc mode). */
  issuer?: string;
  /** The OAuth client id registered for Latchkey (a public client: PKCE, no secret) (oidc mode). */
  clientId?: string;
  /** The registered redirect URI; the login window catches it and never needs to load it (oidc mode). */
  redirectUri?: string;
  /** Scopes asked for; `openid` is required (oidc mode). */
  scopes?: string[];
  /** Where the ID token is exchanged for the site's API token, or null to use the access token (oidc mode). */
  exchange?: TokenExchange | null;
  /**
   * This site's own proxy, over the settings for every site: `direct`, or an http(s) proxy URL
   * (no credentials: a proxy that asks gets them in the login window's prompt). Null or absent:
   * the settings (LATCHKEY_PROXY, the proxy variables, the system's).
   */
  proxy?: string | null;
}

/** The name of every profile field, for the CLI's `--set FIELD=VALUE` and completion. */
export type ProfileField = keyof LoginProfile;

/** Values of the optional profile fields when a profile leaves them out. */
export const profileDefaults = Object.freeze({
  sessionParam: 'SessionKey',
  userParam: 'un',
  // `offline_access` asks for a refresh token (OpenID Connect Core 1.0, section 11).
  scopes: Object.freeze(['openid', 'email', 'profile', 'offline_access']) as readonly string[],
  oidcUserClaims: Object.freeze(['email', 'preferred_username']) as readonly string[],
  jwtUserClaims: Object.freeze(['username', 'email']) as readonly string[],
});

/** How a profile field's value is written on a command line (`--set FIELD=VALUE`). */
export type ProfileFieldKind = 'text' | 'text or null' | 'minutes' | 'minutes or null' | 'list' | 'json or null';

/** Every profile field with how its value is written; total over LoginProfile, so a new field needs a line here. */
export const profileFieldKinds: Readonly<Record<ProfileField, ProfileFieldKind>> = Object.freeze({
  preset: 'text or null',
  mode: 'text',
  browser: 'text',
  renewPath: 'text',
  landingPath: 'text',
  sessionCookie: 'text',
  userCookie: 'text or null',
  expiryCookies: 'list',
  validatePath: 'text or null',
  logoutPath: 'text or null',
  logoutRedirectUris: 'list',
  maxAgeMinutes: 'minutes or null',
  idleTimeoutMinutes: 'minutes',
  jwtCookie: 'text or null',
  userClaims: 'list',
  sessionParam: 'text',
  userParam: 'text or null',
  issuer: 'text',
  clientId: 'text',
  redirectUri: 'text',
  scopes: 'list',
  exchange: 'json or null',
  proxy: 'text or null',
});

/**
 * What a profile field governs. `capture`: what a login captures, or where the session or the
 * login goes (the login pages, the cookies and claims read, the identity provider, the token
 * exchange, the logout's redirects). `policy`: when a session is checked, renewed or dropped, on
 * the site's own origin. Changing a capture field, by any caller, ends the site's session and its
 * login browser profile, so the next login is one the person makes, seeing it (docs/ARCHITECTURE.md,
 * "Security model"): a holder of the UI alone can never steer a credential into a label or to
 * another host. Total over the profile: a new field must say which it is.
 */
export const profileFieldRoles: Readonly<Record<ProfileField, 'capture' | 'policy'>> = Object.freeze({
  preset: 'capture',
  mode: 'capture',
  browser: 'capture',
  renewPath: 'capture',
  landingPath: 'capture',
  sessionCookie: 'capture',
  userCookie: 'capture',
  expiryCookies: 'capture',
  validatePath: 'policy',
  logoutPath: 'policy',
  logoutRedirectUris: 'capture',
  maxAgeMinutes: 'policy',
  idleTimeoutMinutes: 'policy',
  jwtCookie: 'capture',
  userClaims: 'capture',
  sessionParam: 'capture',
  userParam: 'capture',
  issuer: 'capture',
  clientId: 'capture',
  redirectUri: 'capture',
  scopes: 'capture',
  exchange: 'capture',
  proxy: 'capture',
});

/** The capture fields (profileFieldRoles) whose values differ between two profiles. */
export function changedCaptureFields(before: LoginProfile, after: LoginProfile): ProfileField[] {
  const fields = Object.keys(profileFieldRoles) as ProfileField[];
  return fields.filter((field) => profileFieldRoles[field] === 'capture' && JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
}
