import { profileDefaults, type LoginProfile, type TokenExchange } from '../common/profile.ts';
import { failLogin } from './login-step-error.ts';

/** An oidc-mode profile with its defaults filled in. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  exchange: TokenExchange | null;
  userClaims: readonly string[];
}

/** The oidc settings of a profile; a profile without issuer, client id or redirect URI ends the login `incomplete`. */
export function oidcSettings(profile: LoginProfile): OidcSettings {
  const { issuer, clientId, redirectUri } = profile;
  // profileFromPreset refuses such a profile; this catches one stored before that check existed.
  if (issuer === undefined || clientId === undefined || redirectUri === undefined) {
    failLogin({ ending: 'incomplete', reason: "The site's profile lacks the issuer, client id or redirect URI that oidc mode needs." });
  }
  return {
    issuer,
    clientId,
    redirectUri,
    scopes: profile.scopes ?? profileDefaults.scopes,
    exchange: profile.exchange ?? null,
    userClaims: profile.userClaims ?? profileDefaults.oidcUserClaims,
  };
}
