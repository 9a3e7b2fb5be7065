import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestLoopback, startLab, type Lab, type LoopbackResponse } from '../lab/lab.ts';
import { HttpBrowser } from './http-browser.ts';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ autoLogin: 'ada' });
});

afterAll(async () => {
  await lab.close();
});

afterEach(() => {
  lab.idp.setIdTokenTamper(null);
});

/** Starts an authorization code login with PKCE; the answer is where the IdP sends the browser back, or its error page. */
async function authorize(clientId: string, redirectUri: string): Promise<{ answer: LoopbackResponse & { url: string }; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(lab.idp.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: redirectUri,
    state: 'lab-state',
    nonce: 'lab-nonce',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  // autoLogin signs the browser in with no page: it comes straight back to the redirect URI.
  return { answer: await new HttpBrowser().open(url.href), verifier };
}

/** The ID token a login of `clientId` through `redirectUri` ends with. */
async function idTokenOf(clientId: string, redirectUri: string): Promise<string> {
  const { answer, verifier } = await authorize(clientId, redirectUri);
  const code = new URL(String(answer.headers.location)).searchParams.get('code') ?? '';
  const tokens = await requestLoopback(lab.idp.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId }).toString(),
  });
  expect(tokens.status).toBe(200);
  return String((JSON.parse(tokens.body) as { id_token: unknown }).id_token);
}

function exchange(token: string): Promise<LoopbackResponse> {
  return requestLoopback(`${lab.cloud.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, domain: lab.cloud.domain }),
  });
}

describe('cloud site OAuth clients', () => {
  it('registers a web client and a native desktop client at the IdP', () => {
    expect(lab.cloud.clientRegistrations.map((client) => client.client_id)).toEqual([lab.cloud.clientId, lab.cloud.desktopClientId]);
    expect(lab.cloud.desktopClientId).toBe('lab-cloud-desktop');
    expect(lab.cloud.clientRegistrations[1]).toEqual({
      client_id: 'lab-cloud-desktop',
      client_name: 'Lab Cloud (desktop app)',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/latchkey/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/latchkey/logged-out'],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      token_endpoint_auth_method: 'none',
    });
  });

  it('sends the desktop client back to its loopback redirect on any port, and the web client only to the URI it registered', async () => {
    const anyPort = 'http://127.0.0.1:49321/latchkey/callback';
    const desktop = (await authorize(lab.cloud.desktopClientId, anyPort)).answer;
    expect(desktop.status).toBe(303);
    const back = new URL(String(desktop.headers.location));
    expect([back.origin + back.pathname, back.searchParams.get('state'), back.searchParams.has('code')]).toEqual([anyPort, 'lab-state', true]);

    const web = (await authorize(lab.cloud.clientId, anyPort)).answer;
    expect([web.status, new URL(web.url).origin]).toEqual([400, lab.idp.url]);
    expect(web.body).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
    const registered = (await authorize(lab.cloud.clientId, lab.cloud.loopbackRedirectUri)).answer;
    expect(new URL(String(registered.headers.location)).origin).toBe('http://127.0.0.1');
  });

  const clients = [
    { name: 'web', clientId: () => lab.cloud.clientId, redirectUri: () => lab.cloud.loopbackRedirectUri },
    { name: 'desktop', clientId: () => lab.cloud.desktopClientId, redirectUri: () => 'http://127.0.0.1:50123/latchkey/callback' },
  ];
  for (const { name, clientId, redirectUri } of clients) {
    it(`exchanges an ID token of the ${name} client for an API token`, async () => {
      const login = await exchange(await idTokenOf(clientId(), redirectUri()));
      expect(login.status).toBe(200);
      const { token, expiresIn } = JSON.parse(login.body) as { token: string; expiresIn: number };
      expect(expiresIn).toBe(5 * 60 * 60);
      const me = await requestLoopback(`${lab.cloud.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
      expect([me.status, JSON.parse(me.body)]).toEqual([200, { user: 'ada@lab.example', via: 'api-token' }]);
    });
  }

  it('still refuses an ID token for another audience', async () => {
    lab.idp.setIdTokenTamper('wrong_audience');
    const refused = await exchange(await idTokenOf(lab.cloud.desktopClientId, 'http://127.0.0.1:50124/latchkey/callback'));
    expect([refused.status, JSON.parse(refused.body)]).toEqual([401, { error: 'invalid token' }]);
  });
});
