import type { LabClock } from './lab-clock.ts';
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import { findAccount } from './accounts.ts';
import { checkChoice } from './choice.ts';
import { parseCookieHeader } from './http-input.ts';
import { redirect, send } from './http-output.ts';
import type { IdpEndpoints } from './idp.ts';
import { startLabServer } from './lab-server.ts';
import { modeSiteError, modeSiteHome, modeSiteLanding } from './mode-site-pages.ts';
import { recordIssuedSecret } from './secret-record.ts';
import { SiteSso } from './site-sso.ts';

/** What the JWT-cookie site can be told to get wrong: `no_cookie` sets no cookie; `not_jwt` sets one that is not a JWT. */
export type JwtSiteFailure = 'no_cookie' | 'not_jwt';

/** Every JWT site failure switch. */
export const jwtSiteFailures: readonly JwtSiteFailure[] = ['no_cookie', 'not_jwt'];

/** The running CloudShell Portal-like site (`portal.localhost`) and its controls. */
export interface LabJwtSite {
  /** `http://portal.localhost:<port>` */
  url: string;
  port: number;
  /** The session cookie, whose value is a JWT with `username`, `email` and `exp` claims. */
  cookieName: string;
  clientRegistration: ClientMetadata;
  setFailure(failure: JwtSiteFailure | null): void;
  /** Lifetime of session JWTs issued from now on, whole seconds ≥ 1 (default 2 h). */
  setSessionLifetime(seconds: number): void;
  /** Every session JWT issued, oldest first. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

const title = 'Lab Portal';
const cookieName = 'portal_jwt';

/**
 * Starts the CloudShell Portal-like site: `/account/sso-login` signs in through the lab IdP, then
 * sets `portal_jwt`, a JWT signed with the site's own key, as a browser-session cookie (no
 * Max-Age, so its only expiry is the JWT's `exp`), and lands on `/portal/home`. `GET /api/whoami`
 * verifies the cookie's signature and expiry. It listens on `port` when that is free, else on a port
 * from the OS.
 */
export async function startJwtSite(idp: IdpEndpoints, clock: LabClock, port?: number): Promise<LabJwtSite> {
  const state = { failure: null as JwtSiteFailure | null, lifetimeSeconds: 2 * 60 * 60 };
  const signingKey = randomBytes(32);
  const issued: string[] = [];
  const sso = new SiteSso(idp, 'lab-portal');

  const sessionJwt = async (login: string): Promise<string> => {
    const account = findAccount(login);
    const jwt = await new SignJWT({ username: login, email: account?.email ?? null })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(login)
      .setIssuedAt()
      .setExpirationTime(Math.floor(clock.now() / 1000) + state.lifetimeSeconds)
      .sign(signingKey);
    issued.push(jwt);
    recordIssuedSecret(jwt);
    return jwt;
  };

  const server = await startLabServer('portal.localhost', async (origin, req, res) => {
    const url = new URL(req.url ?? '/', origin);
    switch (`${req.method ?? 'GET'} ${url.pathname}`) {
      case 'GET /':
        return send(res, 200, 'html', modeSiteHome(title, '/account/sso-login'));
      case 'GET /account/sso-login':
        return redirect(res, sso.authorizationUrl(`${origin}/sso/callback`));
      case 'POST /sso/callback': {
        const login = (await sso.completeRequest(req, res, (message) => modeSiteError(title, message)))?.login;
        if (login === undefined) return;
        if (state.failure === 'no_cookie') return redirect(res, '/portal/home');
        const value = state.failure === 'not_jwt' ? randomBytes(24).toString('base64url') : await sessionJwt(login);
        if (state.failure === 'not_jwt') recordIssuedSecret(value);
        return redirect(res, '/portal/home', { 'set-cookie': `${cookieName}=${value}; HttpOnly; Path=/; SameSite=Lax` });
      }
      case 'GET /portal/home':
        return send(res, 200, 'html', modeSiteLanding(title));
      case 'GET /api/whoami': {
        const jwt = parseCookieHeader(req.headers.cookie).get(cookieName);
        const claims = jwt === undefined ? null : await jwtVerify(jwt, signingKey).then((result) => result.payload, () => null);
        if (claims === null) return send(res, 401, 'json', JSON.stringify({ error: 'unauthorized' }));
        return send(res, 200, 'json', JSON.stringify({ user: claims['username'], email: claims['email'] }));
      }
      default:
        return send(res, 404, 'text', 'not found');
    }
  }, port);

  return {
    url: server.url,
    port: server.port,
    cookieName,
    clientRegistration: sso.registration(title, [`${server.url}/sso/callback`]),
    setFailure: (failure) => {
      state.failure = checkChoice('JWT site failure', jwtSiteFailures, failure);
    },
    setSessionLifetime: (seconds) => {
      if (!Number.isInteger(seconds) || seconds < 1) throw new TypeError(`session lifetime must be a whole number of seconds ≥ 1, got ${seconds}`);
      state.lifetimeSeconds = seconds;
    },
    issuedTokens: () => [...issued],
    close: () => server.close(),
  };
}
