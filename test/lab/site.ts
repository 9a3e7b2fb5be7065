import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { ClientMetadata } from 'oidc-provider';
import { findAccount } from './accounts.ts';
import { AppSessionRequests, type AppSessionPollFailure, type AppSessionRequestRecord } from './app-session-requests.ts';
import { parseCookieHeader } from './http-input.ts';
import { redirect, send } from './http-output.ts';
import type { IdpEndpoints } from './idp.ts';
import { closeNow, listenOnLoopbackPreferring } from './listener.ts';
import type { LabClock } from './lab-clock.ts';
import { checkSiteFailure, type ExpiryCookieStyle, type SiteFailure } from './site-failures.ts';
import { homePage, landingPage, neverLandsPage, pageLoopPage, siteErrorPage } from './site-pages.ts';
import { SiteSessions } from './site-sessions.ts';
import { SiteSso } from './site-sso.ts';

/** How the site starts. */
export interface SiteOptions {
  idp: IdpEndpoints;
  /** Lifetime of new sessions, whole seconds (default 3600). */
  sessionLifetimeSeconds?: number;
  failure?: SiteFailure | null;
  /** Default `claims`. */
  expiryCookieStyle?: ExpiryCookieStyle;
  /** Listen over HTTP on this port when it is free (else the OS chooses). */
  port?: number;
  /** Listen over HTTPS on this port when it is free (else the OS chooses). */
  tlsPort?: number;
  /** The HTTPS side's key and certificate (PEM); default the committed self-signed pair, which browsers must refuse. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** How long an app session request stays open, whole seconds (default 600). */
  appSessionRequestSeconds?: number;
  clock: LabClock;
}

/** The running ShotGrid-like site and its controls. */
export interface LabSite {
  /** `http://studio.localhost:<port>` */
  url: string;
  port: number;
  /** The same site over HTTPS with a self-signed certificate, which browsers must refuse: `https://studio.localhost:<tlsPort>`. */
  tlsUrl: string;
  tlsPort: number;
  /** What the identity provider must know about the site (its OpenID client registration). */
  clientRegistration: ClientMetadata;
  setFailure(failure: SiteFailure | null): void;
  /** Lifetime of sessions issued from now on, whole seconds ≥ 1. */
  setSessionLifetime(seconds: number): void;
  /** Every `_session_id` value the site has issued, oldest first. */
  issuedSessions(): string[];
  /** Ends every site session: `/api/whoami` answers 401 for all of them. */
  revokeAllSessions(): number;
  /** Where `/auth/logout` redirects after ending the caller's session (default: the site's home page). */
  setLogoutRedirect(url: string | null): void;
  /** How many sessions `/auth/logout` has ended. */
  logouts(): number;
  /**
   * The value of the user cookie of logins from now on, in place of the account's login (null:
   * the login again): a site, or a sibling subdomain through `Domain=`, that sets a hostile label.
   */
  setUserLabel(label: string | null): void;
  /** Issues a site session for a lab account as the SSO login does, with no browser; returns its `_session_id` value. */
  issueSession(login: string): string;
  /** Turns ShotGrid's app session requests on (the default) or off: off, `POST /internal_api/app_session_request` answers 403. */
  setAppSessionRequests(enabled: boolean): void;
  /** How long app session requests made from now on stay open, whole seconds ≥ 1 (default 600). */
  setAppSessionRequestLifetime(seconds: number): void;
  /** Ends every open app session request now, as their lifetime would; returns how many there were. */
  expireAppSessionRequests(): number;
  /** Makes the next `times` (default 1) polls answer 503 (`server_error`), or every poll a 302 to `/auth/renew` (`redirect`), until null. */
  setAppSessionPollFailure(failure: AppSessionPollFailure | null, times?: number): void;
  /** Every app session request made, oldest first. */
  appSessionRequests(): AppSessionRequestRecord[];
  close(): Promise<void>;
}

const sessionCookie = '_session_id';
const loginCookie = 'shotgun_current_user_login';
const claimsExpiryCookie = 'shotgun_current_user_sso_claims_expiration';
const userExpiryCookiePrefix = 'shotgun_sso_session_expiration_u';

// Test-only key and certificate (self-signed, CN and SAN studio.localhost, valid 100 years),
// committed on purpose: the lab shows that a login window refuses a certificate it cannot trust.
const fixtures = new URL('./fixtures/', import.meta.url);
const tlsCredentials = {
  key: readFileSync(new URL('studio.localhost.key', fixtures)),
  cert: readFileSync(new URL('studio.localhost.crt', fixtures)),
};

function checkLifetime(seconds: number, what = 'session lifetime'): number {
  if (!Number.isInteger(seconds) || seconds < 1) throw new TypeError(`${what} must be a whole number of seconds ≥ 1, got ${seconds}`);
  return seconds;
}

/** Starts the ShotGrid-like site on `studio.localhost`, over HTTP and over HTTPS, each on its given port when free, else on a port from the OS. */
export async function startSite(options: SiteOptions): Promise<LabSite> {
  const state = {
    failure: checkSiteFailure(options.failure ?? null),
    lifetimeSeconds: checkLifetime(options.sessionLifetimeSeconds ?? 3600),
    logoutRedirect: null as string | null,
    logouts: 0,
    userLabel: null as string | null,
  };
  const expiryStyle = options.expiryCookieStyle ?? 'claims';
  const sessions = new SiteSessions(options.clock);
  const sso = new SiteSso(options.idp, 'lab-studio');
  // Every `_session_id` comes from here: the SSO login's, an app session request's, a test's.
  const issueSession = (login: string): string => sessions.issue(login, state.lifetimeSeconds).id;
  const appSessions = new AppSessionRequests({
    clock: options.clock,
    findSession: (id) => sessions.find(id),
    issueSession,
    loginUrl: (path) => `/auth/renew?${new URLSearchParams({ return_to: path }).toString()}`,
  });
  appSessions.lifetimeSeconds = checkLifetime(options.appSessionRequestSeconds ?? 600, 'app session request lifetime');

  const sessionCookies = (login: string): string[] => {
    const cookies: string[] = [];
    if (state.failure !== 'no_cookie') cookies.push(`${sessionCookie}=${issueSession(login)}; HttpOnly; Path=/; SameSite=Lax; Max-Age=${state.lifetimeSeconds}`);
    cookies.push(`${loginCookie}=${encodeURIComponent(state.userLabel ?? login)}; Path=/`);
    const expires = Math.floor(options.clock.now() / 1000) + state.lifetimeSeconds;
    if (expiryStyle === 'claims') cookies.push(`${claimsExpiryCookie}=${expires}; Path=/`);
    const userId = findAccount(login)?.userId;
    if (expiryStyle === 'user-id' && userId !== undefined) cookies.push(`${userExpiryCookiePrefix}${userId}=${expires}; Path=/`);
    return cookies;
  };

  const route = async (origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (await appSessions.handle(origin, path, req, res)) return;
    const key = `${req.method ?? 'GET'} ${path}`;
    switch (key) {
      case 'GET /':
        return send(res, 200, 'html', homePage());
      case 'GET /auth/renew': {
        if (state.failure === 'renew_500') return send(res, 500, 'html', siteErrorPage('Server error', 'The site could not start a login.'));
        if (state.failure === 'redirect_loop') return redirect(res, '/auth/loop/a');
        if (state.failure === 'page_loop') return send(res, 200, 'html', pageLoopPage('/auth/page-loop/b'));
        if (state.failure === 'never_lands') return send(res, 200, 'html', neverLandsPage());
        // A login may come back only to the page of an app session request the site made, so the
        // parameter cannot send a freshly signed-in browser anywhere else (an open redirect).
        const returnTo = url.searchParams.get('return_to');
        if (returnTo !== null && !appSessions.isRequestPage(returnTo)) return send(res, 400, 'html', siteErrorPage('Bad request', 'A login cannot return to that address.'));
        return redirect(res, sso.authorizationUrl(`${origin}/auth/sso/callback`, returnTo));
      }
      case 'GET /auth/loop/a':
        return redirect(res, '/auth/loop/b');
      case 'GET /auth/loop/b':
        return redirect(res, '/auth/loop/a');
      // The loop goes on only while the switch is on: turned off, the next page stays put.
      case 'GET /auth/page-loop/a':
        return send(res, 200, 'html', state.failure === 'page_loop' ? pageLoopPage('/auth/page-loop/b') : neverLandsPage());
      case 'GET /auth/page-loop/b':
        return send(res, 200, 'html', state.failure === 'page_loop' ? pageLoopPage('/auth/page-loop/a') : neverLandsPage());
      case 'POST /auth/sso/callback': {
        const done = await sso.completeRequest(req, res, (message) => siteErrorPage('Sign-in failed', message));
        if (done === null) return;
        return redirect(res, done.returnTo ?? '/auth/landing', { 'set-cookie': sessionCookies(done.login) });
      }
      case 'GET /auth/landing':
        if (state.failure === 'landing_500') return send(res, 500, 'html', siteErrorPage('Server error', 'The landing page failed.'));
        return send(res, 200, 'html', landingPage());
      case 'GET /auth/logout':
        if (sessions.revoke(parseCookieHeader(req.headers.cookie).get(sessionCookie))) state.logouts += 1;
        return redirect(res, state.logoutRedirect ?? '/');
      case 'GET /api/whoami': {
        const session = sessions.find(parseCookieHeader(req.headers.cookie).get(sessionCookie));
        if (session === undefined) return send(res, 401, 'json', JSON.stringify({ error: 'unauthorized' }));
        return send(res, 200, 'json', JSON.stringify({ user: session.user }));
      }
      default:
        return send(res, 404, 'text', 'not found');
    }
  };

  const handlerFor = (origin: () => string) => (req: IncomingMessage, res: ServerResponse): void => {
    route(origin(), req, res).catch((error: unknown) => {
      console.error('lab site: request failed', error);
      if (!res.headersSent) send(res, 500, 'text', 'internal error');
      else res.end();
    });
  };
  // The origins are known only once the ports are (the OS may have chosen them).
  let url = '';
  let tlsUrl = '';
  const server = createServer(handlerFor(() => url));
  const tlsServer = createTlsServer(options.tls ?? tlsCredentials, handlerFor(() => tlsUrl));
  const port = await listenOnLoopbackPreferring(server, options.port);
  const tlsPort = await listenOnLoopbackPreferring(tlsServer, options.tlsPort);
  url = `http://studio.localhost:${port}`;
  tlsUrl = `https://studio.localhost:${tlsPort}`;

  return {
    url,
    port,
    tlsUrl,
    tlsPort,
    clientRegistration: sso.registration('Lab Studio', [`${url}/auth/sso/callback`, `${tlsUrl}/auth/sso/callback`]),
    setFailure: (failure) => {
      state.failure = checkSiteFailure(failure);
    },
    setSessionLifetime: (seconds) => {
      state.lifetimeSeconds = checkLifetime(seconds);
    },
    issuedSessions: () => sessions.issued(),
    revokeAllSessions: () => sessions.revokeAll(),
    setLogoutRedirect: (target) => {
      state.logoutRedirect = target;
    },
    logouts: () => state.logouts,
    setUserLabel: (label) => {
      state.userLabel = label;
    },
    issueSession: (login) => {
      if (findAccount(login) === undefined) throw new TypeError(`no lab account: ${JSON.stringify(login)}`);
      return issueSession(login);
    },
    setAppSessionRequests: (enabled) => {
      appSessions.enabled = enabled;
    },
    setAppSessionRequestLifetime: (seconds) => {
      appSessions.lifetimeSeconds = checkLifetime(seconds, 'app session request lifetime');
    },
    expireAppSessionRequests: () => appSessions.expireAll(),
    setAppSessionPollFailure: (failure, times) => appSessions.setPollFailure(failure, times),
    appSessionRequests: () => appSessions.records(),
    close: async () => {
      await Promise.all([closeNow(server), closeNow(tlsServer)]);
    },
  };
}
