import { clockDeadline, systemClock, type Clock, type Timer } from '../clock.ts';
import { silentLogger, type Logger } from '../log.ts';
import { labelShowsSecret, registerSessionSecrets } from '../sessions/session-secrets.ts';
import type { Session } from '../sessions/session.ts';
import type { Site } from '../sites/site.ts';
import { cookieStrategy } from './cookie-strategy.ts';
import type { LoginFailure, LoginResult } from './login-result.ts';
import { LoginStepError } from './login-step-error.ts';
import type { LoginContext, LoginEnd, LoginPlan, LoginPrompt, LoginStrategy } from './login-strategy.ts';
import type { LoginWindow, LoginWindowEvent, LoginWindowFactory } from './login-window.ts';
import { planOidcLogin } from './oidc-strategy.ts';
import { queryStrategy } from './query-strategy.ts';
import { safeUrl } from './safe-url.ts';
import { appSessionLogin } from './app-session-login.ts';
import { siteHttp, type HttpPort } from '../net/engine-http.ts';
import { siteProxy } from '../net/proxy-config.ts';
import type { SystemBrowser } from '../browser/system-browser.ts';
import { LatchkeyError } from '../common/errors.ts';
import { loginBrowser, type LoginBrowser } from '../common/profile.ts';

/**
 * A server (or proxy) asked for a user name and password and the browser gave none: in a login
 * the person makes, they dismissed the browser's prompt; a silent login never prompts, so it
 * needs the person.
 */
function credentialsRefused(url: string, scheme: string | null, interactive: boolean): LoginFailure {
  let host = 'the site';
  try {
    host = new URL(url).host;
  } catch {
    // Not a URL: the words above stand for it.
  }
  const how = scheme === null ? '' : ` (${scheme})`;
  return interactive
    ? { ending: 'cancelled', reason: `The sign-in prompt of ${host}${how} was cancelled.` }
    : { ending: 'http_error', status: 401, needsPerson: true, reason: `${host} asks for a user name and password${how}; only the person can answer.` };
}

/** Default time limits (docs/ARCHITECTURE.md, "Logins"). */
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
  /** The site's stored session, if any: a silent oidc login renews from its refresh token before opening any window. */
  storedSession?: Session | null;
  /** Aborting it ends the login as `cancelled` and closes its window (a logout while it runs). */
  signal?: AbortSignal;
  /** The browser to log in with instead of the profile's (`latchkey login --web` or `--device`); checked against the mode by the caller. */
  browser?: LoginBrowser;
  /** Opens pages in the person's own browser (system-browser and app-session logins). */
  systemBrowser?: SystemBrowser;
  /** Delivers what the person must do outside our window to the clients that wait for the login. */
  onPrompt?: (prompt: LoginPrompt) => void;
  /** The engine's HTTP calls; default: Node's, direct. */
  http?: HttpPort;
}

// A URL visited this often, or this many hops in all, is a loop whatever its shape:
// server redirects, meta refreshes and scripts that bounce between pages all count.
const maxVisitsOfOneUrl = 6;
const maxHops = 60;

function asFailure(error: unknown): LoginFailure {
  if (error instanceof LoginStepError) return error.failure;
  throw error;
}

/** Each mode's plan: cookie and query always use the window; oidc may renew without one. */
async function planLogin(context: LoginContext): Promise<LoginPlan> {
  switch (context.site.profile.mode) {
    case 'cookie':
      return { strategy: cookieStrategy(context) };
    case 'query':
      return { strategy: queryStrategy(context) };
    case 'oidc':
      return planOidcLogin(context);
    case 'app-session':
      return { result: await appSessionLogin(context) };
  }
}

/**
 * The profile's browser, except that an oidc login the person must make, where no window can
 * reach them (no desktop session), uses a device code: the person finishes it on any device.
 */
function browserFor(site: Site, interactive: boolean, windows: LoginWindowFactory): LoginBrowser {
  const browser = loginBrowser(site.profile);
  if (browser === 'embedded' && interactive && site.profile.mode === 'oidc' && windows.showsWindows?.() === false) return 'device';
  return browser;
}

/** Runs one login, in a new window where the mode needs one (always closed after); the result is one ending of LoginEnding. */
export async function runLogin(request: LoginRequest): Promise<LoginResult> {
  const { site, interactive } = request;
  const logger = (request.logger ?? silentLogger).child({ site: site.id, interactive, mode: site.profile.mode });
  const timeoutMs = request.timeoutMs ?? (interactive ? loginTimeouts.interactiveMs : loginTimeouts.silentMs);
  const clock = request.clock ?? systemClock;
  // One deadline bounds the login's every step: metadata, the window, and the token calls after
  // it. It starts again once the window is open, so starting the browser never eats the person's time.
  const deadline = clockDeadline(clock, timeoutMs, 'login deadline');
  const context: LoginContext = {
    site,
    interactive,
    clock,
    logger,
    // The site's own proxy, where its profile names one, over the engine's settings.
    http: siteHttp(site, request.http, logger),
    signal: deadline.signal,
    cancel: request.signal ?? new AbortController().signal,
    storedSession: request.storedSession ?? null,
    browser: request.browser ?? browserFor(site, interactive, request.windows),
    present: async (prompt, { open }) => {
      // Delivered first: where no browser starts (no desktop), the person opens the page by hand.
      request.onPrompt?.(prompt);
      if (!open) return;
      try {
        if (request.systemBrowser === undefined) throw new LatchkeyError('browser_failed', 'No way to open a browser was given.');
        await request.systemBrowser.open(prompt.url);
      } catch (error) {
        logger.warn('the browser could not be opened; the page is shown to the client instead', { error: error instanceof LatchkeyError ? error.message : 'unexpected' });
      }
    },
  };
  try {
    const plan = await planLogin(context).catch((error: unknown): LoginPlan => ({ result: asFailure(error) }));
    const result = 'result' in plan ? plan.result : await loginInWindow(plan.strategy, request, context, { timeoutMs, restartDeadline: deadline.restart });
    if (result.ending === 'ok') {
      registerSessionSecrets(result.session);
      // A label is shown to people and to the UI, which never holds a session value: a profile
      // that reads the label from a secret gets no label (docs/ARCHITECTURE.md, "Security model").
      const leaks = labelShowsSecret(result.session, site.profile.mode === 'cookie' ? site.profile.userCookie : null);
      if (leaks) logger.warn('the user label would show a session value: the session is kept without a label', {});
      // The label is not logged: it is personal data, and the log needs only that there is one.
      logger.info('login succeeded', { labelled: !leaks && result.session.user !== null, expiresAt: result.session.expiresAt, window: !('result' in plan) });
      return leaks ? { ...result, session: { ...result.session, user: null } } : result;
    } else {
      logger.warn('login ended', { ending: result.ending, reason: result.reason, status: result.status });
    }
    return result;
  } finally {
    deadline.cancel();
  }
}

async function loginInWindow(
  strategy: LoginStrategy,
  request: LoginRequest,
  context: LoginContext,
  deadline: { timeoutMs: number; restartDeadline: () => void },
): Promise<LoginResult> {
  const { site, interactive } = request;
  const proxy = siteProxy(site.profile);
  const window = await request.windows.open({ profileId: site.id, visible: interactive, title: `Log in to ${site.name}`, ...(proxy === undefined ? {} : { proxy }) });
  deadline.restartDeadline();
  try {
    if (interactive) {
      // A stale session cookie must never be captured as the new one; identity-provider cookies
      // stay, so the person may not need to type anything.
      for (const name of strategy.staleCookies) await window.deleteCookie(site.url, name);
    }
    const result = await followWindow(window, strategy, context, { timeoutMs: deadline.timeoutMs, settleMs: request.settleMs ?? 3_000, stop: request.signal });
    if (result.ending === 'ok') await forgetCredentials(window, site, result.session, context.logger);
    return result;
  } finally {
    await window.close();
  }
}

/**
 * A captured credential rests in one place, the store: the login profile keeps the identity
 * provider's cookies (so silent renewal works) but not the site's cookies that the session
 * carries, nor, in query mode, any record of the landing page whose URL held the key.
 */
async function forgetCredentials(window: LoginWindow, site: Site, session: Session, logger: Logger): Promise<void> {
  try {
    for (const name of new Set(session.cookies.map((cookie) => cookie.name))) await window.deleteCookie(site.url, name);
    if (site.profile.mode === 'query') await window.forgetVisits();
  } catch (error) {
    // The session is still good; the profile may keep a copy until the next login replaces it.
    logger.warn('the captured credential could not be removed from the login profile', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

/** The event machine: follows the window until the strategy's end, a failure, the person closing it, or the deadline. */
function followWindow(
  window: LoginWindow,
  strategy: LoginStrategy,
  context: LoginContext,
  limits: { timeoutMs: number; settleMs: number; stop: AbortSignal | undefined },
): Promise<LoginResult> {
  const { interactive, logger, signal, clock } = context;

  return new Promise<LoginResult>((resolve) => {
    const visits = new Map<string, number>();
    let hops = 0;
    let settled = false;
    let settleTimer: Timer | undefined;

    const stop = (): void => {
      settled = true;
      settleTimer?.cancel();
      signal.removeEventListener('abort', onDeadline);
      limits.stop?.removeEventListener('abort', onStop);
      unsubscribe();
    };
    const fail = (failure: LoginFailure): void => {
      if (settled) return;
      stop();
      resolve(failure);
    };
    const onDeadline = (): void => {
      fail({
        ending: 'timeout',
        reason: `The login did not reach ${strategy.goal} within ${Math.round(limits.timeoutMs / 1000)} s.`,
        ...(interactive ? {} : { needsPerson: true }),
      });
    };

    const onStop = (): void => {
      fail({ ending: 'cancelled', reason: 'The login was stopped: the site was logged out meanwhile.' });
    };

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

    const finish = async (end: LoginEnd): Promise<void> => {
      stop(); // no later event may end the login while the strategy captures; the deadline still bounds its calls
      try {
        resolve(await strategy.finish(end, window));
      } catch (error) {
        if (error instanceof LoginStepError) return resolve(error.failure);
        logger.error('capturing the login failed', { error: error instanceof Error ? error.name : 'unknown' });
        resolve({ ending: 'incomplete', reason: 'The login reached its end, but its result could not be read.' });
      }
    };

    const onEvent = (event: LoginWindowEvent): void => {
      if (settled) return;
      if (event.kind === 'redirected') {
        logger.debug('redirect', { to: safeUrl(event.to) });
        if (countHop(event.to)) return;
      } else if (event.kind === 'committed') {
        settleTimer?.cancel();
        logger.debug('committed', { url: safeUrl(event.url), status: event.status });
        if (countHop(event.url)) return;
      }
      const end = strategy.endOf(event);
      if (end !== null) {
        void finish(end);
        return;
      }
      switch (event.kind) {
        case 'redirected':
          return;
        case 'committed': {
          const status = event.status;
          // A server asked for a user name and password (Basic, Digest, or integrated Windows
          // authentication the browser could not answer) and got none: the person cancelled the
          // browser's prompt; a silent login never prompts, so it needs the person.
          if (status === 401 && (event.challenge ?? null) !== null) {
            fail(credentialsRefused(event.url, event.challenge ?? null, interactive));
            return;
          }
          if (status !== null && (status >= 500 || (status >= 400 && strategy.failsOnClientError(event.url)))) {
            fail({ ending: 'http_error', status, reason: `${safeUrl(event.url)} answered HTTP ${status}.` });
          }
          return;
        }
        case 'loaded':
          if (interactive) return;
          settleTimer?.cancel();
          settleTimer = clock.setTimer(limits.settleMs, () => {
            fail({
              ending: 'timeout',
              needsPerson: true,
              reason: `Silent renewal stopped at ${safeUrl(event.url)}, which waits for the person.`,
            });
          }, 'silent settle');
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
            case 'auth':
              fail(credentialsRefused(event.url, null, interactive));
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
    if (signal.aborted) return onDeadline();
    if (limits.stop?.aborted === true) return onStop();
    signal.addEventListener('abort', onDeadline, { once: true });
    limits.stop?.addEventListener('abort', onStop, { once: true });
    window.navigate(strategy.startUrl).catch(() => {
      fail({ ending: 'network_error', reason: `${safeUrl(strategy.startUrl)} could not be opened.` });
    });
  });
}
