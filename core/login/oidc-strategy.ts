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
import { requestDeviceCode } from './oidc-device.ts';
import { pollDeviceCode, redeemCode, redeemRefreshToken, type TokenSet } from './oidc-tokens.ts';
import { listenForRedirect } from './loopback-redirect.ts';
import { pause, untilSettled } from './login-wait.ts';
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

/** One authorization request (PKCE with S256, `state`, `nonce`) and what its answer must match. */
interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

function authorizationRequest(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata, redirectUri: string, state = randomUrlToken()): AuthorizationRequest {
  const nonce = randomUrlToken();
  const pkce = newPkce();
  const start = new URL(provider.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri,
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
  return { url: start.href, state, nonce, verifier: pkce.verifier };
}

/** Redeems the code of an authorization response that reached `redirectUri`, checks the ID token, and builds the session. */
async function finishAuthorization(
  context: LoginContext,
  settings: OidcSettings,
  provider: ProviderMetadata,
  request: AuthorizationRequest,
  response: { url: string; redirectUri: string },
): Promise<LoginResult> {
  const code = readAuthorizationResponse(response.url, { state: request.state, issuer: provider.issuer, interactive: context.interactive });
  const tokens = await redeemCode(provider, { ...settings, redirectUri: response.redirectUri }, code, request.verifier, context);
  return sessionFromTokens(context, settings, provider, tokens, request.nonce);
}

async function sessionFromTokens(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata, tokens: TokenSet, nonce: string | null): Promise<LoginResult> {
  if (tokens.idToken === null) failLogin({ ending: 'incomplete', reason: 'The token endpoint answered without an ID token (is "openid" among the scopes?).' });
  const keys = await fetchProviderKeys(provider, context);
  const claims = await verifyIdToken(tokens.idToken, { keys, issuer: provider.issuer, clientId: settings.clientId, nonce, now: context.clock.now() });
  return { ending: 'ok', session: await oidcSession(context, settings, tokens, claims, null) };
}

/**
 * The window part of an oidc login, ended by the first sign of the redirect URI. That URI never
 * needs to load: the code is read from the hop that points at it, so nothing listening there (or
 * nothing at all) matters, and a code that did reach a listener is useless without the verifier.
 */
export function oidcWindowStrategy(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata): LoginStrategy {
  const request = authorizationRequest(context, settings, provider, settings.redirectUri);
  return {
    startUrl: request.url,
    goal: safeUrl(settings.redirectUri),
    staleCookies: [],
    endOf: (event) => {
      const to = destination(event);
      return to !== null && isAtEndpoint(to.url, settings.redirectUri) ? to : null;
    },
    // The provider shows a refused authorization request (an unknown client, a redirect URI it
    // does not know) as an error page at the authorization endpoint itself.
    failsOnClientError: (url) => sameOrigin(url, context.site.url) || isAtEndpoint(url, provider.authorizationEndpoint),
    finish: (end) => finishAuthorization(context, settings, provider, request, { url: end.url, redirectUri: settings.redirectUri }),
  };
}

/**
 * An oidc login in the person's own browser (RFC 8252): the authorization request opened there,
 * its answer caught by a one-shot listener on a loopback port. The same checks and token calls as
 * in the window follow.
 */
async function loginInSystemBrowser(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata): Promise<LoginResult> {
  // The state is made before the listener, which must know it; the request is then built for the listener's own port.
  const state = randomUrlToken();
  const listener = await listenForRedirect({ redirectUri: settings.redirectUri, state, logger: context.logger });
  try {
    const request = authorizationRequest(context, settings, provider, listener.redirectUri, state);
    await context.present({ url: request.url, userCode: null, expiresAt: null }, { open: true });
    const reached = await untilSettled(listener.callback, context, 'the sign-in in your browser');
    return await finishAuthorization(context, settings, provider, request, { url: reached, redirectUri: listener.redirectUri });
  } finally {
    await listener.close();
  }
}

/**
 * An oidc login with a device code (RFC 8628): the person opens the provider's page on any device
 * and types the code; Latchkey polls the token endpoint at the provider's interval until they
 * approve, decline, or the code expires.
 */
async function loginWithDeviceCode(context: LoginContext, settings: OidcSettings, provider: ProviderMetadata): Promise<LoginResult> {
  const endpoint = provider.deviceAuthorizationEndpoint;
  if (endpoint === null) failLogin({ ending: 'incomplete', reason: "The identity provider's metadata offers no device login (device_authorization_endpoint)." });
  const grant = await requestDeviceCode(endpoint, settings, context);
  await context.present({ url: grant.verificationUri, userCode: grant.userCode, expiresAt: grant.expiresAt }, { open: false });
  let intervalMs = grant.intervalMs;
  for (;;) {
    await pause(intervalMs, context, 'the device code to be approved');
    const poll = await pollDeviceCode(provider, settings, grant.deviceCode, context);
    if ('tokens' in poll) return sessionFromTokens(context, settings, provider, poll.tokens, null);
    switch (poll.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        // RFC 8628 section 3.5: this and every later poll waits 5 s longer.
        intervalMs += 5_000;
        continue;
      case 'access_denied':
        failLogin({ ending: 'cancelled', reason: 'The login was declined on the identity provider\'s page.' });
      case 'expired_token':
        failLogin({ ending: 'timeout', reason: 'The device code expired before the login was approved.' });
    }
  }
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
  switch (context.browser) {
    case 'embedded':
      return { strategy: oidcWindowStrategy(context, settings, provider) };
    case 'system':
    case 'device':
      // The person's own browser holds the provider's cookies, not a window of ours: without a
      // refresh token, only the person can log in again.
      if (!context.interactive) failLogin({ ending: 'incomplete', needsPerson: true, reason: 'Renewing this session needs you: it logs in outside Latchkey\'s window.' });
      return { result: await (context.browser === 'system' ? loginInSystemBrowser : loginWithDeviceCode)(context, settings, provider) };
  }
}
