import { nodeHttp } from '../../../core/net/engine-http.ts';
import { directConfig } from '../../../core/net/proxy-config.ts';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/log.ts';
import { runLogin } from '../../../core/login/login-flow.ts';
import type { LoginContext } from '../../../core/login/login-strategy.ts';
import type { LoginWindowEvent } from '../../../core/login/login-window.ts';
import { oidcSettings } from '../../../core/login/oidc-settings.ts';
import { oidcWindowStrategy } from '../../../core/login/oidc-strategy.ts';
import type { Site } from '../../../core/sites/site.ts';
import { ScriptedLoginWindows } from '../../support/scripted-login-window.ts';
import { shotgridProfile } from '../../support/sites.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const site: Site = {
  id: 'cloud',
  name: 'Cloud',
  url: 'https://cloud.example.com',
  default: true,
  profile: shotgridProfile({
    preset: 'cloudshell',
    mode: 'oidc',
    issuer: 'https://idp.example.com',
    clientId: 'latchkey-desktop',
    redirectUri: 'http://127.0.0.1/latchkey/callback',
    scopes: ['openid', 'email'],
    exchange: { path: '/api/login', domain: 'Global' },
  }),
};
const provider = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/oauth2/authorize?tenant=t1',
  tokenEndpoint: 'https://idp.example.com/oauth2/token',
  jwksUri: 'https://idp.example.com/keys',
  deviceAuthorizationEndpoint: null,
  revocationEndpoint: null,
  endSessionEndpoint: null,
};

function strategy(interactive = true) {
  const context: LoginContext = { site, interactive, clock: new ManualClock(0), logger: silentLogger, http: nodeHttp(directConfig), signal: new AbortController().signal, cancel: new AbortController().signal, storedSession: null, browser: 'embedded', present: async () => {} };
  return oidcWindowStrategy(context, oidcSettings(site.profile), provider);
}

describe('the oidc window strategy', () => {
  it('starts an authorization code request with PKCE S256, state and nonce at the provider endpoint', () => {
    const start = new URL(strategy().startUrl);
    expect(`${start.origin}${start.pathname}`).toBe('https://idp.example.com/oauth2/authorize');
    const params = Object.fromEntries(start.searchParams);
    expect(params).toEqual({
      tenant: 't1',
      response_type: 'code',
      client_id: 'latchkey-desktop',
      redirect_uri: 'http://127.0.0.1/latchkey/callback',
      scope: 'openid email',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    // Every login draws its own state, nonce and verifier.
    const again = Object.fromEntries(new URL(strategy().startUrl).searchParams);
    expect(again['state']).not.toBe(params['state']);
    expect(again['nonce']).not.toBe(params['nonce']);
    expect(again['code_challenge']).not.toBe(params['code_challenge']);
  });

  it('asks for no interaction in a silent login', () => {
    expect(new URL(strategy(false).startUrl).searchParams.get('prompt')).toBe('none');
    expect(new URL(strategy(true).startUrl).searchParams.has('prompt')).toBe(false);
  });

  const callback = 'http://127.0.0.1/latchkey/callback?code=c&state=s';
  it.each([
    [{ kind: 'redirected', from: 'https://idp.example.com/auth/x', to: callback }, { url: callback, status: null }],
    [{ kind: 'committed', url: callback, status: 404 }, { url: callback, status: 404 }],
    [{ kind: 'failed', url: callback, failure: 'network', detail: 'net::ERR_CONNECTION_REFUSED' }, { url: callback, status: null }],
    [{ kind: 'failed', url: callback, failure: 'aborted', detail: 'net::ERR_ABORTED' }, { url: callback, status: null }],
  ] as const)('ends at the redirect URI on a %j event', (event, end) => {
    expect(strategy().endOf(event as LoginWindowEvent)).toEqual(end);
  });

  it.each([
    { kind: 'redirected', from: 'https://idp.example.com/', to: 'http://127.0.0.1.evil.com/latchkey/callback?code=c' },
    { kind: 'committed', url: 'https://evil.com/?r=http://127.0.0.1/latchkey/callback&code=c', status: 200 },
    { kind: 'committed', url: 'http://127.0.0.1:8080/latchkey/callback?code=c', status: 200 },
    { kind: 'committed', url: 'http://127.0.0.1/latchkey/callback/more?code=c', status: 200 },
    { kind: 'loaded', url: callback },
    { kind: 'closed' },
  ] as const)('does not end on %j', (event) => {
    expect(strategy().endOf(event as LoginWindowEvent)).toBeNull();
  });

  it('treats a 4xx at the authorization endpoint or the site as fatal, and elsewhere at the provider as the person\'s to fix', () => {
    const { failsOnClientError } = strategy();
    expect(failsOnClientError('https://idp.example.com/oauth2/authorize?client_id=x')).toBe(true);
    expect(failsOnClientError('https://cloud.example.com/anything')).toBe(true);
    expect(failsOnClientError('https://idp.example.com/login')).toBe(false);
  });
});

describe('runLogin in oidc mode', () => {
  it('ends incomplete, opening no window, when the profile lacks what oidc needs', async () => {
    const { issuer: _issuer, ...profile } = site.profile;
    const windows = new ScriptedLoginWindows(() => undefined);
    const result = await runLogin({ site: { ...site, profile }, windows, interactive: true, clock: new ManualClock() });
    expect(result).toMatchObject({ ending: 'incomplete', reason: expect.stringContaining('issuer') });
    expect(windows.opened).toEqual([]);
  });
});
