import type { Session } from '../sessions/session.ts';
import { isAtEndpoint } from './endpoint-match.ts';
import { verifyIdToken } from './id-token.ts';
import { sameOrigin } from './landing.ts';
import type { LoginResult } from './login-result.ts';
import { LoginStepError, failLogin } from './login-step-error.ts';
import type { LoginContext, LoginPlan, LoginStrategy } from './login-strategy.ts';
import type { LoginWindowEvent } from './login-window.ts';
import { readAuthorizationResponse } from './oidc-callback.ts';
import { discoverProvider, fetchProviderKeys, type ProviderMetadata } from './oidc-discovery.ts';
import { oidcSession } from './oidc-session.ts';
import { oidcSettings, type OidcSettings } from './oidc-settings.ts';
import { redeemCode, redeemRefreshToken } from './oidc-tokens.ts';
import { newPkce, randomUrlToken } from './pkce.ts';
import { safeUrl } from './safe-url.ts';

/** The URL an event shows the window going to: a redirect hop's target, a committed page, a failed navigation. */
function destination(event: LoginWindowEvent): { url: string; status: number | null } | null {
  switch (event.kind) {
    case 'redirected':
      return { url: event.to, status: null };
    case 'committed':
      return { url: event.url, status: event.status };
    case 'failed':
      return { url: event.url, status: null };
    default:
      return null;
  }
}

/**
 * The window part of an oidc login: an authorization request with PKCE (S256), `state` and
 * `nonce`, ended by the first sign of the redirect URI. That URI never needs to load: the code is
 * read from the hop that points at it, so nothing listening there (or nothing at all) matters, and
 * a code that did reach a listener is useless without the verifier.
 */
export function oidcWindowStrategy(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata): LoginStrategy {
  const state = randomUrlToken();
  const nonce = randomUrlToken();
  const pkce = newPkce();
  const start = new URL(provider.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: settings.scopes.join(' '),
    state,
    nonce,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) start.searchParams.set(name, value);
  // Silent renewal must not stop at a form in a hidden window: the provider answers at once,
  // with a code or with `login_required` (OpenID Connect Core 1.0, section 3.1.2.1).
  if (!context.interactive) start.searchParams.set('prompt', 'none');

  return {
    startUrl: start.href,
    goal: safeUrl(settings.redirectUri),
    staleCookies: [],
    endOf: (event) => {
      const to = destination(event);
      return to !== null && isAtEndpoint(to.url, settings.redirectUri) ? to : null;
    },
    // The provider shows a refused authorization request (an unknown client, a redirect URI it
    // does not know) as an error page at the authorization endpoint itself.
    failsOnClientError: (url) => sameOrigin(url, context.site.url) || isAtEndpoint(url, provider.authorizationEndpoint),
    finish: async (end): Promise<LoginResult> => {
      const code = readAuthorizationResponse(end.url, { state, issuer: provider.issuer, interactive: context.interactive });
      const tokens = await redeemCode(provider, settings, code, pkce.verifier, context);
      if (tokens.idToken === null) failLogin({ ending: 'incomplete', reason: 'The token endpoint answered without an ID token (is "openid" among the scopes?).' });
      const keys = await fetchProviderKeys(provider, context);
      const claims = await verifyIdToken(tokens.idToken, { keys, issuer: provider.issuer, clientId: settings.clientId, nonce, now: context.clock.now() });
      return { ending: 'ok', session: await oidcSession(context, settings, tokens, claims, null) };
    },
  };
}

/** Renews a session from its refresh token on the back channel: no window, no person. */
async function refreshSession(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata, stored: Session & { refreshToken: string }): Promise<Session> {
  const tokens = await redeemRefreshToken(provider, settings, stored.refreshToken, context);
  let claims = null;
  if (tokens.idToken !== null) {
    const keys = await fetchProviderKeys(provider, context);
    claims = await verifyIdToken(tokens.idToken, { keys, issuer: provider.issuer, clientId: settings.clientId, nonce: null, now: context.clock.now() });
  }
  return oidcSession(context, settings, tokens, claims, stored);
}

function hasRefreshToken(session: Session | null, context: LoginContext): session is Session & { refreshToken: string } {
  return session !== null && session.siteId === context.site.id && session.siteUrl === context.site.url && typeof session.refreshToken === 'string';
}

/**
 * Plans an oidc login (CloudShell API SSO): reads the provider's metadata, then renews silently
 * from a stored refresh token when it can, else logs in through the window.
 */
export async function planOidcLogin(context: LoginContext): Promise<LoginPlan> {
  const settings = oidcSettings(context.site.profile);
  const provider = await discoverProvider(settings.issuer, context);
  const stored = context.storedSession;
  if (!context.interactive && hasRefreshToken(stored, context)) {
    try {
      return { result: { ending: 'ok', session: await refreshSession(context, settings, provider, stored) } };
    } catch (error) {
      if (!(error instanceof LoginStepError)) throw error;
      // A refused or expired refresh token is normal; the hidden window may still log in from the provider's cookies.
      context.logger.info('refresh token did not renew the session; trying the window', { ending: error.failure.ending, reason: error.failure.reason });
    }
  }
  return { strategy: oidcWindowStrategy(context, settings, provider) };
}
