import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: for `state`, `nonce` and the PKCE verifier. */
export function randomUrlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A PKCE pair (RFC 7636): the verifier stays with Latchkey, the S256 challenge goes in the authorization request. */
export function newPkce(): { verifier: string; challenge: string } {
  // 32 bytes give the 43-character verifier that section 4.1 recommends.
  const verifier = randomUrlToken();
  return { verifier, challenge: createHash('sha256').update(verifier, 'ascii').digest('base64url') };
}
