import type { Clock } from '../clock.ts';
import type { CapturedCookie, Session } from '../sessions/session.ts';
import { profileDefaults } from '../common/profile.ts';
import { type Site } from '../sites/site.ts';
import { sameOrigin } from './landing.ts';
import type { LoginFailure, LoginResult } from './login-result.ts';
import { committedLanding, landingStatusFailure, renewUrl, type LoginContext, type LoginStrategy } from './login-strategy.ts';
import { safeUrl } from './safe-url.ts';

/** One query parameter's value, null when absent or empty, or a failure when it is given twice. */
function singleParam(params: URLSearchParams, name: string): string | null | LoginFailure {
  const values = params.getAll(name);
  // Two values would leave Latchkey guessing which one the site meant; neither is taken.
  if (values.length > 1) return { ending: 'incomplete', reason: `The landing URL carries the ${name} parameter ${values.length} times.` };
  const [value] = values;
  return value === undefined || value === '' ? null : value;
}

/**
 * Builds the session of a query-mode login from the committed landing URL (Content Catalyst's
 * `…/irLogin.aspx?un=<user>&SessionKey=<key>`), or says what was missing. URLSearchParams applies
 * form decoding, which is right for a query string (WHATWG URL, application/x-www-form-urlencoded):
 * `+` is a space and `%2B` a plus sign.
 */
export function captureQuerySession(site: Site, landingUrl: string, cookies: readonly CapturedCookie[], clock: Clock): { session: Session } | LoginFailure {
  const sessionParam = site.profile.sessionParam ?? profileDefaults.sessionParam;
  const userParam = site.profile.userParam === undefined ? profileDefaults.userParam : site.profile.userParam;
  const params = new URL(landingUrl).searchParams;
  const key = singleParam(params, sessionParam);
  if (key !== null && typeof key !== 'string') return key;
  if (key === null) return { ending: 'incomplete', reason: `The site reached its landing page without the ${sessionParam} parameter.` };
  const user = userParam === null ? null : singleParam(params, userParam);
  if (user !== null && typeof user !== 'string') return user;
  return {
    session: {
      siteId: site.id,
      siteUrl: site.url,
      user,
      credential: { kind: 'key', name: sessionParam, value: key },
      // Sites of this kind often pair the key with a server-side session cookie.
      cookies: [...cookies],
      obtainedAt: clock.now(),
      expiresAt: null,
    },
  };
}

/** Query mode: start at the renew path, end at the landing page, capture the key from its URL. */
export function queryStrategy(context: LoginContext): LoginStrategy {
  const { site, clock, logger } = context;
  return {
    startUrl: renewUrl(site),
    goal: safeUrl(site.url + site.profile.landingPath),
    staleCookies: [],
    endOf: (event) => committedLanding(event, site),
    failsOnClientError: (url) => sameOrigin(url, site.url),
    finish: async (end, window): Promise<LoginResult> => {
      const failure = landingStatusFailure(end);
      if (failure !== null) return failure;
      let cookies: CapturedCookie[] = [];
      try {
        cookies = await window.cookies(site.url);
      } catch (error) {
        // The key is in the URL; the cookies only go along with it.
        logger.warn('reading cookies after landing failed', { error: error instanceof Error ? error.name : 'unknown' });
      }
      const captured = captureQuerySession(site, end.url, cookies, clock);
      return 'session' in captured ? { ending: 'ok', session: captured.session } : captured;
    },
  };
}
