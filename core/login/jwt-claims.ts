import type { JWTPayload } from 'jose';

/** The first of `names` that is a non-empty string claim, or null: the user a JWT names. */
export function userFromClaims(claims: JWTPayload, names: readonly string[]): string | null {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

/** The JWT's `exp` in epoch milliseconds, or null when it has none (RFC 7519 section 4.1.4: seconds, maybe fractional). */
export function expiryFromClaims(claims: JWTPayload): number | null {
  const exp = claims.exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? Math.round(exp * 1000) : null;
}
