import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { failLogin } from './login-step-error.ts';

/** What an ID token must show to be this login's (OpenID Connect Core 1.0, section 3.1.3.7). */
export interface IdTokenExpectations {
  keys: JSONWebKeySet;
  issuer: string;
  clientId: string;
  /** The nonce this login sent; null for a token from a refresh, which carries none of its own (section 12.2). */
  nonce: string | null;
  /** Epoch milliseconds. */
  now: number;
}

// Signatures by the provider's published keys only: `none` and the HMAC algorithms (keyed with a
// client secret, which a public client does not have) are refused.
const acceptedAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
// Clocks of the provider and this machine may differ a little.
const clockToleranceSeconds = 60;

function problemOf(error: unknown): string {
  if (!(error instanceof errors.JOSEError)) return 'The ID token could not be checked.';
  switch (error.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return "The ID token's signature does not verify with the identity provider's keys.";
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'The ID token is not signed by a key the identity provider publishes.';
    case 'ERR_JWT_EXPIRED':
      return 'The ID token has expired.';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The ID token is signed with an algorithm Latchkey does not accept.';
    case 'ERR_JWKS_INVALID':
      return "The identity provider's key set is not valid.";
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as errors.JWTClaimValidationFailed).claim;
      if (claim === 'iss') return 'The ID token was issued by another issuer than the site trusts (iss).';
      if (claim === 'aud') return 'The ID token is meant for another client (aud).';
      return `The ID token's ${JSON.stringify(claim)} claim is not valid.`;
    }
    default:
      return 'The ID token is not a valid signed JWT.';
  }
}

/**
 * Verifies an ID token with jose against the provider's key set: signature, issuer, audience,
 * expiry, authorized party and nonce. Any fault ends the login `incomplete` with the reason.
 */
export async function verifyIdToken(idToken: string, expected: IdTokenExpectations): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, createLocalJWKSet(expected.keys), {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: acceptedAlgorithms,
      currentDate: new Date(expected.now),
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (error) {
    failLogin({ ending: 'incomplete', reason: problemOf(error) });
  }
  // Items 4 and 5: with several audiences the authorized party must be this client, and any
  // authorized party given must be.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload['azp'] !== undefined) && payload['azp'] !== expected.clientId) {
    failLogin({ ending: 'incomplete', reason: 'The ID token was issued to another client (azp).' });
  }
  // Item 11: the nonce binds the token to this login; a token from an earlier login (a replay)
  // carries that login's nonce.
  if (expected.nonce !== null && payload['nonce'] !== expected.nonce) {
    failLogin({ ending: 'incomplete', reason: "The ID token's nonce is not the one this login sent (a replayed or foreign token)." });
  }
  return payload;
}
