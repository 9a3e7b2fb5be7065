import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** Fresh key material for one run of the lab's identity provider. */
export interface IdpKeys {
  /** The private signing key set oidc-provider's `jwks` setting takes. */
  jwks: { keys: JWK[] };
  /** Keys that sign the provider's cookies (its `cookies.keys` setting). */
  cookieKeys: string[];
}

/**
 * Makes new keys on every start: nothing signed by the lab outlives it, and oidc-provider is not
 * left on its built-in development keys (which it warns about, rightly: they are public).
 */
export async function generateIdpKeys(): Promise<IdpKeys> {
  // RS256 because it is the default ID token algorithm of an OpenID client (OpenID Connect
  // Dynamic Client Registration 1.0, section 2), so the lab's client needs no extra metadata.
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return {
    jwks: { keys: [{ ...jwk, kid: `lab-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' }] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}
