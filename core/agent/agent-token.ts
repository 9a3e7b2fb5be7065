import { randomBytes, timingSafeEqual } from 'node:crypto';
import { registerSecret } from '../secrets.ts';

/** Bytes of randomness in an agent token (docs/ARCHITECTURE.md, "The agent API": 256 random bits). */
const tokenBytes = 32;

/** A fresh agent token: 256 random bits, base64url; registered so no log line can carry it. */
export function createAgentToken(): string {
  const token = randomBytes(tokenBytes).toString('base64url');
  registerSecret(token);
  return token;
}

// The expected token's bytes, made once per token rather than on every request.
const tokenBytesOf = new Map<string, Buffer>();

/**
 * True when `presented` is the token, compared in constant time. A presented value of another
 * length is refused at once: that tells a caller only that every agent token is 43 characters
 * (256 bits in base64url, written in docs/ARCHITECTURE.md), nothing about this one. No hashing: this runs
 * on every request.
 */
export function tokenMatches(expected: string, presented: string): boolean {
  if (presented.length !== expected.length) return false;
  let expectedBytes = tokenBytesOf.get(expected);
  if (expectedBytes === undefined) {
    if (tokenBytesOf.size > 16) tokenBytesOf.clear();
    expectedBytes = Buffer.from(expected, 'utf8');
    tokenBytesOf.set(expected, expectedBytes);
  }
  const presentedBytes = Buffer.from(presented, 'utf8');
  return presentedBytes.length === expectedBytes.length && timingSafeEqual(expectedBytes, presentedBytes);
}

// RFC 6750 section 2.1: `Bearer` (the scheme is case-insensitive, RFC 9110 section 11.1) then the
// token. Our tokens are base64url, a subset of b64token.
const bearerPattern = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an `Authorization: Bearer …` header value, or null when the value has another form. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  return bearerPattern.exec(header)?.[1] ?? null;
}
