import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { recordIssuedSecret } from './secret-record.ts';

/**
 * How the lab's man in the middle spoils the next ID tokens the token endpoint hands out, so that
 * a relying party's checks are tried against real tokens:
 * - `wrong_key`: re-signed with another key under the provider's own key id (the signature fails).
 * - `wrong_issuer`, `wrong_audience`: re-signed by the provider's key with `iss` or `aud` changed.
 * - `expired`: re-signed by the provider's key, expired an hour ago.
 * - `replayed`: the ID token of the previous token response instead (it carries that login's nonce).
 */
export type IdTokenTamper = 'wrong_key' | 'wrong_issuer' | 'wrong_audience' | 'expired' | 'replayed';

/** Every ID token tamper, for menus and for checking input. */
export const idTokenTampers: readonly IdTokenTamper[] = ['wrong_key', 'wrong_issuer', 'wrong_audience', 'expired', 'replayed'];

/**
 * How it spoils authorization responses that redirect to a relying party (query response mode):
 * - `drop_code`: the `code` parameter is removed.
 * - `wrong_state`: `state` is replaced by another value.
 * - `access_denied`: the answer becomes `error=access_denied` (as when a person or policy refuses).
 */
export type AuthorizationTamper = 'drop_code' | 'wrong_state' | 'access_denied';

/** Every authorization tamper, for menus and for checking input. */
export const authorizationTampers: readonly AuthorizationTamper[] = ['drop_code', 'wrong_state', 'access_denied'];

/** The tamper switches and what they need, read on every response. */
export interface TamperState {
  idToken: IdTokenTamper | null;
  authorization: AuthorizationTamper | null;
}

/** Spoils token and authorization responses of the lab's identity provider as `state` says. */
export class IdpTamperer {
  readonly state: TamperState = { idToken: null, authorization: null };
  readonly #issuerOrigin: string;
  readonly #signingJwk: JWK;
  #signingKey: CryptoKey | undefined;
  #rogueKey: CryptoKey | undefined;
  #previousIdToken: string | null = null;

  constructor(issuer: string, signingJwk: JWK) {
    this.#issuerOrigin = new URL(issuer).origin;
    this.#signingJwk = signingJwk;
  }

  /**
   * Buffers the token endpoint's JSON answer (oidc-provider, through Koa, sends it with one
   * `res.end(body)` before which no header has gone out), records its tokens, and spoils its ID
   * token when asked.
   */
  interceptTokenResponse(res: ServerResponse): void {
    const end = res.end.bind(res) as (body?: string) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      this.#rewriteTokens(text).then(
        (body) => {
          if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(body));
          end(body);
        },
        (error: unknown) => {
          if (!res.headersSent) {
            res.statusCode = 500;
            res.setHeader('content-length', Buffer.byteLength('{"error":"server_error"}'));
          }
          console.error('lab idp: tampering failed', error instanceof Error ? error.message : error);
          end('{"error":"server_error"}');
        },
      );
      return res;
    }) as typeof res.end;
  }

  /** Spoils the `Location` of an authorization response on its way to a relying party, and records its code. */
  interceptAuthorizationRedirect(res: ServerResponse): void {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() !== 'location' || typeof value !== 'string') return setHeader(name, value);
      return setHeader(name, this.#rewriteLocation(value));
    }) as typeof res.setHeader;
  }

  #rewriteLocation(location: string): string {
    const url = URL.parse(location);
    if (url === null || url.origin === this.#issuerOrigin || !url.searchParams.has('state')) return location;
    const code = url.searchParams.get('code');
    if (code !== null) recordIssuedSecret(code);
    switch (this.state.authorization) {
      case null:
        return location;
      case 'drop_code':
        url.searchParams.delete('code');
        break;
      case 'wrong_state':
        url.searchParams.set('state', randomBytes(16).toString('base64url'));
        break;
      case 'access_denied':
        url.searchParams.delete('code');
        url.searchParams.set('error', 'access_denied');
        url.searchParams.set('error_description', 'The lab refused this sign-in.');
        break;
    }
    return url.href;
  }

  async #rewriteTokens(text: string): Promise<string> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return text;
    }
    for (const field of ['access_token', 'refresh_token', 'id_token']) {
      const value = body[field];
      if (typeof value === 'string') recordIssuedSecret(value);
    }
    const idToken = body['id_token'];
    if (typeof idToken !== 'string') return text;
    const previous = this.#previousIdToken;
    this.#previousIdToken = idToken;
    const tamper = this.state.idToken;
    if (tamper === null) return text;
    if (tamper === 'replayed') {
      if (previous === null) throw new Error('no earlier ID token to replay: log in once before replaying');
      return JSON.stringify({ ...body, id_token: previous });
    }
    const spoiled = await this.#resign(idToken, tamper);
    recordIssuedSecret(spoiled);
    return JSON.stringify({ ...body, id_token: spoiled });
  }

  async #resign(idToken: string, tamper: Exclude<IdTokenTamper, 'replayed'>): Promise<string> {
    const header = decodeProtectedHeader(idToken);
    const claims = decodeJwt(idToken);
    const now = Math.floor(Date.now() / 1000);
    if (tamper === 'wrong_issuer') claims.iss = 'http://rogue-idp.localhost';
    if (tamper === 'wrong_audience') {
      claims.aud = 'some-other-client';
      delete claims['azp'];
    }
    if (tamper === 'expired') {
      claims.iat = now - 7200;
      claims.exp = now - 3600;
    }
    this.#signingKey ??= (await importJWK(this.#signingJwk, 'RS256')) as CryptoKey;
    this.#rogueKey ??= (await generateKeyPair('RS256', { modulusLength: 2048 })).privateKey;
    const key = tamper === 'wrong_key' ? this.#rogueKey : this.#signingKey;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...(header.kid === undefined ? {} : { kid: header.kid }), ...(header.typ === undefined ? {} : { typ: header.typ }) }).sign(key);
  }
}
