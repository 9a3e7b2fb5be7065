import { systemClock, type Clock } from '../clock.ts';
import { registerSecret, silentLogger, type Logger } from '../log.ts';
import type { Site } from '../sites/site.ts';
import { captureCookieSession } from './cookie-capture.ts';
import { isLandingUrl, sameOrigin } from './landing.ts';
import type { LoginFailure, LoginResult } from './login-result.ts';
import type { LoginWindow, LoginWindowEvent, LoginWindowFactory } from './login-window.ts';
import { safeUrl } from './safe-url.ts';

/** Default time limits (DESIGN.md section 3). */
export const loginTimeouts = { interactiveMs: 5 * 60_000, silentMs: 15_000 } as const;

/** One login attempt. */
export interface LoginRequest {
  site: Site;
  windows: LoginWindowFactory;
  /** A visible window the person can use; false for silent renewal in a hidden window. */
  interactive: boolean;
  timeoutMs?: number;
  /**
   * Silent only: how long a loaded page may sit still before the login is judged to be waiting
   * for a person (a form). Auto-submitting pages move on within milliseconds.
   */
  settleMs?: number;
  clock?: Clock;
  logger?: Logger;
}

// A URL visited this often, or this many hops in all, is a loop whatever its shape:
// server redirects, meta refreshes and scripts that bounce between pages all count.
const maxVisitsOfOneUrl = 6;
const maxHops = 60;

function startUrl(site: Site): string {
  return new URL(site.profile.renewPath, site.url + '/').href;
}

/** Runs one login in a new window and always closes it; the result is one ending of LoginEnding. */
export async function runLogin(request: LoginRequest): Promise<LoginResult> {
  const { site, interactive } = request;
  const clock = request.clock ?? systemClock;
  const logger = (request.logger ?? silentLogger).child({ site: site.id, interactive });
  if (site.profile.mode !== 'cookie') throw new TypeError(`login mode ${site.profile.mode} is not supported by this flow`);

  const window = await request.windows.open({ profileId: site.id, visible: interactive, title: `Log in to ${site.name}` });
  try {
    if (interactive) {
      // A stale session cookie must never be captured as the new one; identity-provider cookies
      // stay, so the person may not need to type anything.
      await window.deleteCookie(site.url, site.profile.sessionCookie);
    }
    const result = await followLogin(window, request, clock, logger);
    if (result.ending === 'ok') {
      registerSecret(result.session.credential.value);
      logger.info('login succeeded', { user: result.session.user, expiresAt: result.session.expiresAt });
    } else {
      logger.warn('login ended', { ending: result.ending, reason: result.reason, status: result.status });
    }
    return result;
  } finally {
    await window.close();
  }
}

function followLogin(window: LoginWindow, request: LoginRequest, clock: Clock, logger: Logger): Promise<LoginResult> {
  const { site, interactive } = request;
  const timeoutMs = request.timeoutMs ?? (interactive ? loginTimeouts.interactiveMs : loginTimeouts.silentMs);
  const settleMs = request.settleMs ?? 3_000;

  return new Promise<LoginResult>((resolve) => {
    const visits = new Map<string, number>();
    let hops = 0;
    let settled = false;
    let settleTimer: NodeJS.Timeout | undefined;

    const finish = (result: LoginResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overallTimer);
      clearTimeout(settleTimer);
      unsubscribe();
      resolve(result);
    };
    const fail = (failure: LoginFailure): void => finish(failure);

    const overallTimer = setTimeout(() => {
      fail({
        ending: 'timeout',
        reason: `The login did not reach ${safeUrl(site.url + site.profile.landingPath)} within ${Math.round(timeoutMs / 1000)} s.`,
        ...(interactive ? {} : { needsPerson: true }),
      });
    }, timeoutMs);

    const countHop = (url: string): boolean => {
      hops += 1;
      const seen = (visits.get(url) ?? 0) + 1;
      visits.set(url, seen);
      if (seen > maxVisitsOfOneUrl || hops > maxHops) {
        fail({ ending: 'redirect_loop', reason: `The login kept returning to ${safeUrl(url)} without landing.` });
        return true;
      }
      return false;
    };

    const capture = async (): Promise<void> => {
      settled = true; // no later event may end the login while cookies are read
      clearTimeout(overallTimer);
      clearTimeout(settleTimer);
      unsubscribe();
      try {
        const cookies = await window.cookies(site.url);
        const captured = captureCookieSession(site, cookies, clock);
        resolve('session' in captured ? { ending: 'ok', session: captured.session } : captured);
      } catch (error) {
        logger.error('reading cookies after landing failed', { error: error instanceof Error ? error.name : 'unknown' });
        resolve({ ending: 'incomplete', reason: 'The session cookie could not be read from the login window.' });
      }
    };

    const onEvent = (event: LoginWindowEvent): void => {
      if (settled) return;
      switch (event.kind) {
        case 'redirected':
          logger.debug('redirect', { to: safeUrl(event.to) });
          countHop(event.to);
          return;
        case 'committed': {
          clearTimeout(settleTimer);
          logger.debug('committed', { url: safeUrl(event.url), status: event.status });
          if (countHop(event.url)) return;
          const status = event.status;
          if (isLandingUrl(event.url, site, site.profile.landingPath)) {
            if (status !== null && status >= 400) {
              fail({ ending: 'http_error', status, reason: `The site's landing page answered HTTP ${status}.` });
            } else {
              void capture();
            }
            return;
          }
          if (status !== null && (status >= 500 || (status >= 400 && sameOrigin(event.url, site.url)))) {
            fail({ ending: 'http_error', status, reason: `${safeUrl(event.url)} answered HTTP ${status}.` });
          }
          return;
        }
        case 'loaded':
          if (interactive) return;
          clearTimeout(settleTimer);
          settleTimer = setTimeout(() => {
            fail({
              ending: 'timeout',
              needsPerson: true,
              reason: `Silent renewal stopped at ${safeUrl(event.url)}, which waits for the person.`,
            });
          }, settleMs);
          return;
        case 'failed':
          switch (event.failure) {
            case 'aborted':
              return; // superseded by a newer navigation, or a refused download
            case 'tls':
              fail({ ending: 'tls_error', reason: `The certificate of ${safeUrl(event.url)} was refused (${event.detail}).` });
              return;
            case 'too_many_redirects':
              fail({ ending: 'redirect_loop', reason: `${safeUrl(event.url)} redirected too many times.` });
              return;
            case 'network':
            case 'other':
              fail({ ending: 'network_error', reason: `${safeUrl(event.url)} could not be reached (${event.detail}).` });
              return;
          }
          return;
        case 'closed':
          fail({ ending: 'cancelled', reason: 'The login window was closed before the login finished.' });
          return;
      }
    };
    const unsubscribe = window.onEvent(onEvent);
    window.navigate(startUrl(site)).catch(() => {
      fail({ ending: 'network_error', reason: `${safeUrl(startUrl(site))} could not be opened.` });
    });
  });
}
