import type { Clock } from '../clock.ts';
import type { LoginBrowser } from '../common/profile.ts';
import type { HttpPort } from '../net/engine-http.ts';
import type { Logger } from '../log.ts';
import type { Session } from '../sessions/session.ts';
import type { Site } from '../sites/site.ts';
import { isLandingUrl } from './landing.ts';
import type { LoginFailure, LoginResult } from './login-result.ts';
import type { LoginWindow, LoginWindowEvent } from './login-window.ts';

/** Everything a login mode may use while it plans and finishes one login. */
export interface LoginContext {
  site: Site;
  interactive: boolean;
  clock: Clock;
  logger: Logger;
  /** The engine's HTTP calls (through the proxy the settings name). */
  http: HttpPort;
  /** Aborts when the login's time is up; every network call of the login takes it. */
  signal: AbortSignal;
  /** Aborts when the login is stopped (the site was logged out meanwhile): the login ends `cancelled`. */
  cancel: AbortSignal;
  /** The site's stored session, if any (oidc mode renews from its refresh token). */
  storedSession: Session | null;
  /** The browser this login uses: the profile's, or the one the caller asked for. */
  browser: LoginBrowser;
  /**
   * Tells the person what to do outside our window: delivers the page (and the code to type, if
   * any) to the client that asked, and with `open` also opens the page in their own browser. A
   * browser that cannot be started is logged, not fatal: the person opens the page by hand.
   */
  present(prompt: LoginPrompt, options: { open: boolean }): Promise<void>;
}

/** What a person is asked to do in their own browser or on another device. */
export interface LoginPrompt {
  /** The page to open. */
  url: string;
  /** The code to type there (device flow), or null. */
  userCode: string | null;
  /** When the page or code stops working (milliseconds since the epoch), or null. */
  expiresAt: number | null;
}

/** Where the login window's part of a login ended. */
export interface LoginEnd {
  /** The URL that ended it (a committed page, a redirect hop's target, or a failed navigation's URL). */
  url: string;
  /** The HTTP status when the end was a committed page, else null. */
  status: number | null;
}

/** How one login mode drives the login window: where to start, what ends it, what to capture. */
export interface LoginStrategy {
  startUrl: string;
  /** What the login waits for, safe to show (in a timeout's reason). */
  goal: string;
  /** Site cookies deleted before an interactive login, so a stale one is never captured. */
  staleCookies: string[];
  /** The end of the window's part, when this event is it. */
  endOf(event: LoginWindowEvent): LoginEnd | null;
  /** True when an HTTP 4xx at this committed URL means the login cannot go on (not a mistyped password). */
  failsOnClientError(url: string): boolean;
  /** Builds the login's result once the window has reached the end; may throw LoginStepError. */
  finish(end: LoginEnd, window: LoginWindow): Promise<LoginResult>;
}

/**
 * What a mode decides before any window opens: a result already (a refresh token did it, or a
 * login in the person's own browser or on another device ran to its end), or a window login.
 */
export type LoginPlan = { result: LoginResult } | { strategy: LoginStrategy };

/** The end of a cookie or query login: a committed navigation to the site's exact landing page. */
export function committedLanding(event: LoginWindowEvent, site: Site): LoginEnd | null {
  if (event.kind !== 'committed' || !isLandingUrl(event.url, site, site.profile.landingPath)) return null;
  return { url: event.url, status: event.status };
}

/** The failure of a landing page that answered an HTTP error, or null. */
export function landingStatusFailure(end: LoginEnd): LoginFailure | null {
  if (end.status === null || end.status < 400) return null;
  return { ending: 'http_error', status: end.status, reason: `The site's landing page answered HTTP ${end.status}.` };
}

/** The URL a cookie or query login opens first: the renew path on the site. */
export function renewUrl(site: Site): string {
  return new URL(site.profile.renewPath, site.url + '/').href;
}
