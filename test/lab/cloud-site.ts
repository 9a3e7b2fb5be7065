import type { LabClock } from './lab-clock.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import { findAccountByEmail } from './accounts.ts';
import { checkChoice } from './choice.ts';
import { bearerToken, readJson } from './http-input.ts';
import { send } from './http-output.ts';
import type { IdpEndpoints } from './idp.ts';
import { startLabServer } from './lab-server.ts';
import { requestLoopback } from './loopback.ts';
import { cloudPage } from './mode-site-pages.ts';
import { SiteSessions } from './site-sessions.ts';

/** What the CloudShell-like site can be told to get wrong: `refuse_exchange` answers 401 to every `POST /api/login`. */
export type CloudFailure = 'refuse_exchange';

/** Every cloud failure switch. */
export const cloudFailures: readonly CloudFailure[] = ['refuse_exchange'];

/** The running CloudShell-like site (`cloud.localhost`) and its controls. */
export interface LabCloud {
  /** `http://cloud.localhost:<port>` */
  url: string;
  port: number;
  /** The public OAuth client the site registered at the lab IdP for desktop tools (PKCE, no secret), a web client. */
  clientId: string;
  /**
   * A second public client for desktop tools, registered as a native application (RFC 8252): its
   * loopback redirect URI `loopbackRedirectUri` takes any port, and it may use the device
   * authorization grant (RFC 8628) besides the code and refresh token grants.
   */
  desktopClientId: string;
  /** A redirect URI of the web client on the site itself. */
  siteRedirectUri: string;
  /** A loopback redirect URI of both clients (the `cloudshell` preset's default); only the desktop client's takes any port. */
  loopbackRedirectUri: string;
  /** The registered post-logout redirect URI of both clients (a loopback URI a window catches). */
  loggedOutUri: string;
  /** The domain `POST /api/login` accepts. */
  domain: string;
  /** What the identity provider must know about the clients: the web client's registration, then the desktop client's. */
  clientRegistrations: ClientMetadata[];
  setFailure(failure: CloudFailure | null): void;
  /** Lifetime of API tokens issued from now on, whole seconds ≥ 1 (default 5 h, as CloudShell's). */
  setTokenLifetime(seconds: number): void;
  /** Every API token issued, oldest first. */
  issuedTokens(): string[];
  /** Ends every API token: `/api/whoami` answers 401 for all of them. */
  revokeAllTokens(): number;
  close(): Promise<void>;
}

const defaultLifetimeSeconds = 5 * 60 * 60;

function checkLifetime(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1) throw new TypeError(`token lifetime must be a whole number of seconds ≥ 1, got ${seconds}`);
  return seconds;
}

/**
 * Starts the CloudShell-like site: `POST /api/login` takes `{ token, domain }` with an ID token of
 * the lab IdP (verified with jose against the IdP's published keys) and answers
 * `{ token, expiresIn }`, an API token for `Authorization: Bearer` on `GET /api/whoami`, which
 * also takes the IdP's own access tokens (checked at its userinfo endpoint). It listens on `port`
 * when that is free, else on a port from the OS.
 */
export async function startCloudSite(idp: IdpEndpoints, clock: LabClock, port?: number): Promise<LabCloud> {
  const clientId = 'lab-cloud';
  const desktopClientId = 'lab-cloud-desktop';
  const domain = 'Global';
  const state = { failure: null as CloudFailure | null, lifetimeSeconds: defaultLifetimeSeconds };
  const tokens = new SiteSessions(clock);

  // The keys are fetched on each login, so a key the IdP rotated in is used at once.
  const verifyIdToken = async (token: string): Promise<JWTPayload | null> => {
    const answer = await requestLoopback(idp.jwksUri);
    if (answer.status !== 200) return null;
    const keys = JSON.parse(answer.body) as JSONWebKeySet;
    try {
      // Either client's ID token will do: both are the site's own, for its desktop tools.
      return (await jwtVerify(token, createLocalJWKSet(keys), { issuer: idp.issuer, audience: [clientId, desktopClientId] })).payload;
    } catch {
      return null;
    }
  };

  const login = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJson(req);
    if (state.failure === 'refuse_exchange') return send(res, 401, 'json', JSON.stringify({ error: 'login refused' }));
    const { token, domain: asked } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof token !== 'string' || typeof asked !== 'string') return send(res, 400, 'json', JSON.stringify({ error: 'expected { token, domain }' }));
    if (asked !== domain) return send(res, 401, 'json', JSON.stringify({ error: 'unknown domain' }));
    const claims = await verifyIdToken(token);
    const email = claims?.['email'];
    if (typeof email !== 'string' || findAccountByEmail(email) === undefined) return send(res, 401, 'json', JSON.stringify({ error: 'invalid token' }));
    const issued = tokens.issue(email, state.lifetimeSeconds);
    return send(res, 200, 'json', JSON.stringify({ token: issued.id, expiresIn: state.lifetimeSeconds }));
  };

  const whoami = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = bearerToken(req.headers.authorization);
    const session = tokens.find(token);
    if (session !== undefined) return send(res, 200, 'json', JSON.stringify({ user: session.user, via: 'api-token' }));
    if (token !== undefined) {
      const answer = await requestLoopback(idp.userinfoEndpoint, { headers: { authorization: `Bearer ${token}` } });
      const email = answer.status === 200 ? (JSON.parse(answer.body) as Record<string, unknown>)['email'] : undefined;
      if (typeof email === 'string') return send(res, 200, 'json', JSON.stringify({ user: email, via: 'idp-access-token' }));
    }
    return send(res, 401, 'json', JSON.stringify({ error: 'unauthorized' }));
  };

  const server = await startLabServer('cloud.localhost', async (_origin, req, res) => {
    const key = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://cloud.localhost').pathname}`;
    switch (key) {
      case 'GET /':
      case 'GET /auth/callback':
        return send(res, 200, 'html', cloudPage());
      case 'POST /api/login':
        return login(req, res);
      case 'GET /api/whoami':
        return whoami(req, res);
      default:
        return send(res, 404, 'text', 'not found');
    }
  }, port);

  const siteRedirectUri = `${server.url}/auth/callback`;
  const loopbackRedirectUri = 'http://127.0.0.1/latchkey/callback';
  // Where the provider comes back after a logout (a login window catches it, as the redirect URI).
  const loggedOutUri = 'http://127.0.0.1/latchkey/logged-out';
  return {
    url: server.url,
    port: server.port,
    clientId,
    desktopClientId,
    siteRedirectUri,
    loopbackRedirectUri,
    loggedOutUri,
    domain,
    clientRegistrations: [
      {
        client_id: clientId,
        client_name: 'Lab Cloud (desktop tools)',
        application_type: 'web',
        redirect_uris: [siteRedirectUri, loopbackRedirectUri],
        post_logout_redirect_uris: [loggedOutUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        // A public client: desktop tools cannot keep a secret, so PKCE protects the code (RFC 8252 section 8.1).
        token_endpoint_auth_method: 'none',
      },
      {
        client_id: desktopClientId,
        client_name: 'Lab Cloud (desktop app)',
        // oidc-provider lets the loopback redirect take any port only for native clients (RFC 8252 section 7.3).
        application_type: 'native',
        redirect_uris: [loopbackRedirectUri],
        post_logout_redirect_uris: [loggedOutUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        token_endpoint_auth_method: 'none',
      },
    ],
    setFailure: (failure) => {
      state.failure = checkChoice('cloud failure', cloudFailures, failure);
    },
    setTokenLifetime: (seconds) => {
      state.lifetimeSeconds = checkLifetime(seconds);
    },
    issuedTokens: () => tokens.issued(),
    revokeAllTokens: () => tokens.revokeAll(),
    close: () => server.close(),
  };
}
