import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { registerSecret } from '../log.ts';

/** Bytes of randomness in an agent token (DESIGN.md section 5: 256 random bits). */
const tokenBytes = 32;

/** A fresh agent token: 256 random bits, base64url; registered so no log line can carry it. */
export function createAgentToken(): string {
  const token = randomBytes(tokenBytes).toString('base64url');
  registerSecret(token);
  return token;
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

// The expected token's digest is computed once per token, not on every request.
const expectedDigests = new Map<string, Buffer>();

/**
 * True when `presented` is the token. Both sides are hashed first, so the comparison runs over
 * equal-length buffers and its time says nothing about the token's length or any prefix of it.
 */
export function tokenMatches(expected: string, presented: string): boolean {
  let expectedDigest = expectedDigests.get(expected);
  if (expectedDigest === undefined) {
    if (expectedDigests.size > 16) expectedDigests.clear();
    expectedDigest = digest(expected);
    expectedDigests.set(expected, expectedDigest);
  }
  return timingSafeEqual(expectedDigest, digest(presented));
}

// RFC 6750 section 2.1: `Bearer` (the scheme is case-insensitive, RFC 9110 section 11.1) then the
// token. Our tokens are base64url, a subset of b64token.
const bearerPattern = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an `Authorization: Bearer …` header value, or null when the value has another form. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  return bearerPattern.exec(header)?.[1] ?? null;
}
