import { decodeJwt, type JWTPayload } from 'jose';
import type { Clock } from '../clock.ts';
import { profileDefaults } from '../common/profile.ts';
import { type Site } from '../sites/site.ts';
import type { CapturedCookie, Session } from '../sessions/session.ts';
import { expiryFromClaims, userFromClaims } from './jwt-claims.ts';
import type { LoginFailure } from './login-result.ts';

/**
 * Decodes a URL-encoded cookie value with decodeURIComponent, not form decoding: a `+` stays a
 * `+` (the login `user+name` survives) and `%20` becomes a space. A malformed escape keeps the raw text.
 */
export function decodeCookieText(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function matchesName(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) && name.length > pattern.length - 1 : name === pattern;
}

/** Reads an expiry in Unix seconds (ShotGrid writes integers, some sites write fractions). */
function parseUnixSeconds(raw: string): number | null {
  const text = decodeCookieText(raw).trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const seconds = Number(text);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/**
 * The session's expiry in epoch milliseconds: the first configured expiry cookie, else the JWT
 * cookie's `exp` (when there is one), else the session cookie's own expiry, else unknown.
 */
export function expiryFromCookies(
  patterns: readonly string[],
  cookies: readonly CapturedCookie[],
  sessionCookie: CapturedCookie,
  jwtClaims: JWTPayload | null = null,
): number | null {
  for (const pattern of patterns) {
    for (const cookie of cookies) {
      if (!matchesName(pattern, cookie.name)) continue;
      const seconds = parseUnixSeconds(cookie.value);
      if (seconds !== null) return Math.round(seconds * 1000);
    }
  }
  const fromJwt = jwtClaims === null ? null : expiryFromClaims(jwtClaims);
  if (fromJwt !== null) return fromJwt;
  return sessionCookie.expires === null ? null : Math.round(sessionCookie.expires * 1000);
}

/**
 * The claims of the profile's JWT-valued cookie, null when the profile names none, or what is wrong.
 *
 * The claims are decoded, not verified: the browser received the cookie from the site itself over
 * the connection it verified, and Latchkey uses the claims only to label the session (who, until
 * when). Nothing is granted on them here; the site checks its own signature on every request the
 * cookie goes with, so a forged cookie would gain nothing but a wrong label.
 */
function jwtCookieClaims(site: Site, cookies: readonly CapturedCookie[]): { claims: JWTPayload | null } | LoginFailure {
  const name = site.profile.jwtCookie ?? null;
  if (name === null) return { claims: null };
  const cookie = cookies.find((candidate) => candidate.name === name && candidate.value !== '');
  if (cookie === undefined) return { ending: 'incomplete', reason: `The site reached its landing page without setting the ${name} cookie.` };
  try {
    return { claims: decodeJwt(cookie.value) };
  } catch {
    return { ending: 'incomplete', reason: `The ${name} cookie is not a JWT, so it names no user or expiry.` };
  }
}

/**
 * Builds the session of a cookie-mode login from the site origin's cookies, or says what was
 * missing. `cookies` must already be limited to the site's origin.
 */
export function captureCookieSession(
  site: Site,
  cookies: readonly CapturedCookie[],
  clock: Clock,
): { session: Session } | LoginFailure {
  const { profile } = site;
  const sessionCookie = cookies.find((cookie) => cookie.name === profile.sessionCookie && cookie.value !== '');
  if (!sessionCookie) {
    return { ending: 'incomplete', reason: `The site reached its landing page without setting the ${profile.sessionCookie} cookie.` };
  }
  const jwt = jwtCookieClaims(site, cookies);
  if ('ending' in jwt) return jwt;
  const userCookie = profile.userCookie === null ? undefined : cookies.find((cookie) => cookie.name === profile.userCookie);
  const fromCookie = userCookie && userCookie.value !== '' ? decodeCookieText(userCookie.value) : null;
  const fromJwt = jwt.claims === null ? null : userFromClaims(jwt.claims, profile.userClaims ?? profileDefaults.jwtUserClaims);
  return {
    session: {
      siteId: site.id,
      siteUrl: site.url,
      // The JWT's claims are the site's own statement of who logged in; the login cookie is the fallback.
      user: fromJwt ?? fromCookie,
      credential: { kind: 'cookie', name: sessionCookie.name, value: sessionCookie.value },
      cookies: [...cookies],
      obtainedAt: clock.now(),
      expiresAt: expiryFromCookies(profile.expiryCookies, cookies, sessionCookie, jwt.claims),
    },
  };
}
