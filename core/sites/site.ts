/** How a site's login works (DESIGN.md section 3). */
export type LoginMode = 'cookie' | 'oidc' | 'query';

/** A login profile: what to open, where login ends, and what to capture there. */
export interface LoginProfile {
  preset: string | null;
  mode: LoginMode;
  /** Path (with optional query) opened to start a login, e.g. `/auth/renew?product=latchkey`. */
  renewPath: string;
  /** Exact path of the landing page that ends a login. */
  landingPath: string;
  /** Name of the cookie that holds the session (cookie mode). */
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
}

/** A registered site: an origin plus a login profile. */
export interface Site {
  /** Stable slug, unique among sites. */
  id: string;
  name: string;
  /** Normalised origin, e.g. `https://studio.example.com` or `http://studio.localhost:8080`. */
  url: string;
  default: boolean;
  profile: LoginProfile;
}
