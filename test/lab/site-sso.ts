import { createHash, randomBytes } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { IdpEndpoints } from './idp.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readForm } from './http-input.ts';
import { send } from './http-output.ts';
import { requestLoopback } from './loopback.ts';

/** Why the site's SSO callback failed; `status` is what the site answers the browser. */
export class SsoCallbackError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'SsoCallbackError';
    this.status = status;
  }
}

interface PendingLogin {
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** A path of the site to send the browser back to after the login, checked by the caller when the login began. */
  returnTo: string | null;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

// A login must come back within this long, like a real site's short-lived SSO request state.
const pendingLifetimeMs = 10 * 60 * 1000;

function random(): string {
  return randomBytes(32).toString('base64url');
}

function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (payload === undefined) throw new SsoCallbackError(502, 'ID token is not a JWT');
  const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (decoded === null || typeof decoded !== 'object') throw new SsoCallbackError(502, 'ID token payload is not an object');
  return decoded as Record<string, unknown>;
}

/** A finished login: who signed in, and where the site should send the browser next (null: its usual landing page). */
export interface SsoLogin {
  login: string;
  returnTo: string | null;
}

/**
 * The site's side of single sign-on: an OpenID Connect relying party using the authorization code
 * flow with PKCE and `response_mode=form_post`, so the identity provider answers with an
 * auto-submitting form POST back to the site, the same browser hop as SAML's HTTP-POST binding.
 */
export class SiteSso {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly #idp: IdpEndpoints;
  // Keyed by `state`, kept server-side: the callback is a cross-site POST, which carries none of
  // the site's SameSite=Lax cookies (RFC 6265bis section 8.8).
  readonly #pending = new Map<string, PendingLogin>();

  constructor(idp: IdpEndpoints, clientId: string) {
    this.#idp = idp;
    this.clientId = clientId;
    this.clientSecret = random();
  }

  /** What the identity provider must know about this site: a confidential client returning to `redirectUris`. */
  registration(clientName: string, redirectUris: string[]): ClientMetadata {
    return {
      client_id: this.clientId,
      client_secret: this.clientSecret,
      client_name: clientName,
      redirect_uris: redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    };
  }

  /**
   * Starts a login that returns to `redirectUri`; the result is where to send the browser.
   * `returnTo` is kept here, beside the login's `state`, rather than sent through the identity
   * provider, so nothing on the way can change where the browser lands; the caller checks it first.
   */
  authorizationUrl(redirectUri: string, returnTo: string | null = null): string {
    const now = Date.now();
    for (const [state, login] of this.#pending) if (login.expiresAt <= now) this.#pending.delete(state);
    const state = random();
    const login: PendingLogin = { nonce: random(), codeVerifier: random(), redirectUri, returnTo, expiresAt: now + pendingLifetimeMs };
    this.#pending.set(state, login);
    const url = new URL(this.#idp.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: this.clientId,
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'openid profile email',
      redirect_uri: redirectUri,
      state,
      nonce: login.nonce,
      code_challenge: createHash('sha256').update(login.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /**
   * Handles the site's SSO callback request: the finished login, or null after answering the
   * browser itself with `errorPage(message)` and the failure's status.
   */
  async completeRequest(req: IncomingMessage, res: ServerResponse, errorPage: (message: string) => string): Promise<SsoLogin | null> {
    try {
      return await this.complete(await readForm(req));
    } catch (error) {
      if (!(error instanceof SsoCallbackError)) throw error;
      send(res, error.status, 'html', errorPage(error.message));
      return null;
    }
  }

  /** Checks the callback's state, redeems its code on the back channel and returns the finished login. */
  async complete(form: URLSearchParams): Promise<SsoLogin> {
    const error = form.get('error');
    if (error !== null) throw new SsoCallbackError(403, `identity provider refused: ${error}`);
    const state = form.get('state') ?? '';
    const login = this.#pending.get(state);
    this.#pending.delete(state);
    if (login === undefined || login.expiresAt <= Date.now()) throw new SsoCallbackError(400, 'unknown or expired state');
    const code = form.get('code');
    if (code === null) throw new SsoCallbackError(400, 'callback carries no code');

    // client_secret_basic: id and secret are form-encoded before base64 (RFC 6749 section 2.3.1).
    const basic = Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64');
    const answer = await requestLoopback(this.#idp.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: login.redirectUri, code_verifier: login.codeVerifier }).toString(),
    }).catch((cause: unknown) => {
      throw new SsoCallbackError(502, `token endpoint unreachable: ${String(cause)}`);
    });
    if (answer.status !== 200) throw new SsoCallbackError(502, `token endpoint answered ${answer.status}`);
    const tokens: unknown = JSON.parse(answer.body);
    const idToken = (tokens as { id_token?: unknown }).id_token;
    if (typeof idToken !== 'string') throw new SsoCallbackError(502, 'token response has no ID token');

    // The token came straight from the token endpoint over a connection the site opened, so its
    // claims are checked without verifying the signature (OpenID Connect Core 1.0, 3.1.3.7 item 6).
    const claims = decodeJwtPayload(idToken);
    const audience = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if (claims['iss'] !== this.#idp.issuer) throw new SsoCallbackError(502, 'ID token issuer mismatch');
    if (!audience.includes(this.clientId)) throw new SsoCallbackError(502, 'ID token audience mismatch');
    if (claims['nonce'] !== login.nonce) throw new SsoCallbackError(400, 'ID token nonce mismatch');
    const sub = claims['sub'];
    if (typeof sub !== 'string' || sub === '') throw new SsoCallbackError(502, 'ID token has no subject');
    return { login: sub, returnTo: login.returnTo };
  }
}
