import type { JWTPayload } from 'jose';
import type { Session } from '../sessions/session.ts';
import { userFromClaims } from './jwt-claims.ts';
import type { LoginContext } from './login-strategy.ts';
import { failLogin } from './login-step-error.ts';
import type { OidcSettings } from './oidc-settings.ts';
import type { TokenSet } from './oidc-tokens.ts';
import { exchangeIdToken } from './token-exchange.ts';

/**
 * The session of an oidc login from verified tokens: the site's API token when the profile
 * exchanges the ID token, else the access token, as a bearer credential. `claims` are the verified
 * ID token's (null when a refresh gave none); `previous` is the session a refresh renews.
 */
export async function oidcSession(
  context: LoginContext,
  settings: OidcSettings,
  tokens: TokenSet,
  claims: JWTPayload | null,
  previous: Session | null,
): Promise<Session> {
  let credential: { value: string; expiresIn: number | null };
  if (settings.exchange !== null) {
    if (tokens.idToken === null) failLogin({ ending: 'incomplete', reason: 'The identity provider gave no ID token to exchange at the site.' });
    const apiToken = await exchangeIdToken(context.site, settings.exchange, tokens.idToken, context);
    credential = { value: apiToken.token, expiresIn: apiToken.expiresIn };
  } else {
    credential = { value: tokens.accessToken, expiresIn: tokens.expiresIn };
  }
  // Lifetimes count from the answer that gave the credential, which has just arrived.
  const now = context.clock.now();
  const user = (claims === null ? null : userFromClaims(claims, settings.userClaims)) ?? previous?.user ?? null;
  // A provider that rotates refresh tokens sends a new one; one that does not keeps the old valid.
  const refreshToken = tokens.refreshToken ?? previous?.refreshToken ?? null;
  const idToken = tokens.idToken ?? previous?.idToken ?? null;
  return {
    siteId: context.site.id,
    siteUrl: context.site.url,
    user,
    credential: { kind: 'bearer', name: 'Authorization', value: credential.value },
    cookies: [],
    obtainedAt: now,
    expiresAt: credential.expiresIn === null ? null : now + Math.round(credential.expiresIn * 1000),
    ...(refreshToken === null ? {} : { refreshToken }),
    ...(idToken === null ? {} : { idToken }),
  };
}
