import { sameOrigin } from './landing.ts';
import type { LoginWindow } from './login-window.ts';
import { captureCookieSession } from './cookie-capture.ts';
import { committedLanding, landingStatusFailure, renewUrl, type LoginContext, type LoginStrategy } from './login-strategy.ts';
import type { LoginResult } from './login-result.ts';
import { safeUrl } from './safe-url.ts';

/** Cookie mode (ShotGrid, CloudShell Portal): start at the renew path, end at the landing page, capture the site's cookies. */
export function cookieStrategy(context: LoginContext): LoginStrategy {
  const { site, clock, logger } = context;
  const { profile } = site;
  const jwtCookie = profile.jwtCookie ?? null;
  return {
    startUrl: renewUrl(site),
    goal: safeUrl(site.url + profile.landingPath),
    staleCookies: jwtCookie === null || jwtCookie === profile.sessionCookie ? [profile.sessionCookie] : [profile.sessionCookie, jwtCookie],
    endOf: (event) => committedLanding(event, site),
    failsOnClientError: (url) => sameOrigin(url, site.url),
    finish: async (end, window: LoginWindow): Promise<LoginResult> => {
      const failure = landingStatusFailure(end);
      if (failure !== null) return failure;
      let cookies;
      try {
        cookies = await window.cookies(site.url);
      } catch (error) {
        logger.error('reading cookies after landing failed', { error: error instanceof Error ? error.name : 'unknown' });
        return { ending: 'incomplete', reason: 'The session cookie could not be read from the login window.' };
      }
      const captured = captureCookieSession(site, cookies, clock);
      return 'session' in captured ? { ending: 'ok', session: captured.session } : captured;
    },
  };
}
