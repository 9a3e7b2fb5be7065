import { clockDeadline, type Clock, type Timer } from '../clock.ts';
import { loginBrowser } from '../common/profile.ts';
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

function failed(step: LogoutStep['step'], error: unknown): LogoutStep {
  if (error instanceof LoginStepError) return { step, ok: false, detail: error.failure.reason };
  throw error;
}

/** The provider tokens a logout revokes: the refresh token, and the access token when it is the credential (no exchange at the site). */
function revocableTokens(site: Site, session: Session): Array<{ token: string; hint: 'refresh_token' | 'access_token' }> {
  const tokens: Array<{ token: string; hint: 'refresh_token' | 'access_token' }> = [];
  if (session.refreshToken !== undefined) tokens.push({ token: session.refreshToken, hint: 'refresh_token' });
  if ((site.profile.exchange ?? null) === null && session.credential.kind === 'bearer') tokens.push({ token: session.credential.value, hint: 'access_token' });
  return tokens;
}

/**
 * Ends what an oidc site's session holds at its identity provider, the provider's metadata read
 * once for both: with `everywhere`, Latchkey's own session there (a site whose login runs in
 * Latchkey's window: its profile holds that session), then the tokens (RFC 7009). No step for a
 * site of another mode, or with nothing to end. A step that fails is reported, never a reason to
 * keep the local session.
 */
export async function logoutAtProvider(site: Site, session: Session, deps: ProviderLogoutDeps & { windows: LoginWindowFactory }, options: { everywhere: boolean }): Promise<LogoutStep[]> {
  if (site.profile.mode !== 'oidc') return [];
  const tokens = revocableTokens(site, session);
  const planned: Array<LogoutStep['step']> = [];
  if (options.everywhere && loginBrowser(site.profile) === 'embedded') planned.push('provider_session');
  if (tokens.length > 0) planned.push('token_revocation');
  if (planned.length === 0) return [];
  const { context, done } = backChannel(site, deps);
  try {
    let settings: OidcSettings;
    let metadata: ProviderMetadata;
    try {
      settings = oidcSettings(site.profile);
      metadata = await discoverProvider(settings.issuer, context);
    } catch (error) {
      // Without the provider's metadata no step can be tried: each says why.
      return planned.map((step) => failed(step, error));
    }
    const steps: LogoutStep[] = [];
    for (const step of planned) {
      try {
        steps.push(step === 'provider_session' ? await endProviderSession(site, session, settings, metadata, context, deps) : await revokeTokens(tokens, settings, metadata, context));
      } catch (error) {
        steps.push(failed(step, error));
      }
    }
    return steps;
  } finally {
    done();
  }
}

async function revokeTokens(tokens: ReturnType<typeof revocableTokens>, settings: OidcSettings, metadata: ProviderMetadata, context: LoginContext): Promise<LogoutStep> {
  const endpoint = metadata.revocationEndpoint;
  if (endpoint === null) return { step: 'token_revocation', ok: false, detail: 'The identity provider offers no token revocation (revocation_endpoint).' };
  for (const { token, hint } of tokens) {
    const form = new URLSearchParams({ token, token_type_hint: hint, client_id: settings.clientId });
    const answer = await callJson(endpoint, { method: 'POST', form }, context, 'The revocation endpoint');
    // RFC 7009 section 2.2: 200, also for a token the provider no longer knows.
    if (answer.status !== 200) {
      const code = oauthErrorCode(answer.body);
      return { step: 'token_revocation', ok: false, detail: `The revocation endpoint answered HTTP ${answer.status}${code === null ? '' : ` (${code})`}.` };
    }
  }
  return { step: 'token_revocation', ok: true, detail: tokens.length === 1 ? 'The refresh token was revoked.' : 'The refresh and access tokens were revoked.' };
}

/**
 * Ends Latchkey's session at the identity provider (OpenID Connect RP-Initiated Logout 1.0): a
 * hidden window with the site's login profile, which holds the provider's session cookie, opens
 * the end-session endpoint with the ID token as hint. The provider comes back to the first
 * `logoutRedirectUris` entry when the profile registers one (the window catches it, as it does a
 * login's redirect URI), else its own "signed out" page is the end.
 */
async function endProviderSession(
  site: Site,
  session: Session,
  settings: OidcSettings,
  metadata: ProviderMetadata,
  context: LoginContext,
  deps: ProviderLogoutDeps & { windows: LoginWindowFactory },
): Promise<LogoutStep> {
  const endpoint = metadata.endSessionEndpoint;
  if (endpoint === null) return { step: 'provider_session', ok: false, detail: 'The identity provider offers no logout (end_session_endpoint).' };
  const start = new URL(endpoint);
  if (session.idToken !== undefined) start.searchParams.set('id_token_hint', session.idToken);
  start.searchParams.set('client_id', settings.clientId);
  const comeBack = site.profile.logoutRedirectUris?.[0] ?? null;
  if (comeBack !== null) start.searchParams.set('post_logout_redirect_uri', comeBack);
  const proxy = siteProxy(site.profile);
  const window = await deps.windows.open({ profileId: site.id, visible: false, title: `Log out of ${site.name}`, ...(proxy === undefined ? {} : { proxy }) });
  try {
    return await followLogout(window, start.href, comeBack, endpoint, context, deps.clock);
  } finally {
    await window.close();
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
