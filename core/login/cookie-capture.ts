import type { Clock } from '../clock.ts';
import type { Site } from '../sites/site.ts';
import type { CapturedCookie, Session } from '../sessions/session.ts';
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

/** The session's expiry in epoch milliseconds: the first configured expiry cookie, else the session cookie's own expiry, else unknown. */
export function expiryFromCookies(patterns: readonly string[], cookies: readonly CapturedCookie[], sessionCookie: CapturedCookie): number | null {
  for (const pattern of patterns) {
    for (const cookie of cookies) {
      if (!matchesName(pattern, cookie.name)) continue;
      const seconds = parseUnixSeconds(cookie.value);
      if (seconds !== null) return Math.round(seconds * 1000);
    }
  }
  return sessionCookie.expires === null ? null : Math.round(sessionCookie.expires * 1000);
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
  const userCookie = profile.userCookie === null ? undefined : cookies.find((cookie) => cookie.name === profile.userCookie);
  return {
    session: {
      siteId: site.id,
      siteUrl: site.url,
      user: userCookie && userCookie.value !== '' ? decodeCookieText(userCookie.value) : null,
      credential: { kind: 'cookie', name: sessionCookie.name, value: sessionCookie.value },
      cookies: [...cookies],
      obtainedAt: clock.now(),
      expiresAt: expiryFromCookies(profile.expiryCookies, cookies, sessionCookie),
    },
  };
}
