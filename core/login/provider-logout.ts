import { clockDeadline, type Clock, type Timer } from '../clock.ts';
import type { LogoutStep } from '../common/views.ts';
import type { Logger } from '../log.ts';
import type { HttpPort } from '../net/engine-http.ts';
import { siteProxy } from '../net/proxy-config.ts';
import type { Session } from '../sessions/session.ts';
import type { Site } from '../sites/site.ts';
import { isAtEndpoint } from './endpoint-match.ts';
import type { LoginContext } from './login-strategy.ts';
import { LoginStepError } from './login-step-error.ts';
import type { LoginWindowEvent, LoginWindowFactory } from './login-window.ts';
import { discoverProvider, type ProviderMetadata } from './oidc-discovery.ts';
import { callJson, oauthErrorCode } from './oidc-http.ts';
import { oidcSettings, type OidcSettings } from './oidc-settings.ts';
import { safeUrl } from './safe-url.ts';

/** What a logout at the provider needs from the engine. */
export interface ProviderLogoutDeps {
  clock: Clock;
  logger: Logger;
  http: HttpPort;
}

// A logout must not hang on a provider that does not answer: the local session goes anyway.
const logoutTimeoutMs = 15_000;
// With no registered page to come back to, the provider's own "signed out" page is the end once
// nothing moves for this long.
const settleMs = 2_000;

/** A context for the provider's back channel, bounded by the logout's own deadline. */
function backChannel(site: Site, deps: ProviderLogoutDeps): { context: LoginContext; done(): void } {
  const deadline = clockDeadline(deps.clock, logoutTimeoutMs, 'logout deadline');
  const context: LoginContext = {
    site,
    interactive: false,
    clock: deps.clock,
    logger: deps.logger,
    http: deps.http,
    signal: deadline.signal,
    cancel: new AbortController().signal,
    storedSession: null,
    browser: 'embedded',
    present: () => Promise.resolve(),
  };
  return { context, done: () => deadline.cancel() };
}

async function provider(site: Site, deps: ProviderLogoutDeps): Promise<{ settings: OidcSettings; metadata: ProviderMetadata; done(): void; context: LoginContext }> {
  const channel = backChannel(site, deps);
  try {
    const settings = oidcSettings(site.profile);
    return { settings, metadata: await discoverProvider(settings.issuer, channel.context), ...channel };
  } catch (error) {
    channel.done();
    throw error;
  }
}

function failed(step: LogoutStep['step'], error: unknown): LogoutStep {
  if (error instanceof LoginStepError) return { step, ok: false, detail: error.failure.reason };
  throw error;
}

/**
 * Revokes the session's tokens at the provider (RFC 7009): the refresh token, and the access
 * token when it is the credential (no exchange at the site). Null when the session holds no
 * provider token. A revocation that fails is a step not done, never a reason to keep the session.
 */
export async function revokeTokens(site: Site, session: Session, deps: ProviderLogoutDeps): Promise<LogoutStep | null> {
  if (site.profile.mode !== 'oidc') return null;
  const tokens: Array<{ token: string; hint: 'refresh_token' | 'access_token' }> = [];
  if (session.refreshToken !== undefined) tokens.push({ token: session.refreshToken, hint: 'refresh_token' });
  if ((site.profile.exchange ?? null) === null && session.credential.kind === 'bearer') tokens.push({ token: session.credential.value, hint: 'access_token' });
  if (tokens.length === 0) return null;
  let found;
  try {
    found = await provider(site, deps);
  } catch (error) {
    return failed('token_revocation', error);
  }
  try {
    const endpoint = found.metadata.revocationEndpoint;
    if (endpoint === null) return { step: 'token_revocation', ok: false, detail: 'The identity provider offers no token revocation (revocation_endpoint).' };
    for (const { token, hint } of tokens) {
      const form = new URLSearchParams({ token, token_type_hint: hint, client_id: found.settings.clientId });
      const answer = await callJson(endpoint, { method: 'POST', form }, found.context, 'The revocation endpoint');
      // RFC 7009 section 2.2: 200, also for a token the provider no longer knows.
      if (answer.status !== 200) {
        const code = oauthErrorCode(answer.body);
        return { step: 'token_revocation', ok: false, detail: `The revocation endpoint answered HTTP ${answer.status}${code === null ? '' : ` (${code})`}.` };
      }
    }
    return { step: 'token_revocation', ok: true, detail: tokens.length === 1 ? 'The refresh token was revoked.' : 'The refresh and access tokens were revoked.' };
  } catch (error) {
    return failed('token_revocation', error);
  } finally {
    found.done();
  }
}

/**
 * Ends Latchkey's session at the identity provider (OpenID Connect RP-Initiated Logout 1.0): a
 * hidden window with the site's login profile, which holds the provider's session cookie, opens
 * the end-session endpoint with the ID token as hint. The provider comes back to the first
 * `logoutRedirectUris` entry when the profile registers one (the window catches it, as it does a
 * login's redirect URI), else its own "signed out" page is the end. Null for a site whose login
 * has no provider session in Latchkey's profile.
 */
export async function endProviderSession(site: Site, session: Session, deps: ProviderLogoutDeps & { windows: LoginWindowFactory }): Promise<LogoutStep | null> {
  if (site.profile.mode !== 'oidc' || (site.profile.browser ?? 'embedded') !== 'embedded') return null;
  let found;
  try {
    found = await provider(site, deps);
  } catch (error) {
    return failed('provider_session', error);
  }
  try {
    const endpoint = found.metadata.endSessionEndpoint;
    if (endpoint === null) return { step: 'provider_session', ok: false, detail: 'The identity provider offers no logout (end_session_endpoint).' };
    const start = new URL(endpoint);
    if (session.idToken !== undefined) start.searchParams.set('id_token_hint', session.idToken);
    start.searchParams.set('client_id', found.settings.clientId);
    const comeBack = site.profile.logoutRedirectUris?.[0] ?? null;
    if (comeBack !== null) start.searchParams.set('post_logout_redirect_uri', comeBack);
    const proxy = siteProxy(site.profile);
    const window = await deps.windows.open({ profileId: site.id, visible: false, title: `Log out of ${site.name}`, ...(proxy === undefined ? {} : { proxy }) });
    try {
      return await followLogout(window, start.href, comeBack, endpoint, found.context, deps.clock);
    } finally {
      await window.close();
    }
  } catch (error) {
    return failed('provider_session', error);
  } finally {
    found.done();
  }
}

function followLogout(
  window: Awaited<ReturnType<LoginWindowFactory['open']>>,
  url: string,
  comeBack: string | null,
  endpoint: string,
  context: LoginContext,
  clock: Clock,
): Promise<LogoutStep> {
  return new Promise<LogoutStep>((resolve) => {
    let settle: Timer | undefined;
    let lastStatus: number | null = null;
    const end = (step: LogoutStep): void => {
      settle?.cancel();
      unsubscribe();
      context.signal.removeEventListener('abort', onDeadline);
      resolve(step);
    };
    const ended: LogoutStep = { step: 'provider_session', ok: true, detail: "Latchkey's session at the identity provider was ended." };
    const onDeadline = (): void => end({ step: 'provider_session', ok: false, detail: 'The identity provider did not finish the logout in time.' });
    const onEvent = (event: LoginWindowEvent): void => {
      const to = event.kind === 'redirected' ? event.to : event.kind === 'committed' || event.kind === 'failed' ? event.url : null;
      if (comeBack !== null && to !== null && isAtEndpoint(to, comeBack)) return end(ended);
      switch (event.kind) {
        case 'committed':
          settle?.cancel();
          lastStatus = event.status;
          if (event.status !== null && event.status >= 400) end({ step: 'provider_session', ok: false, detail: `${safeUrl(event.url)} answered HTTP ${event.status}.` });
          return;
        case 'loaded':
          settle?.cancel();
          // Still on the endpoint's own page: it may be asking the person to confirm.
          settle = clock.setTimer(settleMs, () => end(isAtEndpoint(event.url, endpoint) && lastStatus !== null ? { step: 'provider_session', ok: false, detail: 'The identity provider asks a person to confirm the logout.' } : ended), 'logout settle');
          return;
        case 'failed':
          if (event.failure !== 'aborted') end({ step: 'provider_session', ok: false, detail: `${safeUrl(event.url)} could not be reached (${event.detail}).` });
          return;
        case 'closed':
          end({ step: 'provider_session', ok: false, detail: 'The logout window went away.' });
          return;
        case 'redirected':
          return;
      }
    };
    const unsubscribe = window.onEvent(onEvent);
    if (context.signal.aborted) return onDeadline();
    context.signal.addEventListener('abort', onDeadline, { once: true });
    window.navigate(url).catch(() => end({ step: 'provider_session', ok: false, detail: `${safeUrl(url)} could not be opened.` }));
  });
}
